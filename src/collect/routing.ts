/**
 * The routing state: routes of every table and the policy rules, per family, from iproute2.
 * The family is always given (`-4`/`-6`): without it `ip route` mixes both and prints
 * "default" for either. What cannot be read is logged and that family is null.
 *
 * @module
 */
import type { Family } from '../model/addr.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { FamilyRouting, RoutingState } from '../model/routing.js';
import { parseIpRouteJson, parseIpRuleJson } from '../parse/ip-route-json.js';
import { describeExecFailure } from './exec-failure.js';
import type { ExecResult, HostIO } from './host-io.js';
import type { UnreadableLog } from './unreadable-log.js';

/** The commands, per family. */
function routingCommands(family: Family): { routes: string[]; rules: string[] } {
  const f = family === 'ipv4' ? '-4' : '-6';
  return { routes: ['ip', '-j', f, 'route', 'show', 'table', 'all'], rules: ['ip', '-j', f, 'rule', 'show'] };
}

/**
 * Both commands of a family in one `ip` (issue 8: a process less per family), read from
 * standard input. `-batch` takes no per-line options, so the family stays on the command line.
 */
export function routingBatch(family: Family): { argv: string[]; input: string } {
  return { argv: ['ip', '-j', family === 'ipv4' ? '-4' : '-6', '-batch', '-'], input: 'route show table all\nrule show\n' };
}

/**
 * The batch's output as the two commands' own: `ip -j` prints each command's answer as one
 * JSON array on one line (strings escape their control characters), so a batch that ran
 * both prints exactly two lines. Anything else (an error stops a batch; an older `ip`) is
 * null, and the commands are run one by one, whose failures say which one failed.
 */
export function splitRoutingBatch(res: ExecResult): { routes: string; rules: string } | null {
  if (!res.ok || res.code !== 0 || !res.stdout.endsWith('\n')) return null;
  const lines = res.stdout.split('\n');
  if (lines.length !== 3) return null;
  return { routes: lines[0]! + '\n', rules: lines[1]! + '\n' };
}

function logDiagnostics(log: UnreadableLog, what: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    log.add(what, `${d.message}${d.location?.path ? ` at ${d.location.path}` : ''}${d.input ? `: ${d.input}` : ''}`);
  }
}

/** The two answers of a family: from one batch, or (when it did not answer both) from each command. */
async function readFamily(io: HostIO, family: Family): Promise<[ExecResult, ExecResult]> {
  const cmd = routingCommands(family);
  const batch = routingBatch(family);
  const both = splitRoutingBatch(await io.exec(batch.argv, batch.input));
  if (both) return [{ ok: true, code: 0, stdout: both.routes, stderr: '' }, { ok: true, code: 0, stdout: both.rules, stderr: '' }];
  return Promise.all([io.exec(cmd.routes), io.exec(cmd.rules)]);
}

async function collectFamily(io: HostIO, log: UnreadableLog, family: Family): Promise<FamilyRouting | null> {
  const cmd = routingCommands(family);
  const [routesRes, rulesRes] = await readFamily(io, family);
  const results: Array<{ argv: string[]; res: typeof routesRes }> = [
    { argv: cmd.routes, res: routesRes },
    { argv: cmd.rules, res: rulesRes },
  ];
  let failed = false;
  for (const { argv, res } of results) {
    if (res.ok && res.code === 0) continue;
    log.add(`${family} routing (${argv.join(' ')})`, describeExecFailure(res, true).reason, res.ok ? undefined : 'install iproute2');
    failed = true;
  }
  if (failed || !routesRes.ok || !rulesRes.ok) return null;
  const routes = parseIpRouteJson(routesRes.stdout, cmd.routes.join(' '), family);
  const rules = parseIpRuleJson(rulesRes.stdout, cmd.rules.join(' '), family);
  logDiagnostics(log, `${family} routes (${cmd.routes.join(' ')})`, routes.diagnostics);
  logDiagnostics(log, `${family} policy rules (${cmd.rules.join(' ')})`, rules.diagnostics);
  if (!routes.value || !rules.value) return null;
  return { routes: routes.value, rules: rules.value };
}

/** Both families; a family that cannot be read is null (and logged). */
export async function collectRouting(io: HostIO, log: UnreadableLog): Promise<RoutingState> {
  const [ipv4, ipv6] = await Promise.all([collectFamily(io, log, 'ipv4'), collectFamily(io, log, 'ipv6')]);
  return { ipv4, ipv6 };
}
