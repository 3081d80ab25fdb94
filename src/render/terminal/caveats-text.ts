/**
 * What the reader must weigh: sources not read, parse and collect diagnostics, rules read
 * conservatively (may match), and dead rules.
 *
 * @module
 */
import type { AuditedHost } from '../../analyze/audit/types.js';
import type { UncertainRule } from '../../analyze/types.js';
import { formatLocation } from '../../model/diagnostics.js';
import { ruleRefLabel } from '../common/describe.js';
import { printable } from '../common/printable.js';
import { wrap } from './layout.js';
import type { Palette } from './colors.js';

/** Uncertain rules of all services, once each. */
function uniqueUncertain(host: AuditedHost): UncertainRule[] {
  const seen = new Map<string, UncertainRule>();
  for (const s of host.services) {
    for (const u of s.uncertain) {
      const key = `${u.rule.backend}/${u.rule.family}/${u.rule.table}/${u.rule.chain}/${u.rule.position}/${u.construct}`;
      if (!seen.has(key)) seen.set(key, u);
    }
  }
  return [...seen.values()];
}

/** Bullet item with a hanging indent under the text. */
function item(mark: string, text: string, width: number, style: (s: string) => string = (s) => s): string[] {
  const lines = wrap(text, width - 4);
  return lines.map((l, i) => (i === 0 ? `  ${style(mark)} ${l}` : `    ${l}`));
}

/** Caveat lines for one host; empty when there is nothing to weigh. */
export function renderCaveats(host: AuditedHost, p: Palette, width: number): string[] {
  const out: string[] = [];
  for (const s of host.sourceStatus) {
    if (s.status === 'failed') out.push(...item('✗', `${s.source}: could not be read; results assume it accepts everything`, width, p.c.red));
    if (s.status === 'partially-unrecognized') out.push(...item('!', `${s.source}: partly not understood (${s.rules} rules read); unknown parts read as matching`, width, p.c.yellow));
  }
  const absent = host.sourceStatus.filter((s) => s.status === 'unavailable').map((s) => s.source);
  if (absent.length > 0) out.push(...item('·', `not present: ${absent.join(', ')}`, width, p.dim));
  for (const d of host.diagnostics) {
    const where = d.location ? `${formatLocation(d.location)}: ` : '';
    const mark = d.severity === 'error' ? '✗' : d.severity === 'warning' ? '!' : '·';
    const style = d.severity === 'error' ? p.c.red : d.severity === 'warning' ? p.c.yellow : p.dim;
    const extra = d.expected !== undefined ? ` (expected ${d.expected})` : '';
    out.push(...item(mark, printable(`${where}${d.message}${extra} [${d.code}]`), width, style));
  }
  for (const u of uniqueUncertain(host)) {
    const detail = u.detail !== undefined ? `: ${u.detail}` : '';
    out.push(...item('?', printable(`${ruleRefLabel(u.rule)} may match: ${u.construct} (${u.kind})${detail}`), width, p.c.yellow));
  }
  for (const r of host.shadowedRules) {
    const by = r.coveredBy.length > 0 ? `, covered by ${r.coveredBy.map(ruleRefLabel).join(', ')}` : '';
    out.push(...item('·', printable(`${ruleRefLabel(r.rule)} is ${r.kind}${by}: ${r.rule.text}`), width, p.dim));
  }
  return out;
}
