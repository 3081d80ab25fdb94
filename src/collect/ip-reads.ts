/**
 * Everything collect asks iproute2 (the interface list, each family's routes and policy rules)
 * in two `ip` processes: each tool started holds collect's thread for a fork and exec, 6-15 ms
 * on a small VM (issue 8). Whatever a batch does not answer in full is asked command by
 * command, whose failures say which command failed.
 *
 * @module
 */
import type { Family } from '../model/addr.js';
import type { ExecResult, HostIO } from './host-io.js';

export const IP_ADDR = ['ip', '-j', 'addr', 'show'];

/** The commands of a family's routing, as run alone (and as named in `unreadable`). */
export function routingCommands(family: Family): { routes: string[]; rules: string[] } {
  const f = family === 'ipv4' ? '-4' : '-6';
  return { routes: ['ip', '-j', f, 'route', 'show', 'table', 'all'], rules: ['ip', '-j', f, 'rule', 'show'] };
}

/**
 * Both routing commands of a family in one `ip`, read from standard input. `-batch` takes no
 * per-line options, so the family stays on the command line.
 */
export function routingBatch(family: Family): { argv: string[]; input: string } {
  return { argv: ['ip', '-j', family === 'ipv4' ? '-4' : '-6', '-batch', '-'], input: 'route show table all\nrule show\n' };
}

/**
 * The interface list and IPv4's routing in one `ip` without a family: `addr show` then is
 * `ip -j addr show` itself; `route show table all root 0.0.0.0/0` keeps the routes whose
 * destination lies in 0.0.0.0/0, every IPv4 route and only those; `rule show` without a family
 * lists IPv4's rules. test/kernel/ip-batch.test.ts proves each line byte for byte against the
 * commands alone.
 */
export const ADDR_IPV4_BATCH = { argv: ['ip', '-j', '-batch', '-'], input: 'addr show\nroute show table all root 0.0.0.0/0\nrule show\n' };

/**
 * A batch's output as its commands' own: `ip -j` prints each command's answer as one JSON array
 * on one line (strings escape their control characters), so a batch that ran all `count`
 * prints exactly that many lines. Anything else (an error stops a batch; an older `ip`) is null.
 */
export function splitBatch(res: ExecResult, count: number): string[] | null {
  if (!res.ok || res.code !== 0 || !res.stdout.endsWith('\n')) return null;
  const lines = res.stdout.split('\n');
  if (lines.length !== count + 1) return null;
  return lines.slice(0, count).map((l) => l + '\n');
}

/** The routing batch's two answers, or null; see {@link splitBatch}. */
export function splitRoutingBatch(res: ExecResult): { routes: string; rules: string } | null {
  const lines = splitBatch(res, 2);
  return lines && { routes: lines[0]!, rules: lines[1]! };
}

/**
 * {@link ADDR_IPV4_BATCH}'s three answers, or null. An iproute2 that filters `root` by prefix
 * alone (without the family) would let IPv6 routes through, the local table's `::1` and
 * `ff00::/8` among them: a destination with a colon refuses the batch.
 */
export function splitAddrIpv4Batch(res: ExecResult): { addr: string; routes: string; rules: string } | null {
  const lines = splitBatch(res, 3);
  if (lines === null || /"dst":"[^"]*:/.test(lines[1]!)) return null;
  return { addr: lines[0]!, routes: lines[1]!, rules: lines[2]! };
}

/** A family's two routing answers. */
export interface RoutingAnswers {
  routes: ExecResult;
  rules: ExecResult;
}

/** What iproute2 answered, each as if its command had run alone. */
export interface IpAnswers {
  addr: Promise<ExecResult>;
  ipv4: Promise<RoutingAnswers>;
  ipv6: Promise<RoutingAnswers>;
}

const answered = (stdout: string): ExecResult => ({ ok: true, code: 0, stdout, stderr: '' });

/** A batch's routing lines as the two commands' own answers. */
const routingAnswered = (s: { routes: string; rules: string }): RoutingAnswers => ({ routes: answered(s.routes), rules: answered(s.rules) });

/** Starts both batches now (IPv4's with the interfaces first); each falls back to its commands alone. */
export function readIp(io: HostIO): IpAnswers {
  const first = io.exec(ADDR_IPV4_BATCH.argv, ADDR_IPV4_BATCH.input);
  const ipv6 = readFamilyRouting(io, 'ipv6');
  const v4 = first.then(splitAddrIpv4Batch);
  return {
    addr: v4.then((s) => (s ? answered(s.addr) : io.exec(IP_ADDR))),
    ipv4: v4.then((s) => (s ? routingAnswered(s) : routingAlone(io, 'ipv4'))),
    ipv6,
  };
}

/** Each family's routing in a batch of its own (the interfaces not wanted), started now. */
export function readRouting(io: HostIO): Pick<IpAnswers, 'ipv4' | 'ipv6'> {
  return { ipv4: readFamilyRouting(io, 'ipv4'), ipv6: readFamilyRouting(io, 'ipv6') };
}

function readFamilyRouting(io: HostIO, family: Family): Promise<RoutingAnswers> {
  const batch = routingBatch(family);
  return io
    .exec(batch.argv, batch.input)
    .then(splitRoutingBatch)
    .then((s) => (s ? routingAnswered(s) : routingAlone(io, family)));
}

async function routingAlone(io: HostIO, family: Family): Promise<RoutingAnswers> {
  const cmd = routingCommands(family);
  const [routes, rules] = await Promise.all([io.exec(cmd.routes), io.exec(cmd.rules)]);
  return { routes, rules };
}
