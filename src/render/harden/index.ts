/**
 * Renderers of `portcullis harden`: nft script, iptables-restore pair, sysctl.conf, plan.json.
 *
 * @module
 */
export { NFT_TABLE, renderHardenNft } from './nft.js';
export { renderHardenIptables } from './iptables.js';
export { renderHardenSysctl } from './sysctl.js';
export { renderHardenPlanJson } from './plan-json.js';
export { renderHardenText, type HardenOutcome } from './harden-text.js';
