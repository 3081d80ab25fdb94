/**
 * The network edge of `portcullis probe`: target resolution and the safety rule, the
 * scanners, and the recognisers (pure functions of bytes, in recognise/).
 *
 * @module
 */
export { isLocalAddress } from './local-target.js';
export { parsePortSpec } from './port-spec.js';
export { runProbe, type ProbeRunOptions } from './run-probe.js';
export { resolveTargets, TargetError, type ResolvedTarget } from './targets.js';
export { TOP_1000_TCP } from './top-ports.js';
