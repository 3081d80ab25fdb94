/**
 * `ipset save` output to the ipsets of the host context: `create NAME TYPE options…` then
 * `add NAME ENTRY [options…]`. Pure; never throws. `nomatch` entries are kept apart as
 * exceptions and list:set members by name; a set whose entries we cannot turn into packet
 * dimensions (MAC addresses) is kept but marked `partial`, so that rules matching it are read
 * as uncertain.
 *
 * @module
 */
import { type AddrSet, type Family, parseAddrSet } from '../model/addr.js';
import { type Diagnostic, type Parsed, excerpt } from '../model/diagnostics.js';
import { type IpSet, type IpSetComponent, type IpSetEntry, ipsetEntries } from '../model/host-context.js';
import * as I from '../model/interval-set.js';
import { protocolNumber } from '../model/protocols.js';
import { BoundLists } from './bound-lists.js';
import { icmpTypeSet } from './iptables-save/icmp-types.js';
import { TokenBuffer, tokenizeInto } from './iptables-save/tokenize.js';
import { readIpv4Prefix } from './ipv4-prefix.js';
import { readIpv6Prefix } from './ipv6-prefix.js';
import { nameTable } from '../model/name-table.js';

type ComponentKind = 'addr' | 'port' | 'iface' | 'mark' | 'other';

interface SetState {
  set: IpSet;
  kinds: ComponentKind[];
  /** hash:ip `netmask N`: entries stand for their whole prefix. */
  netmask: number | null;
  /** Address-only sets fill `set.addrEntries` through this at the end, while every entry is one range. */
  bounds: BoundLists | null;
}

const COMPONENT: Readonly<Record<string, ComponentKind>> = nameTable({ ip: 'addr', net: 'addr', port: 'port', iface: 'iface', mark: 'mark' });

/** Parse `ipset save` text; `file` names it in diagnostics. */
export function parseIpsetSave(text: string, file: string): Parsed<Map<string, IpSet>> {
  const sets = new Map<string, SetState>();
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, code: string, message: string, expected: string, input: string) =>
    diagnostics.push({ code, severity: 'error', message, location: { file, line }, expected, input: excerpt(input) });
  // One buffer for every line: a million `add` lines must not leave a million token objects.
  const buf = new TokenBuffer();
  const bounds = new Float64Array(2);

  const fast: FastAdd = { name: '', state: null };

  let lineNo = 0;
  for (let from = 0; from <= text.length; ) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const lineFrom = from;
    from = to + 1;
    lineNo++;
    if (addPlainCompact(text, lineFrom, to, sets, fast, bounds)) continue;
    const raw = text.slice(lineFrom, to);
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const column = tokenizeInto(line, buf);
    if (column >= 0) {
      error(lineNo, 'parse.unbalanced-quote', `unterminated quote at column ${column}`, 'a closing " for every opening "', raw);
      continue;
    }
    const verb = buf.values[0];
    if (verb === 'create') {
      const words = buf.values.slice(0, buf.length);
      const [, name, type] = words;
      if (name === undefined || type === undefined) {
        error(lineNo, 'parse.missing-argument', 'create needs a set name and a type', '"create NAME TYPE [options]", e.g. "create allow hash:net family inet"', raw);
        continue;
      }
      if (sets.has(name)) {
        error(lineNo, 'parse.duplicate-set', `set ${name} created twice`, 'one create line per set', raw);
        continue;
      }
      const m = /^(hash|bitmap|list):(.+)$/.exec(type);
      if (!m) {
        error(lineNo, 'parse.unknown-set-type', `unknown set type "${type}"`, 'a type such as hash:ip, hash:net,port, bitmap:port or list:set', raw);
        continue;
      }
      const kinds = m[2]!.split(',').map((c) => COMPONENT[c] ?? 'other');
      const opt = (key: string) => {
        const k = words.indexOf(key, 3);
        return k < 0 ? undefined : words[k + 1];
      };
      const fam = opt('family');
      let family: Family | null = null;
      if (fam === 'inet') family = 'ipv4';
      else if (fam === 'inet6') family = 'ipv6';
      else if (fam !== undefined) {
        error(lineNo, 'parse.bad-value', `unknown family "${fam}"`, 'family inet or family inet6', raw);
        continue;
      } else if (m[1] === 'bitmap' && kinds.includes('addr')) family = 'ipv4'; // bitmap:ip is IPv4 only
      else if (kinds.includes('addr')) family = 'ipv4'; // ipset's default family is inet
      const netmaskText = opt('netmask');
      const netmask = netmaskText === undefined ? null : Number(netmaskText);
      const list = m[1] === 'list';
      if (list) family = null; // a list:set holds sets of either family
      const partial = !list && kinds.includes('other');
      const set: IpSet = { name, type, family, entries: [], exceptions: [], partial };
      if (list) set.members = [];
      const addrOnly = !list && kinds.length === 1 && kinds[0] === 'addr';
      const lists = addrOnly ? new BoundLists(family === 'ipv4') : null;
      sets.set(name, { set, kinds, netmask: netmask !== null && Number.isInteger(netmask) ? netmask : null, bounds: lists });
      continue;
    }
    if (verb === 'add') {
      const name = buf.length > 1 ? buf.values[1]! : undefined;
      const value = buf.length > 2 ? buf.values[2]! : undefined;
      if (name === undefined || value === undefined) {
        error(lineNo, 'parse.missing-argument', 'add needs a set name and an entry', '"add NAME ENTRY", e.g. "add allow 192.0.2.0/24"', raw);
        continue;
      }
      const state = sets.get(name);
      if (!state) {
        error(lineNo, 'parse.undeclared-set', `entry for set ${name}, which was not created before`, `"create ${name} TYPE …" before its entries`, raw);
        continue;
      }
      if (state.set.members) {
        state.set.members.push(value);
        continue;
      }
      if (state.set.partial) continue; // entries of an unmodelled type are not needed
      // nomatch entries are exceptions carved out of wider ones (the more specific prefix wins).
      const nomatch = hasWord(buf, 'nomatch', 3);
      if (!nomatch && state.bounds && addCompact(value, state, bounds)) continue;
      const entry = parseEntry(value, state);
      if (typeof entry === 'string') {
        error(lineNo, 'parse.bad-value', `malformed entry "${value}" for ${state.set.type} set ${name}: ${entry}`, exampleFor(state.set.type), raw);
        continue;
      }
      if (!nomatch && state.bounds) expandCompact(state);
      (nomatch ? state.set.exceptions : state.set.entries).push(entry);
      continue;
    }
    error(lineNo, 'parse.unrecognised-line', 'not a line ipset save writes', '"create NAME TYPE …" or "add NAME ENTRY …"', raw);
  }
  const value = new Map<string, IpSet>();
  for (const [name, s] of sets) {
    if (s.bounds) s.set.addrEntries = s.bounds.entries();
    value.set(name, s.set);
  }
  return { value, diagnostics };
}

/** The set the last plain `add` line named: a dump lists a set's entries together. */
interface FastAdd {
  name: string;
  state: SetState | null;
}

const isBlank = (c: number) => c === 32 || c === 9 || c === 13;

/**
 * The bulk of a big dump, `add NAME ADDRESS [timeout N]` for an address-only set, read in
 * place from `text[from, to)`: no token list, and for IPv4 no string for the line, the name
 * or the address. Lines that do not start with `add `, lines with quotes, backslashes or the
 * word nomatch, and every entry the compact form cannot hold, answer false and take the
 * general path (which gives the same result or the diagnostic).
 */
function addPlainCompact(text: string, from: number, to: number, sets: ReadonlyMap<string, SetState>, fast: FastAdd, bounds: Float64Array): boolean {
  if (to - from < 4 || !text.startsWith('add ', from)) return false;
  let i = from + 4;
  while (i < to && isBlank(text.charCodeAt(i))) i++;
  const nameFrom = i;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) break;
    // Quotes and escapes need the tokenizer.
    if (c === 34 /* " */ || c === 92 /* \ */) return false;
  }
  const nameTo = i;
  while (i < to && isBlank(text.charCodeAt(i))) i++;
  const valueFrom = i;
  while (i < to && !isBlank(text.charCodeAt(i))) i++;
  const valueTo = i;
  if (valueFrom === valueTo) return false;
  // The address is digits, dots and a slash or declined below; the options after it must be
  // plain too, and nomatch makes an exception, not an entry.
  for (let k = valueTo; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === 34 || c === 92) return false;
    if (c === 110 /* n */ && text.startsWith('nomatch', k)) return false;
  }
  let state = fast.state;
  if (nameTo - nameFrom !== fast.name.length || !text.startsWith(fast.name, nameFrom)) {
    const name = text.slice(nameFrom, nameTo);
    state = sets.get(name) ?? null;
    // Only a created set is remembered: a name's set never changes once created.
    if (state) {
      fast.name = name;
      fast.state = state;
    }
  }
  if (!state?.bounds) return false;
  // IPv6 (and any IPv4 spelling the char-code reader declines): the general path's reading of
  // the entry, minus the tokenizer, since the line holds no quote or escape.
  if (state.set.family !== 'ipv4') return addCompact(text.slice(valueFrom, valueTo), state, bounds);
  let fixed = state.netmask;
  for (let k = valueFrom; k < valueTo; k++) {
    if (text.charCodeAt(k) === 47 /* / */) {
      fixed = null;
      break;
    }
  }
  if (!readIpv4Prefix(text, fixed, bounds, valueFrom, valueTo)) return false;
  state.bounds.push4(bounds[0]!, bounds[1]!);
  return true;
}

function hasWord(buf: TokenBuffer, word: string, from: number): boolean {
  for (let k = from; k < buf.length; k++) if (buf.values[k] === word) return true;
  return false;
}

/**
 * An entry of an address-only set as one range pushed on the set's bound lists; false when
 * the text is malformed or covers more than one range (the general path then decides).
 */
function addCompact(text: string, state: SetState, bounds: Float64Array): boolean {
  const family = state.set.family ?? 'ipv4';
  const lists = state.bounds!;
  if (family === 'ipv4' && readIpv4Prefix(text, text.includes('/') ? null : state.netmask, bounds)) {
    lists.push4(bounds[0]!, bounds[1]!);
    return true;
  }
  if (family === 'ipv6') {
    const range = readIpv6Prefix(text, text.includes('/') ? null : state.netmask);
    if (range) {
      lists.push(range[0], range[1]);
      return true;
    }
  }
  const entry = parseEntry(text, state);
  if (typeof entry === 'string') return false;
  const set = (entry[0] as { set: AddrSet }).set;
  if (set.length === 2) {
    lists.push(set[0]!, set[1]!);
    return true;
  }
  if (set.length === 0) {
    // An empty entry (a reversed range) still counts in nomatch precedence: keep it, empty.
    const zero = family === 'ipv4' ? 0 : 0n;
    lists.push(zero, zero);
    return true;
  }
  return false;
}

/** An entry the bound lists cannot hold: the set goes back to one object per entry, in order. */
function expandCompact(state: SetState): void {
  state.set.addrEntries = state.bounds!.entries();
  state.set.entries = ipsetEntries(state.set);
  delete state.set.addrEntries;
  state.bounds = null;
}

/** One entry, component by component; a string says what was wrong. */
function parseEntry(text: string, state: SetState): IpSetEntry | string {
  const { kinds } = state;
  const family = state.set.family ?? 'ipv4';
  const parts = text.split(',');
  if (parts.length !== kinds.length) return `expected ${kinds.length} component${kinds.length === 1 ? '' : 's'}, found ${parts.length}`;
  const entry: IpSetComponent[] = [];
  for (let k = 0; k < kinds.length; k++) {
    const part = parts[k]!;
    switch (kinds[k]) {
      case 'addr': {
        let set: AddrSet | null = parseAddrSet(part, family);
        if (set && state.netmask !== null && !part.includes('/') && !part.includes('-')) set = parseAddrSet(`${part}/${state.netmask}`, family);
        if (!set) return `"${part}" is not an ${family} address, prefix or range`;
        entry.push({ kind: 'addr', set });
        break;
      }
      case 'port': {
        const c = parsePortComponent(part, state.set.type.startsWith('bitmap:'), family === 'ipv6');
        if (!c) return `"${part}" is not a port (e.g. 22, tcp:22, udp:53, icmp:8/0)`;
        entry.push(c);
        break;
      }
      case 'iface':
        entry.push({ kind: 'iface', name: part.startsWith('physdev:') ? part.slice(8) : part });
        break;
      case 'mark': {
        const v = Number(part);
        if (!Number.isInteger(v) || v < 0) return `"${part}" is not a mark`;
        entry.push({ kind: 'mark', value: v });
        break;
      }
      default:
        return 'component type not modelled';
    }
  }
  return entry;
}

function parsePortComponent(text: string, bitmap: boolean, v6: boolean): IpSetComponent | null {
  const colon = text.indexOf(':');
  const protoText = colon < 0 ? null : text.slice(0, colon);
  const portText = colon < 0 ? text : text.slice(colon + 1);
  // Without a protocol ipset means tcp, except bitmap:port, which matches the port of any protocol.
  const proto = protoText === null ? (bitmap ? null : 6) : protocolNumber(protoText === 'icmpv6' ? 'ipv6-icmp' : protoText);
  if (protoText !== null && proto === null) return null;
  if (proto === 1 || proto === 58) {
    const set = icmpTypeSet(portText, proto === 58 || v6);
    return set ? { kind: 'port', proto, ports: set } : null;
  }
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(portText);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo > 65535 || hi > 65535 || hi < lo) return null;
  return { kind: 'port', proto, ports: I.range(lo, hi + 1) };
}

function exampleFor(type: string): string {
  if (type.includes('port')) return 'e.g. "192.0.2.1,tcp:22" or "22"';
  if (type.includes('iface')) return 'e.g. "192.0.2.0/24,eth0"';
  return 'e.g. "192.0.2.1", "192.0.2.0/24" or "2001:db8::/32"';
}
