/**
 * Portcullis as a library: snapshot in, analysis out.
 *
 * @module
 */
export * from './model/index.js';
export type * from './analyze/types.js';
export * as apply from './apply/index.js';
