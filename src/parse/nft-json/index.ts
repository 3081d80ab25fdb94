/**
 * Native nftables: `nft -j list ruleset` parsed ({@link parseNftJson}) and lowered to the
 * vendor-neutral firewall model ({@link lowerNft}).
 *
 * @module
 */
export { parseNftJson, KNOWN_SCHEMA_VERSIONS } from './parse.js';
export { lowerNft, parsePriority, type LowerNftOptions } from './lower.js';
export { LazyChains, type PendingTable } from './lazy-chains.js';
export { renderRule, renderStatement, renderExpr } from './render.js';
export type { NftRuleset, NftTable, NftChain, NftRule, NftSet, NftElem, NftObject, NftMetainfo, Json } from './types.js';
