/**
 * The findings of one host: severity, service and title; evidence in one or two lines;
 * the fix and the commands to paste (never cut, so they stay pasteable).
 *
 * @module
 */
import type { Finding } from '../../analyze/audit/types.js';
import { ruleRefLabel } from '../common/describe.js';
import { sortFindings } from '../common/order.js';
import { printable } from '../common/printable.js';
import { omittedNote, summarizeSources } from '../common/sources.js';
import { padEnd, truncate, wrap } from './layout.js';
import type { Palette } from './colors.js';

const HANG = ' '.repeat(12);

/** One or two evidence lines: the deciding rule, then the plain facts. */
function evidenceLines(f: Finding, width: number): string[] {
  const lines: string[] = [];
  const d = f.evidence.decisions?.[0];
  if (d) {
    const more = (f.evidence.decisions?.length ?? 1) > 1 ? ` (+${f.evidence.decisions!.length - 1} more)` : '';
    const how = d.verdict === 'accept' ? 'allowed by' : `${d.verdict} by`;
    lines.push(truncate(`${how} ${ruleRefLabel(d.rule)}${more}: ${printable(d.rule.text)}`, width));
  } else if (f.evidence.sources && f.evidence.exposure !== 'local') {
    const more = omittedNote(f.evidence.sourcesOmitted);
    lines.push(truncate(`from ${summarizeSources(f.evidence.sources, width - 5 - more.length)}${more}`, width));
  }
  if (f.evidence.facts.length > 0) {
    const facts = printable(f.evidence.facts.join('; '));
    const room = 2 - lines.length;
    const wrapped = wrap(facts, width);
    const kept = wrapped.slice(0, room);
    if (wrapped.length > room) kept[kept.length - 1] = truncate(kept[kept.length - 1]! + ' …', width);
    lines.push(...kept);
  }
  return lines;
}

function renderFinding(f: Finding, p: Palette, width: number): string[] {
  const inner = width - HANG.length;
  // Name the service only when the title does not already.
  const svc = f.service ? `${f.service.proto}/${f.service.port}` : '';
  const where = svc && !f.title.includes(svc) ? `${svc}: ` : '';
  const head = wrap(where + printable(f.title), inner);
  const out = [`  ${p.severity(f.severity, padEnd(f.severity.toUpperCase(), 8))}  ${p.bold(head[0]!)}`];
  for (const l of head.slice(1)) out.push(HANG + p.bold(l));
  for (const l of evidenceLines(f, inner)) out.push(HANG + p.dim(l));
  for (const l of wrap(`fix: ${printable(f.remediation.summary)}`, inner)) out.push(HANG + l);
  for (const cmd of f.remediation.commands) out.push(`${HANG}  $ ${printable(cmd)}`);
  return out;
}

/** Lines for one host's findings, worst first; suppressed ones summarised at the end. */
export function renderFindings(findings: readonly Finding[], p: Palette, width: number): string[] {
  const sorted = sortFindings(findings);
  const active = sorted.filter((f) => !f.suppressed);
  const suppressed = sorted.filter((f) => f.suppressed);
  if (active.length === 0 && suppressed.length === 0) return ['  No findings.'];
  const out: string[] = [];
  active.forEach((f, i) => {
    if (i > 0) out.push('');
    out.push(...renderFinding(f, p, width));
  });
  for (const f of suppressed) {
    const s = f.suppressed!;
    const text = `suppressed (${f.severity}): ${printable(f.title)}; ${printable(s.reason)}, until ${printable(s.expires)}`;
    if (out.length > 0) out.push('');
    for (const l of wrap(text, width - 4)) out.push(p.dim('  ' + l));
  }
  return out;
}
