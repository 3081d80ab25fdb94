export * from './addr.js';
export * from './diagnostics.js';
export * from './host-context.js';
export * as intervals from './interval-set.js';
export * from './packet-set.js';
export * from './ruleset.js';
export * from './snapshot.js';
export * from './protocols.js';
export * from './host-facts.js';
