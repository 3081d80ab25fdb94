/**
 * The firewall's drop log, read exactly: syslog lines (BSD, RFC 3339, RFC 5424) and journal
 * JSON records to netfilter packet records. Pure: bytes in, records out.
 *
 * @module
 */
export { LogLineReader, type LineSink } from './reader.js';
export { parseLine } from './line.js';
export { lineContext, type LineContext } from './context.js';
export { prefixIsDrop } from './prefix.js';
export { LocalClock } from './stamps.js';
export { ParsedRecord, emptyRecord } from './record.js';
export * from './types.js';
