/**
 * The SSH collector's bundle: framing, `ls -l` of fd directories, the plain-data result.
 *
 * @module
 */
export { parseSshBundle, SSH_BUNDLE_VERSION } from './parse-bundle.js';
export { parseLsFdListing } from './ls-fd.js';
export type { BundleExec, BundleRead, SshBundle } from './types.js';
