/**
 * iptables-save / ip6tables-save: parse to an AST, then lower to the vendor-neutral
 * firewall model (src/model/ruleset.ts).
 *
 * @module
 */
export type * from './ast.js';
export { parseIptablesSave, builtinChains, type ParseOptions } from './parse.js';
export { readDeferredRules, isDeferred } from './deferred.js';
export { lowerIptables, isChainRead, type LowerOptions } from './lower.js';
export { tokenize, type Token } from './tokenize.js';
export { XTABLES, savedXtables } from './xtables-tables.js';
