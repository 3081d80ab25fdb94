/**
 * The routing state: routes of every table and the policy rules, per family, from iproute2.
 * The family is always given (`-4`/`-6`, or IPv4's prefix 0.0.0.0/0 in ip-reads.ts's batch):
 * without it `ip route` mixes both and prints "default" for either. What cannot be read is
 * logged and that family is null.
 *
 * @module
 */
import type { Family } from '../model/addr.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { FamilyRouting, RoutingState } from '../model/routing.js';
import { parseIpRouteJson, parseIpRuleJson } from '../parse/ip-route-json.js';
import { describeExecFailure } from './exec-failure.js';
import type { HostIO } from './host-io.js';
import { type IpAnswers, type RoutingAnswers, readRouting, routingCommands } from './ip-reads.js';
import type { UnreadableLog } from './unreadable-log.js';

function logDiagnostics(log: UnreadableLog, what: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    log.add(what, `${d.message}${d.location?.path ? ` at ${d.location.path}` : ''}${d.input ? `: ${d.input}` : ''}`);
  }
}

function familyRouting(log: UnreadableLog, family: Family, answers: RoutingAnswers): FamilyRouting | null {
  const cmd = routingCommands(family);
  const { routes: routesRes, rules: rulesRes } = answers;
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

/**
 * Both families; a family that cannot be read is null (and logged). `answers`: iproute2's, from
 * `readIp` when the interfaces are read too (collectSnapshot), else each family's own batch.
 */
export async function collectRouting(io: HostIO, log: UnreadableLog, answers: Pick<IpAnswers, 'ipv4' | 'ipv6'> = readRouting(io)): Promise<RoutingState> {
  // Both in before either is logged: IPv4's entries first, whichever `ip` finished first.
  const [ipv4, ipv6] = await Promise.all([answers.ipv4, answers.ipv6]);
  return { ipv4: familyRouting(log, 'ipv4', ipv4), ipv6: familyRouting(log, 'ipv6', ipv6) };
}
