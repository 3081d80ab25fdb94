/**
 * `portcullis explain` for a terminal: one flow, its state, the firewall verdict, the
 * listener, and the rules it met in order, with what was read conservatively.
 *
 * @module
 */
import type { FlowAnswer, TraceStep } from '../../analyze/types.js';
import { hostPort, processLabel, ruleRefLabel } from '../common/describe.js';
import { printable } from '../common/printable.js';
import { palette } from './colors.js';
import type { Palette } from './colors.js';
import { padEnd, truncate, wrap } from './layout.js';

/** Options of {@link renderExplainText}. */
export interface ExplainTextOptions {
  color: boolean;
  /** Terminal columns; 80 when absent. */
  width?: number;
}

function stateStyle(p: Palette, state: FlowAnswer['state']): (s: string) => string {
  if (state === 'open') return (s) => p.bold(p.c.green(s));
  if (state === 'closed') return p.c.yellow;
  return (s) => p.bold(p.c.red(s));
}

function verdictStyle(p: Palette, v: TraceStep['verdict']): (s: string) => string {
  if (v === 'accept' || v === 'policy-accept') return p.c.green;
  if (v === 'drop' || v === 'reject' || v === 'policy-drop') return p.c.red;
  if (v === 'dnat' || v === 'snat') return p.c.magenta;
  if (v === 'unknown' || v === 'queue') return p.c.yellow;
  return p.dim;
}

function flowHeader(a: FlowAnswer): string {
  const extra = [a.sport !== undefined ? `source port ${a.sport}` : null, a.iface !== undefined ? `in on ${a.iface}` : null].filter((x) => x !== null);
  const tail = extra.length > 0 ? ` (${extra.join(', ')})` : '';
  return printable(`${a.proto}/${a.port} from ${a.from} to ${a.to}${tail}`);
}

/** The input interface, from the route back to the source (the first step of the path). */
function arrivalLines(a: FlowAnswer, p: Palette, width: number): string[] {
  if (a.arrival === undefined) return [];
  if (a.arrival.length === 0) return [`  ${p.c.red('no route back to the source')}: it cannot open a connection`];
  return a.arrival.flatMap((s) => wrap(printable(`arrives on ${s.iface}: ${s.route}`), width - 4).map((l, i) => (i === 0 ? `  ${p.c.cyan('→')} ${l}` : `    ${l}`)));
}

function traceLines(a: FlowAnswer, p: Palette, width: number): string[] {
  if (a.trace.length === 0) return ['  No rule on the path: every hook let the packet through by default.'];
  const hookW = Math.max(4, ...a.trace.map((s) => s.hook.length));
  const refW = Math.min(36, Math.max(...a.trace.map((s) => ruleRefLabel(s.rule).length)));
  const out: string[] = [];
  a.trace.forEach((s, i) => {
    const flags = [s.partial ? 'partial' : null, s.uncertain ? 'may match' : null].filter((x) => x !== null);
    const flagText = flags.length > 0 ? p.c.yellow(` (${flags.join(', ')})`) : '';
    const num = String(i + 1).padStart(3);
    const ref = padEnd(truncate(printable(ruleRefLabel(s.rule)), refW), refW);
    out.push(`${p.dim(num)}  ${padEnd(s.hook, hookW)}  ${ref}  ${verdictStyle(p, s.verdict)(s.verdict.toUpperCase())}${flagText}`);
    const indent = ' '.repeat(5);
    for (const l of wrap(printable(s.rule.text), width - indent.length)) out.push(indent + p.dim(l));
  });
  return out;
}

/** Render one flow answer for a terminal. */
export function renderExplainText(answer: FlowAnswer, opts: ExplainTextOptions): string {
  const p = palette(opts.color);
  const width = Math.max(40, opts.width ?? 80);
  const a = answer;
  const firewall = a.rejectWith !== undefined ? `${a.firewall} (${a.rejectWith})` : a.firewall;
  const listener = a.listener
    ? `${processLabel(a.listener.process) ?? 'unknown process'} on ${printable(hostPort(a.listener.address, a.listener.port))}${a.state === 'filtered' ? ' (the firewall keeps this flow from it)' : ''}`
    : 'nothing listens';
  const out = [
    `${p.bold(flowHeader(a))}  ${stateStyle(p, a.state)(a.state.toUpperCase())}`,
    `  firewall  ${a.firewall === 'accept' ? p.c.green(firewall) : p.c.red(firewall)}`,
    ...wrap(printable(listener), width - 12).map((l, i) => (i === 0 ? `  listener  ${l}` : `            ${l}`)),
    '',
    p.heading('Trace'),
    ...arrivalLines(a, p, width),
    ...traceLines(a, p, width),
  ];
  if (a.uncertain.length > 0) {
    out.push('', p.heading('Read conservatively'));
    for (const u of a.uncertain) {
      const detail = u.detail !== undefined ? `: ${u.detail}` : '';
      wrap(printable(`${ruleRefLabel(u.rule)} may match: ${u.construct} (${u.kind})${detail}`), width - 4).forEach((l, i) =>
        out.push(i === 0 ? `  ${p.c.yellow('?')} ${l}` : `    ${l}`),
      );
    }
  }
  // The arrival notes are already the first lines of the trace.
  const notes = a.arrival !== undefined ? a.notes.filter((n) => !n.startsWith('arrives on ')) : a.notes;
  if (notes.length > 0) {
    out.push('', p.heading('Notes'));
    for (const n of notes) wrap(printable(n), width - 4).forEach((l, i) => out.push(i === 0 ? `  · ${l}` : `    ${l}`));
  }
  return out.join('\n') + '\n';
}
