/**
 * What `portcullis harden` prints: the files written, each opened service and its sources,
 * the listeners kept closed, and the proof's verdict with every difference.
 *
 * @module
 */
import type { LockoutCheck, ProofDifference } from '../../analyze/harden/prove.js';
import type { OverriddenAccept } from '../../analyze/harden/overridden-accepts.js';
import type { HardenPlan } from '../../analyze/harden/types.js';
import { printable } from '../common/printable.js';
import { summarizeSources } from '../common/sources.js';

export interface HardenOutcome {
  files: string[];
  /** Set when the files did not load. */
  failure?: { stage: string; command: string; message: string };
  differences: ProofDifference[];
  lockout: LockoutCheck | null;
  holds: boolean;
  /** Accepts left in other backends that the new rules override. */
  overridden?: OverriddenAccept[];
}

function listenerText(l: { proto: string; port: number; service: string; process: string | null; path: string }): string {
  return `${l.port}/${l.proto} ${l.service}${l.process ? ` (${l.process})` : ''}${l.path === 'forward' ? ', published container port' : ''}`;
}

export function renderHardenText(plan: HardenPlan, outcome: HardenOutcome): string {
  const lines: string[] = [`portcullis harden: ${printable(plan.host)}${plan.policy ? ` with ${printable(plan.policy.file)}` : ' (no policy: 80/tcp and 443/tcp public)'}`, ''];
  lines.push('Open:');
  if (plan.open.length === 0) lines.push('  (nothing)');
  for (const s of plan.open) {
    const limit = s.rateLimited ? `, at most ${plan.adminRateLimit.connections} new connections per ${plan.adminRateLimit.seconds} s per source` : '';
    lines.push(`  ${listenerText(s)} from ${summarizeSources(s.sources)}${limit}`, `      because ${printable(s.because.text)}`);
  }
  if (plan.closed.length > 0) {
    lines.push('', 'Closed (listening, but not in the policy):');
    for (const l of plan.closed) lines.push(`  ${listenerText(l)} on ${l.addresses.join(', ')}`);
  }
  if (plan.loopbackOnly.length > 0) lines.push('', `Loopback only, no rule needed: ${plan.loopbackOnly.map(listenerText).join('; ')}`);
  lines.push('', 'Written:', ...outcome.files.map((f) => `  ${printable(f)}`), '');
  if (outcome.failure) {
    lines.push(`Proof FAILED: the files do not load (${outcome.failure.stage}: ${printable(outcome.failure.command)}):`, ...printable(outcome.failure.message).split('\n').map((l) => `  ${l}`));
  } else {
    if (outcome.differences.length > 0) {
      lines.push('Proof FAILED: with these rules the host would not match the policy:');
      for (const d of outcome.differences) {
        const what = d.kind === 'missing' ? 'cannot be reached from' : 'is also reachable from';
        lines.push(`  ${d.port}/${d.proto} on ${d.address} (${d.family}) ${what} ${d.sources.slice(0, 8).join(', ')}${d.sources.length > 8 ? ` and ${d.sources.length - 8} more` : ''}; intended: ${printable(d.intent)}`);
      }
      lines.push('  (rules in other tables or backends stay loaded and also decide: see `portcullis audit`)');
    }
    if (outcome.lockout && !outcome.lockout.reachable) lines.push(`REFUSED: ${printable(outcome.lockout.message ?? 'this SSH session would be locked out')}`);
    if (outcome.holds) lines.push('Proof holds: loaded in a scratch network namespace, every listener reachable from exactly the sources the policy intends, nothing else from outside.');
    if (outcome.lockout?.reachable) lines.push('This SSH session keeps its access to sshd.');
    if (outcome.overridden && outcome.overridden.length > 0) {
      lines.push('', 'Left in other backends, overridden by the new rules (they let nothing in any more; `audit` reports them as backend-conflict). Once applied and confirmed, delete them:');
      for (const o of outcome.overridden) {
        lines.push(`  ${o.rule.backend} ${printable(o.rule.table)} ${printable(o.rule.chain)}: ${printable(o.rule.text)}  (${o.services.join(', ')})`, `      ${o.remove !== null ? printable(o.remove) : 'nft -a list ruleset  # find its handle, then: nft delete rule <family> <table> <chain> handle <n>'}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
