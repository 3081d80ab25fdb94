/**
 * Renderers: analysis results (src/analyze types) to text, JSON, SARIF and HTML. All are pure
 * functions from data to a string; the CLI decides colour (`shouldColor`) and where to write.
 *
 * @module
 */
export { renderAuditText, renderAuditTextEach, shortTime } from './terminal/audit-text.js';
export type { TextOptions } from './terminal/audit-text.js';
export { renderExplainText } from './terminal/explain-text.js';
export type { ExplainTextOptions } from './terminal/explain-text.js';
export { palette, shouldColor } from './terminal/colors.js';
export type { Palette } from './terminal/colors.js';
export { renderAuditJson, renderAuditJsonChunks, renderAuditJsonEach, renderExplainJson } from './json/audit-json.js';
export { stableStringify } from './json/stable-json.js';
export { buildAuditSarif, renderAuditSarif } from './sarif/audit-sarif.js';
export { renderAuditHtml, renderAuditHtmlChunks, renderAuditHtmlEach } from './html/audit-html.js';
export { renderDiffText } from './diff/diff-text.js';
export { renderDiffJson } from './diff/diff-json.js';
export { printable } from './common/printable.js';
export { sortFindings, sortServices } from './common/order.js';
export { serviceSources, summarizeCidrs, summarizeSources } from './common/sources.js';
export { renderProbeJson } from './json/probe-json.js';
export { renderProbeText } from './terminal/probe-text.js';
export type { ProbeTextOptions } from './terminal/probe-text.js';
export { renderProbeHtml } from './html/probe-html.js';
export { renderWatchEventText } from './watch/watch-text.js';
export { renderWatchEventJson } from './watch/watch-json.js';
export { renderHistoryText } from './history/history-text.js';
export { renderHistoryJson } from './history/history-json.js';
