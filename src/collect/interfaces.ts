/**
 * The host's interfaces: `ip -j addr show`, or, without iproute2, /sys/class/net plus
 * /proc/net/if_inet6 and, for IPv4, /proc/net/fib_trie + /proc/net/route, recorded as partial.
 *
 * @module
 */
import type { NetInterface } from '../model/snapshot.js';
import { parseIpAddrJson } from '../parse/ip-addr-json.js';
import { describeExecFailure } from './exec-failure.js';
import { type ExecResult, type HostIO, fsReason } from './host-io.js';
import { decodeIfFlags, parseIfInet6 } from './if-inet6.js';
import { IP_ADDR } from './ip-reads.js';
import { parseFibTrieLocal, parseProcRoute, placeIpv4 } from './ipv4-fallback.js';
import type { UnreadableLog } from './unreadable-log.js';

/**
 * The interface list; null (logged) when neither `ip` nor /sys/class/net can be read.
 * `answer`: `ip -j addr show`'s, when read with other commands (`readIp`); else it is run here.
 */
export async function collectInterfaces(io: HostIO, log: UnreadableLog, answer: Promise<ExecResult> = io.exec(IP_ADDR)): Promise<NetInterface[] | null> {
  const res = await answer;
  if (res.ok && res.code === 0) {
    const parsed = parseIpAddrJson(res.stdout, IP_ADDR.join(' '));
    for (const d of parsed.diagnostics) {
      log.add(`interfaces (${IP_ADDR.join(' ')})`, `${d.message}${d.location?.path ? ` at ${d.location.path}` : ''}${d.input ? `: ${d.input}` : ''}`);
    }
    if (parsed.value) return sortInterfaces(parsed.value);
  } else {
    log.add(`interfaces (${IP_ADDR.join(' ')})`, `${describeExecFailure(res, false).reason}; read /sys/class/net and /proc/net/if_inet6 instead`, res.ok ? undefined : 'install iproute2');
  }
  return fallbackInterfaces(io, log);
}

async function fallbackInterfaces(io: HostIO, log: UnreadableLog): Promise<NetInterface[] | null> {
  let names: string[];
  try {
    names = await io.readdir('/sys/class/net');
  } catch (err) {
    log.add('interfaces (/sys/class/net)', fsReason(err));
    return null;
  }
  const byName = new Map<string, NetInterface>();
  for (const name of names) {
    try {
      const index = Number((await io.readFile(`/sys/class/net/${name}/ifindex`)).trim());
      const flags = decodeIfFlags(await io.readFile(`/sys/class/net/${name}/flags`));
      if (!Number.isInteger(index) || !flags) throw Object.assign(new Error('unexpected ifindex or flags'), { code: 'EINVAL' });
      byName.set(name, { name, index, up: flags.up, loopback: flags.loopback, addresses: [], ...(await linkFacts(io, name)) });
    } catch (err) {
      log.add(`interface ${name} (/sys/class/net/${name})`, fsReason(err));
    }
  }
  try {
    const { entries, bad } = parseIfInet6(await io.readFile('/proc/net/if_inet6'));
    for (const line of bad) log.add('IPv6 addresses (/proc/net/if_inet6)', `unreadable line: ${line.slice(0, 120)}`);
    for (const e of entries) byName.get(e.name)?.addresses.push(e.address);
  } catch (err) {
    log.add('IPv6 addresses (/proc/net/if_inet6)', fsReason(err) === 'not present' ? 'not present (IPv6 disabled?)' : fsReason(err));
  }
  await addIpv4(io, log, byName);
  return sortInterfaces([...byName.values()]);
}

/** /proc has no per-interface IPv4 list: rebuild it from the FIB and the connected routes. */
async function addIpv4(io: HostIO, log: UnreadableLog, byName: Map<string, NetInterface>): Promise<void> {
  let trie: string;
  let route: string;
  try {
    [trie, route] = await Promise.all([io.readFile('/proc/net/fib_trie'), io.readFile('/proc/net/route')]);
  } catch (err) {
    log.add('IPv4 addresses of interfaces (/proc/net/fib_trie, /proc/net/route)', fsReason(err), 'install iproute2');
    return;
  }
  const loopback = [...byName.values()].find((i) => i.loopback)?.name ?? null;
  const { placed, unplaced } = placeIpv4(parseFibTrieLocal(trie), parseProcRoute(route), loopback);
  for (const [name, addresses] of placed) {
    const iface = byName.get(name);
    if (iface) iface.addresses.unshift(...addresses);
    else for (const a of addresses) log.add(`IPv4 address ${a.address}`, `on interface ${name}, which could not be read`);
  }
  log.add(
    'IPv4 addresses of interfaces',
    'partial: read from /proc/net/fib_trie and /proc/net/route (prefix lengths from connected routes, no broadcast addresses)',
    'install iproute2',
  );
  for (const a of unplaced) log.add(`IPv4 address ${a}`, 'local, but no connected route says which interface holds it', 'install iproute2');
}

/** ARPHRD_* numbers of /sys/class/net/X/type, named as `ip -j addr` names them (ll_types.c). */
const LINK_TYPES: Record<number, string> = { 1: 'ether', 512: 'ppp', 768: 'ipip', 769: 'tunnel6', 772: 'loopback', 776: 'sit', 778: 'gre', 823: 'ip6gre', 65534: 'none' };

/** Link type and operational state as `ip` prints them; whatever cannot be read is left out. */
async function linkFacts(io: HostIO, name: string): Promise<{ linkType?: string; operState?: string }> {
  const out: { linkType?: string; operState?: string } = {};
  const read = (f: string) => io.readFile(`/sys/class/net/${name}/${f}`).then((t) => t.trim(), () => null);
  const [type, state] = await Promise.all([read('type'), read('operstate')]);
  const linkType = type === null ? undefined : LINK_TYPES[Number(type)];
  if (linkType) out.linkType = linkType;
  if (state) out.operState = state.toUpperCase();
  return out;
}

function sortInterfaces(list: NetInterface[]): NetInterface[] {
  return list.sort((a, b) => a.index - b.index || a.name.localeCompare(b.name));
}
