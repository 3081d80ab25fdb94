/**
 * The benchmark's own tests (node:test, as vitest only looks under src/ and test/):
 *   node --test bench/
 * The real-tool check needs root (network namespaces) and says so when it cannot run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCase } from './generate.mjs';
import { checkCase } from './lib/check-dumps.mjs';
import { netnsAvailable } from './lib/netns.mjs';
import { parseNmapXml } from './lib/nmap-scan.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { summarize } from './lib/profile-summary.mjs';

const rulesOf = (text) => text.split('\n').filter((l) => l.startsWith('-A ')).length;

test('same seed, same bytes; another seed, other rules', () => {
  const a = generateCase({ format: 'iptables', size: 1000, seed: 1 });
  const b = generateCase({ format: 'iptables', size: 1000, seed: 1 });
  const c = generateCase({ format: 'iptables', size: 1000, seed: 2 });
  assert.equal(JSON.stringify(a.snapshot), JSON.stringify(b.snapshot));
  assert.notEqual(a.dumps.iptables, c.dumps.iptables);
});

test('iptables dumps hold exactly N and N/10 rules', () => {
  for (const size of [1000, 5000]) {
    const { dumps, stats } = generateCase({ format: 'iptables', size });
    assert.equal(rulesOf(dumps.iptables), size);
    assert.equal(rulesOf(dumps.ip6tables), size / 10);
    assert.equal(stats.rules, size * 1.1);
    assert.match(dumps.iptables, /^-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT$/m);
    assert.match(dumps.iptables, /^-A INPUT -j blocklist$/m);
    assert.match(dumps.iptables, /^-A INPUT -j DROP$/m);
  }
});

test('nft cases hold exactly N rules, or N set elements, with handles as nft numbers them', () => {
  const nft = generateCase({ format: 'nft', size: 2000 });
  const objs = JSON.parse(nft.dumps.nftJson).nftables;
  assert.equal(objs.filter((o) => o.rule).length, 2000);
  const set = generateCase({ format: 'nft-set', size: 3000 });
  const sets = JSON.parse(set.dumps.nftJson).nftables.filter((o) => o.set);
  assert.equal(sets.find((s) => s.set.name === 'blocklist').set.elem.length, 3000);
  assert.equal(sets.find((s) => s.set.name === 'blocklist6').set.elem.length, 300);
  // Handles are unique per table and rules come in ascending handle order.
  for (const table of ['filter', 'nat']) {
    const hs = objs.filter((o) => (o.rule ?? o.chain ?? o.set)?.table === table).map((o) => (o.rule ?? o.chain ?? o.set).handle);
    assert.equal(new Set(hs).size, hs.length);
  }
});

test('1,000 listeners that can all be bound side by side', () => {
  const { snapshot } = generateCase({ format: 'nft', size: 1000 });
  assert.equal(snapshot.sockets.length, 1000);
  const byPort = new Map();
  for (const s of snapshot.sockets) byPort.set(`${s.proto}/${s.port}`, [...(byPort.get(`${s.proto}/${s.port}`) ?? []), s]);
  for (const [key, socks] of byPort) {
    if (socks.length === 1) continue;
    // Only the 0.0.0.0 + IPv6-only :: pair shares a port.
    assert.equal(socks.length, 2, key);
    assert.deepEqual(socks.map((s) => [s.address, s.v6only]).sort(), [['0.0.0.0', null], ['::', true]], key);
  }
  assert.ok(snapshot.sockets.some((s) => s.proto === 'udp' && s.family === 'ipv6'));
  assert.ok(snapshot.sockets.some((s) => s.address === '::' && s.v6only === false));
});

test('every IPv4 address in the dumps lies in reserved space', () => {
  const { dumps } = generateCase({ format: 'iptables', size: 3000 });
  const nft = generateCase({ format: 'nft', size: 3000 }).dumps.nftText;
  const reserved = (a) => {
    const [o1, o2, o3] = a.split('.').map(Number);
    return (o1 === 192 && o2 === 0 && o3 === 2) || (o1 === 198 && o2 === 51 && o3 === 100) || (o1 === 203 && o2 === 0 && o3 === 113)
      || (o1 === 198 && (o2 === 18 || o2 === 19)) || o1 === 10 || (o1 === 172 && o2 >= 16 && o2 < 32)
      || (o1 >= 240 && o1 <= 247) || o1 === 127 || a === '255.255.255.255';
  };
  for (const text of [dumps.iptables, nft]) {
    const bad = [...text.matchAll(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g)].map((m) => m[0]).filter((a) => !reserved(a));
    assert.deepEqual(bad, []);
  }
  for (const m of dumps.ip6tables.matchAll(/-s ([0-9a-f:]+)\//g)) assert.match(m[1], /^2001:db8:/);
});

test('the real tools accept the dumps and print them back', { skip: netnsAvailable() ? false : 'needs root and iproute2 for network namespaces' }, () => {
  for (const format of ['iptables', 'nft', 'nft-set']) {
    const lines = checkCase(generateCase({ format, size: 1000 }));
    assert.ok(lines.length >= 2, format);
    for (const l of lines) assert.ok(l.ok, `${format}: ${l.what}: ${l.detail}`);
  }
});

test('nmap XML: listed ports and folded extraports both give states', () => {
  const xml = '<ports><extraports state="filtered" count="4">\n<extrareasons reason="no-response" count="4" proto="tcp" ports="33,53,100-101"/>\n</extraports>'
    + '<port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/></port></ports>';
  assert.deepEqual(parseNmapXml(xml), { 22: 'open', 33: 'filtered', 53: 'filtered', 100: 'filtered', 101: 'filtered' });
});

test('the report marks missed targets and lists failures', () => {
  const results = { command: 'x', startedAt: 't', machine: { cpus: 2, cpuModel: 'cpu', memGb: 1, kernel: 'k', node: 'v20' }, cases: [
    { name: 'iptables-100000', format: 'iptables', size: 100000, stats: { rules: 110000, setElements: 0 },
      library: { phases: { jsonParse: 10, load: 1500 }, explain: { median: 2, p95: 3 }, failedIn: 'analyze', outOfMemory: true, partial: true, error: 'out of memory (V8 heap limit) after 9 s, in analyze' },
      cli: { ok: false, runs: [{ ok: false, status: null, outOfMemory: true, wallMs: 9000 }] } },
  ] };
  const md = renderMarkdown(results);
  assert.match(md, /\| iptables-100000 \| – \(\*\*NO\*\*\) \|/);
  assert.match(md, /2\.00 ms \(yes\)/);
  assert.match(md, /\*\*out of memory\*\*/);
  assert.match(md, /library run: out of memory/);
});

test('profile summary: self and total time per function', () => {
  const profile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2] },
      { id: 2, callFrame: { functionName: 'outer', url: '', lineNumber: 0 }, children: [3] },
      { id: 3, callFrame: { functionName: 'inner', url: '', lineNumber: 4 }, children: [] },
    ],
    samples: [3, 3, 2, 3], timeDeltas: [1000, 1000, 1000, 1000],
  };
  const [top] = summarize(profile, 1);
  assert.equal(top.fn, 'inner');
  assert.equal(top.selfMs, 3);
  const outer = summarize(profile, 5, { by: 'total' }).find((r) => r.fn === 'outer');
  assert.equal(outer.totalMs, 4);
  assert.equal(outer.selfMs, 1);
});
