/**
 * Collection: the impure edge. {@link collectSnapshot} reads the host through a
 * {@link HostIO}; {@link realHostIO} is the real one.
 *
 * @module
 */
export { collectSnapshot } from './collect-snapshot.js';
export type { ExecResult, HostIO } from './host-io.js';
export { realHostIO } from './real-host-io.js';
export { snapshotJsonSource, snapshotToJson } from './snapshot-json.js';
export { writeFileAtomic } from './atomic-write.js';
