/**
 * Address runs (lines that differ only in a leading -s/-d address) are read and lowered by
 * a shortcut; the result must be that of reading every line the long way: same rules, same
 * model, same diagnostics, whatever breaks the run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrsToSet } from '../../model/addr.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import type { HostContext } from '../../model/host-context.js';
import type { IptChain, IptRule } from './ast.js';
import { lowerIptables, parseIptablesSave, readDeferredRules } from './index.js';

const CONTEXT: HostContext = {
  localAddrs: { ipv4: cidrsToSet(['192.0.2.1/32'], 'ipv4'), ipv6: null },
  broadcastAddrs: null,
  ipsets: new Map(),
};

function dump(lines: readonly string[]): string {
  return ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':block - [0:0]', ':other - [0:0]', '-A INPUT -j block', ...lines, 'COMMIT', ''].join('\n');
}

/** The full read (no deferral, no runs) against the deferred read with every chain read, and the read-now load. */
function expectSameAsLongWay(text: string, family: 'ipv4' | 'ipv6' = 'ipv4'): void {
  const opts = { family, backend: 'iptables-legacy', context: CONTEXT, file: 'runs' } as const;
  const full = parseIptablesSave(text, 'runs');
  const fullModel = lowerIptables(full.value, opts);
  const fullDiagnostics = [...full.diagnostics, ...fullModel.diagnostics];

  const late: Diagnostic[] = [];
  const deferred = parseIptablesSave(text, 'runs', { deferUserChains: true });
  const deferredModel = lowerIptables(deferred.value, { ...opts, onDeferred: (ds) => late.push(...ds) });
  const rulesOf = (m: typeof fullModel) => [...m.value.chains.values()].map((c) => c.rules);
  expect(rulesOf(deferredModel)).toEqual(rulesOf(fullModel));
  // Read late, a chain sums up its own uncertain constructs: compare the errors (as deferred.test.ts does).
  const sorted = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error').map((d) => JSON.stringify(d)).sort();
  expect(sorted([...deferred.diagnostics, ...deferredModel.diagnostics, ...late])).toEqual(sorted(fullDiagnostics));

  if (fullDiagnostics.some((d) => d.severity === 'error')) return;
  const again = parseIptablesSave(text, 'runs', { deferUserChains: true });
  const now = lowerIptables(again.value, { ...opts, readNow: true });
  expect([...again.diagnostics, ...now.diagnostics]).toEqual(fullDiagnostics);
  expect(now.value).toEqual(fullModel.value);
}

/** The rules of user chain `block`, read from a deferred parse. */
function readBlock(lines: readonly string[]): IptRule[] {
  const parsed = parseIptablesSave(dump(lines), 'runs', { deferUserChains: true });
  const table = parsed.value.tables[0]!;
  const chain = table.chains.get('block') as IptChain;
  readDeferredRules(table, chain, 'runs');
  return chain.rules;
}

describe('AddressRun', () => {
  it('reads the lines after the first as the first with another address, sharing its parts', () => {
    const rules = readBlock(['-A block -s 192.0.2.7/32 -j REJECT --reject-with icmp-port-unreachable', '-A block -s 198.51.100.0/24 -j REJECT --reject-with icmp-port-unreachable']);
    expect(rules[1]!.generic[0]!.args).toEqual(['198.51.100.0/24']);
    expect(rules[1]!.target).toBe(rules[0]!.target);
    expect(rules[1]!.matches).toBe(rules[0]!.matches);
    expect(rules[1]!.text).toBe('-A block -s 198.51.100.0/24 -j REJECT --reject-with icmp-port-unreachable');
    expect(rules[1]!.position).toBe(2);
  });

  it('does not continue a run when the rest of the line differs', () => {
    const rules = readBlock(['-A block -s 192.0.2.7/32 -j DROP', '-A block -s 192.0.2.8/32 -j ACCEPT', '-A block -d 192.0.2.9/32 -j ACCEPT']);
    expect(rules[1]!.target).not.toBe(rules[0]!.target);
    expect(rules[2]!.generic[0]!.name).toBe('d');
    expect(rules[2]!.target).not.toBe(rules[1]!.target);
  });

  it('starts no run from a rule with counters, a negation or a quoted address', () => {
    for (const line of ['[1:2] -A block -s 192.0.2.7/32 -j DROP', '-A block ! -s 192.0.2.7/32 -j DROP', '-A block -s "192.0.2.7/32" -j DROP']) {
      const rules = readBlock([line, line.replace('192.0.2.7', '192.0.2.8')]);
      expect(rules[1]!.target).not.toBe(rules[0]!.target);
    }
  });
});

describe('address runs give the long way\u2019s model and diagnostics', () => {
  it('on blocklist and country-filter runs', () => {
    const lines: string[] = [];
    for (let k = 0; k < 20; k++) lines.push(`-A block -s 203.0.113.${k}/32 -j REJECT --reject-with icmp-port-unreachable`);
    for (let k = 0; k < 20; k++) lines.push(`-A block -s ${k + 1}.0.0.0/${8 + k} -j DROP`);
    for (let k = 0; k < 5; k++) lines.push(`-A block -d 198.51.100.${k} -p tcp -m tcp --dport 22 -m comment --comment "run ${k < 3 ? 'a' : 'b'}" -j ACCEPT`);
    expectSameAsLongWay(dump(lines));
  });

  it('when a line in the run is malformed, uncertain or restricts the address dimension again', () => {
    const lines = [
      '-A block -s 192.0.2.1/32 -j DROP',
      '-A block -s 192.0.2.300/32 -j DROP', // bad value
      '-A block -s 192.0.2.2/32 -j DROP',
      '-A block -s 10.0.0.0/255.0.255.0 -j DROP', // non-contiguous mask: a superset
      '-A block -s 192.0.2.3/32 -j DROP',
      '-A block -s ! 192.0.2.4/32 -j DROP', // old negation
      '-A block -s 192.0.2.5/32 -j DROP',
      '-A block -s -j DROP', // missing argument
      '-A block -s 192.0.2.6/32 -m iprange --src-range 192.0.2.0-192.0.2.9 -j DROP',
      '-A block -s 192.0.2.7/32 -m iprange --src-range 192.0.2.0-192.0.2.9 -j DROP',
      '-A block -s 192.0.2.8/32 -m mac --mac-source 00:11:22:33:44:55 -j DROP',
      '-A block -s 192.0.2.9/32 -m mac --mac-source 00:11:22:33:44:55 -j DROP',
      '-A block -s 192.0.2.10/32 -m limit --limit 3/min -j ACCEPT',
      '-A block -s 192.0.2.11/32 -m limit --limit 3/min -j ACCEPT',
      '-A block -s 192.0.2.12/32 -p tcp -m multiport --ports 22,80 -j ACCEPT',
      '-A block -s 192.0.2.13/32 -p tcp -m multiport --ports 22,80 -j ACCEPT',
      '-A block -s 192.0.2.14/32 -f -j ACCEPT',
      '-A block -s 192.0.2.15/32 -f -j ACCEPT',
      '-A block -s 192.0.2.16/32 -j other',
      '-A block -s 192.0.2.17/32 -j other',
      '-A block -s 192.0.2.18/32 -s 192.0.2.0/24 -j DROP',
      '-A block -s 192.0.2.19/32 -s 192.0.2.0/24 -j DROP',
      '-A block -s 192.0.2.20/32',
      '-A block -s 192.0.2.21/32',
      '-A block -s 192.0.2.22/32   -j DROP  ',
      '-A block -s 192.0.2.23/32   -j DROP',
      '-A block -s 192.0.2.24/32 -j DROP',
      '-A block -s 192.0.2.25/32 -j NETMAP --to 10.0.0.0/24',
      '-A block -s 192.0.2.26/32 -j NETMAP --to 10.0.0.0/24',
      '-A block -s 192.0.2.27/32 -j TARPIT',
      '-A block -s 192.0.2.28/32 -j TARPIT',
      '-A other -s 192.0.2.29/32 -j DROP',
      '-A block -s 192.0.2.30/32 -j DROP',
    ];
    expectSameAsLongWay(dump(lines));
  });

  it('when a run holds parse errors', () => {
    expectSameAsLongWay(dump(['-A block -s 192.0.2.1/32 -j nowhere', '-A block -s 192.0.2.2/32 -j nowhere', '-A block -s 192.0.2.3/32 -j DROP', '-A block -s --dport -j DROP', '-A block -s 192.0.2.4/32 -j DROP', '-A block -s ! -j DROP']));
  });

  it('on IPv6 runs', () => {
    const lines = ['-A block -s 2001:db8::1/128 -j DROP', '-A block -s 2001:db8::2/128 -j DROP', '-A block -s fe80::/10 -j DROP', '-A block -s zz::1 -j DROP', '-A block -s 2001:db8::3 -j DROP'];
    expectSameAsLongWay(dump(lines), 'ipv6');
  });

  it('on random runs of addresses and rule tails', () => {
    const address = fc.constantFrom('192.0.2.1', '192.0.2.0/24', '10.0.0.0/8', '192.0.2.300', '0.0.0.0/0', '10.0.0.0/255.0.255.0', '!', '-j', '"192.0.2.9"', '192.0.2.1,198.51.100.0/24', '2001:db8::1', '', '01.2.3.4');
    const tail = fc.constantFrom('-j DROP', '-j REJECT --reject-with tcp-reset', '-p tcp -m tcp --dport 22 -j ACCEPT', '-m iprange --src-range 192.0.2.0-192.0.2.9 -j DROP', '-m recent --rcheck --name x -j DROP', '-j other', '-j nowhere', '', '-m comment --comment "a b" -j RETURN', '-d 192.0.2.1 -j DROP', '-f -j DROP');
    // Runs: one flag, tail and chain for several addresses in a row.
    const run = fc
      .record({ flag: fc.constantFrom('-s', '-d', '! -s', '--source'), tail, chain: fc.constantFrom('block', 'block', 'other'), addresses: fc.array(address, { minLength: 1, maxLength: 6 }) })
      .map(({ flag, tail: t, chain, addresses }) => addresses.map((a) => `-A ${chain} ${flag} ${a} ${t}`.trimEnd()));
    fc.assert(fc.property(fc.array(run, { maxLength: 8 }), (runs) => expectSameAsLongWay(dump(runs.flat()))), { numRuns: 300 });
  });
});
