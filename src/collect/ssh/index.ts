/**
 * Agentless collection over SSH: the shipped sh collector, run through the system OpenSSH
 * client, replayed into `collectSnapshot`.
 *
 * @module
 */
export { collectOverSsh, collectOne, DEFAULT_SSH_PARALLEL, DEFAULT_SSH_TIMEOUT_S, type CollectOverSshOptions, type SshHostResult } from './collect-over-ssh.js';
export { COLLECTOR_SCRIPT_PATH, collectorInput, newBundleToken } from './collector-script.js';
export { replayHostIO } from './replay-host-io.js';
export type { SshFailure, SshFailureKind } from './ssh-failure.js';
