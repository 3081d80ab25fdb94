/**
 * What the parser must know about options to group them: the generic options, how many
 * arguments an option takes, and which module `-p proto` loads implicitly. Option names are
 * without dashes; module-specific arities are keyed "module:name" and win over plain names.
 *
 * @module
 */
import { nameTable } from '../../model/name-table.js';

/** Generic (module-less) options, long and short, to their canonical short name. */
export const GENERIC_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['-s', 's'], ['--source', 's'], ['--src', 's'],
  ['-d', 'd'], ['--destination', 'd'], ['--dst', 'd'],
  ['-p', 'p'], ['--protocol', 'p'],
  ['-i', 'i'], ['--in-interface', 'i'],
  ['-o', 'o'], ['--out-interface', 'o'],
  ['-f', 'f'], ['--fragment', 'f'],
  ['-m', 'm'], ['--match', 'm'],
  ['-j', 'j'], ['--jump', 'j'],
  ['-g', 'g'], ['--goto', 'g'],
  ['-c', 'c'], ['--set-counters', 'c'],
]);

/** Arity of the generic options (by canonical name). */
export const GENERIC_ARITY: Readonly<Record<string, number>> = nameTable({ s: 1, d: 1, p: 1, i: 1, o: 1, f: 0, m: 1, j: 1, g: 1, c: 2 });

/** Options that take no argument. */
const FLAGS = [
  'syn', 'rcheck', 'update', 'set', 'remove', 'rsource', 'rdest', 'rttl', 'reap',
  'log-tcp-sequence', 'log-tcp-options', 'log-ip-options', 'log-uid', 'log-macdecode',
  'notrack', 'random', 'random-fully', 'persistent', 'clamp-mss-to-pmtu', 'checksum-fill',
  'strict', 'next', 'invert', 'loose', 'validmark', 'accept-local',
  'physdev-is-in', 'physdev-is-out', 'physdev-is-bridged', 'save-mark', 'restore-mark',
  'kerneltz', 'localtz', 'utc', 'contiguous', 'return-nomatch', 'update-counters',
  'update-subcounters', 'queue-bypass', 'fail-open', 'queue-cpu-fanout',
  'limit-iface-in', 'limit-iface-out', 'connlimit-saddr', 'connlimit-daddr', 'icase',
  'transparent', 'nowildcard', 'restore-skmark', 'socket-exists', 'suppl-groups',
  'fragres', 'fragfirst', 'fragmore', 'fraglast', 'rt-0-not-strict', 'ecn-tcp-cwr',
  'ecn-tcp-ece', 'exist', 'sack-perm', 'timestamp', 'ecn', 'led-always-blink', 'soft',
  'hbh-len', 'ahres', 'nodst',
];

/** Options that take exactly two arguments. */
const PAIRS = ['tcp-flags', 'match-set', 'add-set', 'del-set', 'map-set'];

/** Options we lower, which take exactly one argument (a missing one is an error). */
const SINGLES = [
  'dport', 'sport', 'destination-port', 'source-port', 'dports', 'sports', 'ports',
  'destination-ports', 'source-ports', 'state', 'ctstate', 'icmp-type', 'icmpv6-type',
  'src-type', 'dst-type', 'src-range', 'dst-range', 'comment', 'pkt-type', 'reject-with',
  'to-destination', 'to-source', 'to-ports', 'to', 'log-prefix', 'log-level', 'name',
  'seconds', 'hitcount', 'mask', 'limit', 'limit-burst', 'mark', 'set-mark', 'set-xmark',
  'uid-owner', 'gid-owner', 'mac-source', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc',
  'ctrepldst', 'ctstatus', 'ctexpire', 'ctdir', 'helper', 'nflog-group', 'nflog-prefix',
  'queue-num', 'queue-balance', 'tcp-option',
];

const ARITY = new Map<string, number>([
  ...FLAGS.map((n) => [n, 0] as const),
  ...PAIRS.map((n) => [n, 2] as const),
  ...SINGLES.map((n) => [n, 1] as const),
  ['chunk-types', 2], // sctp: `--chunk-types all INIT`
]);

/** Options whose arity differs in one module (nested, so the hot path builds no key strings). */
const MODULE_ARITY = new Map<string, ReadonlyMap<string, number>>([
  ['set', new Map([['set', 2]])], // ipset match before 4.x: `-m set --set NAME src`
]);

/** Exact arity of an option, or null when unknown (then it takes every following non-option word). */
export function optionArity(module: string, name: string): number | null {
  return MODULE_ARITY.get(module)?.get(name) ?? ARITY.get(name) ?? null;
}

/** A word that starts an option: unquoted "-x" or "--xy" (not "-" alone, not "-1"). */
export function isOptionWord(value: string, quoted: boolean): boolean {
  if (quoted || value.length < 2 || value.charCodeAt(0) !== 45) return false;
  const c = value.charCodeAt(1);
  return c === 45 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The module `-p name` loads for options given without `-m`. */
export function implicitModule(proto: string): string | null {
  switch (proto.toLowerCase()) {
    case 'tcp':
    case '6':
      return 'tcp';
    case 'udp':
    case '17':
      return 'udp';
    case 'icmp':
    case '1':
      return 'icmp';
    case 'ipv6-icmp':
    case 'icmpv6':
    case 'icmp6':
    case '58':
      return 'icmp6';
    case 'sctp':
    case '132':
      return 'sctp';
    case 'dccp':
    case '33':
      return 'dccp';
    default:
      return null;
  }
}

/**
 * Options of the protocol modules and of the modules that often follow them, so that
 * `-p tcp -m state --state NEW --dport 22` (restore input, not save output) still puts
 * `--dport` in the tcp module, as iptables' option lookup does.
 */
export const MODULE_OPTIONS: Readonly<Record<string, readonly string[]>> = nameTable({
  tcp: ['sport', 'dport', 'source-port', 'destination-port', 'tcp-flags', 'syn', 'tcp-option'],
  udp: ['sport', 'dport', 'source-port', 'destination-port'],
  icmp: ['icmp-type'],
  icmp6: ['icmpv6-type'],
  sctp: ['sport', 'dport', 'source-port', 'destination-port', 'chunk-types'],
  dccp: ['sport', 'dport', 'source-port', 'destination-port', 'dccp-types', 'dccp-option'],
  state: ['state'],
  conntrack: ['ctstate', 'ctproto', 'ctorigsrc', 'ctorigdst', 'ctreplsrc', 'ctrepldst', 'ctorigsrcport', 'ctorigdstport', 'ctreplsrcport', 'ctrepldstport', 'ctstatus', 'ctexpire', 'ctdir'],
  multiport: ['sports', 'dports', 'ports', 'source-ports', 'destination-ports'],
  comment: ['comment'],
  limit: ['limit', 'limit-burst'],
  addrtype: ['src-type', 'dst-type', 'limit-iface-in', 'limit-iface-out'],
  iprange: ['src-range', 'dst-range'],
  mac: ['mac-source'],
  pkttype: ['pkt-type'],
  mark: ['mark'],
});
