/**
 * `collect` lists nftables tables one by one and leaves out those iptables-nft-save holds
 * (issue 8), on a mixed host: iptables-nft's raw, filter and nat (Docker's rules with a
 * container behind DNAT), native nft tables (an inet table with sets and verdict maps, an ip
 * table with a set, a map and a jump within it), and `ip security`, an xtables name with a
 * chain iptables-nft cannot read, which iptables-nft-save prints without that chain. Proves:
 * the kernel agrees with the answers of the snapshot so collected, and its audit equals the
 * audit of the same host with the whole ruleset dumped in one `nft -j list ruleset`, as
 * collect did before.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runIn, runAsync } from './harness/exec.js';
import { DEFAULT_LISTENERS, portsOf, type ListenerSpec } from './harness/flows.js';
import { PORTCULLIS_BIN, portcullisPredictor, type Predictor } from './harness/scenario.js';
import { kernelSuite } from './harness/suite.js';

interface Source {
  kind: string;
  command: string[];
  content?: string;
  nftTablesLeftOut?: string[];
}

const HOST: ListenerSpec[] = DEFAULT_LISTENERS.filter((l) => l.port !== 8080);
const CONTAINER: ListenerSpec[] = [{ proto: 'tcp', host: '0.0.0.0', port: 80 }];
const PORTS = [...portsOf(HOST), ...[8080, 2223, 2224, 2225].map((port) => ({ proto: 'tcp' as const, port }))];

/** An audit as JSON without what names the sources: their labels and places, the nft sources' lines, the note on left-out tables. */
function comparable(auditJson: string, dir: string): unknown {
  const audit = JSON.parse(auditJson.split(dir).join('DIR')) as { generatedAt?: string; hosts: Array<{ sourceStatus: Array<{ source: string }>; diagnostics: Array<{ code: string }> }> };
  delete audit.generatedAt;
  for (const h of audit.hosts) {
    h.sourceStatus = h.sourceStatus.filter((s) => !s.source.includes('(nft -j list'));
    h.diagnostics = h.diagnostics.filter((d) => d.code !== 'collect.nft-tables-left-out');
  }
  // A rule's origin names its dump and its place in it: the same rule, another dump.
  return JSON.parse(JSON.stringify(audit).replace(/#firewall\[\d+\] \([^)]*\)/g, '#firewall').replace(/\$\.nftables\[\d+\]/g, '$.nftables[]'));
}

async function audit(file: string): Promise<string> {
  const r = await runAsync([process.execPath, PORTCULLIS_BIN, 'audit', '--snapshot', file, '--format', 'json']);
  if (r.stdout.trim() === '') throw new Error(`audit of ${file} failed (exit ${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** The real collect (per-table listing), then the same host with one whole-ruleset dump: equal audits. */
const bothWays: Predictor = async (flows, ctx) => {
  const answers = await portcullisPredictor(flows, ctx);
  const snap = JSON.parse(readFileSync(join(ctx.dir, 'snapshot.json'), 'utf8')) as { firewall: Source[] };
  // The listing this test is about did happen: native tables one by one, iptables-nft's left out.
  expect(snap.firewall.filter((f) => f.kind === 'nft-json').map((f) => f.command.join(' '))).toEqual([
    'nft -j list table inet filter',
    'nft -j list table inet host_guard',
    'nft -j list table ip security',
    'nft -j list table ip guard',
  ]);
  expect(snap.firewall.filter((f) => f.nftTablesLeftOut).map((f) => [f.command.join(' '), f.nftTablesLeftOut])).toEqual([
    ['iptables-nft-save', ['raw', 'filter', 'nat']],
    ['ip6tables-nft-save', ['filter']],
  ]);
  const whole = runIn(ctx.topo.server, ['nft', '-j', 'list', 'ruleset']);
  const before = {
    ...snap,
    firewall: [
      { kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: whole },
      ...snap.firewall.filter((f) => f.kind !== 'nft-json').map(({ nftTablesLeftOut: _, ...f }) => f),
    ],
  };
  for (const [name, value] of [['per-table', snap], ['ruleset', before]] as const) {
    mkdirSync(join(ctx.dir, name));
    writeFileSync(join(ctx.dir, name, 'host.json'), JSON.stringify(value));
  }
  const [perTable, ruleset] = await Promise.all([audit(join(ctx.dir, 'per-table', 'host.json')), audit(join(ctx.dir, 'ruleset', 'host.json'))]);
  expect(comparable(perTable, join(ctx.dir, 'per-table'))).toEqual(comparable(ruleset, join(ctx.dir, 'ruleset')));
  expect(JSON.parse(perTable).hosts[0].diagnostics.filter((d: { code: string }) => d.code === 'collect.nft-tables-left-out')).toHaveLength(1);
  return answers;
};

kernelSuite(
  'kernel: collect lists nft tables beside iptables-nft',
  [
    {
      name: 'mixed host: iptables-nft (Docker) + native nft tables + a table iptables-nft prints without its chain',
      load: [
        { tool: 'nft', file: 'nft-inet-sets-vmap.nft' },
        { tool: 'iptables-restore', file: 'docker.v4.rules' },
        { tool: 'ip6tables-restore', file: 'docker.v6.rules' },
        { tool: 'nft', file: 'mixed-native.nft' },
        { tool: 'nft', file: 'collect-listing.nft' },
      ],
      listeners: HOST,
      container: CONTAINER,
      audit: true,
      flows: { ports: PORTS, iface: true },
    },
  ],
  ['iptables-restore', 'ip6tables-restore', 'nft'],
  bothWays,
);
