/**
 * A name that Object.prototype answers to ("constructor", "toString", "__proto__", …) is read
 * as any other unknown name, wherever a ruleset names something: a protocol, a port, a module,
 * a flag, a reject code, a table family, a priority. The lookup tables once answered with
 * Object.prototype's members (a table family "toString" crashed the nft lowering; issue 8), so
 * each case is run twice, with the prototype name and with an unknown name of the same length,
 * and the two readings must agree word for word (the name itself masked).
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../../test/fixtures/iptables-save/summarize.js';
import { cidrsToSet } from '../model/addr.js';
import type { HostContext } from '../model/host-context.js';
import { lowerIptables, parseIptablesSave } from './iptables-save/index.js';
import { lowerNft, parseNftJson } from './nft-json/index.js';
import { parseNmapXml } from './nmap-xml/index.js';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
const CONTEXT: HostContext = { localAddrs: { ipv4: cidrsToSet(['192.0.2.1/32'], 'ipv4'), ipv6: null }, broadcastAddrs: null, ipsets: new Map() };

/** An unknown name as long as `name` (locations keep their columns). */
const stranger = (name: string) => 'z'.repeat(name.length);
/** The reading's text with the name (in any case) written as the stranger. */
const masked = (value: unknown, name: string) => JSON.stringify(value).replace(new RegExp(name.replace(/[_$]/g, '\\$&'), 'gi'), stranger(name));

function readIptables(text: string): unknown {
  const parsed = parseIptablesSave(text, 'x.rules');
  const lowered = lowerIptables(parsed.value, { family: 'ipv4', backend: 'iptables-legacy', context: CONTEXT, file: 'x.rules' });
  return summarize(lowered.value, [...parsed.diagnostics, ...lowered.diagnostics]);
}

function readNft(items: unknown[]): unknown {
  const parsed = parseNftJson(JSON.stringify({ nftables: items }), 'x.json');
  const lowered = lowerNft(parsed.value, { context: CONTEXT, file: 'x.json' });
  const diagnostics = [...parsed.diagnostics, ...lowered.diagnostics];
  return { ipv4: summarize(lowered.value.ipv4, diagnostics), ipv6: summarize(lowered.value.ipv6, []) };
}

const IPTABLES_LINES = [
  '-A INPUT -p NAME -j DROP',
  '-A INPUT -p tcp -m tcp --dport NAME -j DROP',
  '-A INPUT -p tcp -m multiport --dports 22,NAME -j DROP',
  '-A INPUT -m NAME -j DROP',
  '-A INPUT -p tcp -m tcp --NAME 1 -j DROP',
  '-A INPUT -p tcp -m tcp --tcp-flags NAME SYN -j DROP',
  '-A INPUT -m conntrack --ctstatus NAME -j DROP',
  '-A INPUT -m conntrack --NAME 192.0.2.1 -j DROP',
  '-A INPUT -j REJECT --reject-with NAME',
  '-A INPUT -j NAME',
];

const tcp = (field: string) => ({ payload: { protocol: 'tcp', field } });
const match = (left: unknown, right: unknown, op = '==') => ({ match: { op, left, right } });
const NFT_STATEMENTS: ((name: string) => unknown[])[] = [
  (n) => [match(tcp('dport'), n), { drop: null }],
  (n) => [match({ meta: { key: 'l4proto' } }, n), { drop: null }],
  (n) => [match({ ct: { key: 'state' } }, n, 'in'), { drop: null }],
  (n) => [match({ ct: { key: 'status' } }, n, 'in'), { drop: null }],
  (n) => [match({ ct: { key: n } }, 1), { drop: null }],
  (n) => [match(tcp('flags'), n), { drop: null }],
  (n) => [match({ payload: { protocol: n, field: 'dport' } }, 22), { drop: null }],
  (n) => [match({ payload: { protocol: 'icmp', field: 'type' } }, n), { drop: null }],
  (n) => [match({ payload: { protocol: 'ether', field: 'type' } }, n), { drop: null }],
  (n) => [match({ fib: { result: 'type', flags: ['daddr'] } }, n), { drop: null }],
  (n) => [match({ meta: { key: 'pkttype' } }, n), { drop: null }],
  (n) => [match({ meta: { key: 'nfproto' } }, n), { drop: null }],
  (n) => [match(tcp('dport'), 22, n), { drop: null }],
  (n) => [{ reject: { type: 'icmp', expr: n } }],
  (n) => [{ reject: { type: 'icmpx', expr: n } }],
];

function nftTable(name: string, statement: (n: string) => unknown[], where: 'rule' | 'family' | 'priority'): unknown[] {
  const family = where === 'family' ? name : 'inet';
  const prio = where === 'priority' ? name : 0;
  return [
    { table: { family, name: 't' } },
    { chain: { family, table: 't', name: 'c', type: 'filter', hook: 'input', prio, policy: 'accept' } },
    { rule: { family, table: 't', chain: 'c', expr: where === 'rule' ? statement(name) : [{ drop: null }] } },
  ];
}

describe('names Object.prototype answers to are unknown names, nothing more', () => {
  it.each(PROTOTYPE_NAMES)('iptables-save: %s as a protocol, port, module, option, flag, status, reject code, target, table', (name) => {
    for (const line of [...IPTABLES_LINES.map((l) => `*filter\n:INPUT ACCEPT [0:0]\n${l}\nCOMMIT\n`), `*NAME\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\nCOMMIT\n`]) {
      const dump = (n: string) => line.replaceAll('NAME', n);
      expect(masked(readIptables(dump(name)), name), dump(name)).toBe(JSON.stringify(readIptables(dump(stranger(name)))));
    }
  });

  it.each(PROTOTYPE_NAMES)('nft JSON: %s as a service, protocol, state, status, ct key, flag, ICMP type, ether type, route type, operator, reject code, family, priority', (name) => {
    const cases = [...NFT_STATEMENTS.map((s) => (n: string) => nftTable(n, s, 'rule')), (n: string) => nftTable(n, () => [], 'family'), (n: string) => nftTable(n, () => [], 'priority')];
    for (const make of cases) {
      expect(masked(readNft(make(name)), name), JSON.stringify(make(name))).toBe(JSON.stringify(readNft(make(stranger(name)))));
    }
  });

  it.each(PROTOTYPE_NAMES)('nmap XML: %s as a TLS version is no version', (name) => {
    const xml = (v: string) =>
      `<?xml version="1.0"?><nmaprun scanner="nmap" args="nmap" start="1" version="7.93"><host><status state="up"/><address addr="192.0.2.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="443"><state state="open" reason="syn-ack"/><service name="https"/><script id="ssl-enum-ciphers" output=""><table key="${v}"/></script></port></ports></host></nmaprun>`;
    const read = (v: string) => parseNmapXml(xml(v), 'scan.xml');
    expect(masked(read(name), name)).toBe(JSON.stringify(read(stranger(name))));
  });
});
