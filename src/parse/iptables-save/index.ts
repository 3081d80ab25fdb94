/**
 * iptables-save / ip6tables-save: parse to an AST, then lower to the vendor-neutral
 * firewall model (src/model/ruleset.ts).
 *
 * @module
 */
export type * from './ast.js';
export { parseIptablesSave, builtinChains } from './parse.js';
export { lowerIptables, type LowerOptions } from './lower.js';
export { tokenize, type Token } from './tokenize.js';
