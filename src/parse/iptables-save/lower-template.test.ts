/**
 * Lowering from line templates (lower-template.ts) must give the model and diagnostics of
 * reading every line the long way: checked on every iptables-save and ip6tables-save dump we
 * have (the fixtures, the real-world dumps, a kube-proxy node from the bench generator) and on
 * lines of one shape whose holes hold values a template cannot take.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../bench/lib/prng.mjs';
import { kubeIptables, kubeServices } from '../../../bench/lib/real/kube-iptables.mjs';
import { cidrsToSet } from '../../model/addr.js';
import type { HostContext } from '../../model/host-context.js';
import type { FirewallModel } from '../../model/ruleset.js';
import { lowerIptables, parseIptablesSave } from './index.js';
import { templateUse } from './lower-template.js';

const CONTEXT: HostContext = {
  localAddrs: { ipv4: cidrsToSet(['127.0.0.0/8', '192.0.2.1/32'], 'ipv4'), ipv6: cidrsToSet(['::1/128', '2001:db8::1/128'], 'ipv6') },
  broadcastAddrs: cidrsToSet(['192.0.2.255/32'], 'ipv4'),
  ipsets: new Map(),
};

function dumpsIn(dir: string): [string, string][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.rules'))
    .sort()
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
}

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/iptables-save');
const REAL_WORLD = join(import.meta.dirname, '../../../../shared/fixtures/real-world');
const DUMPS: [string, string][] = [
  ...dumpsIn(FIXTURES),
  ...dumpsIn(join(REAL_WORLD, 'iptables-save')),
  ...dumpsIn(join(REAL_WORLD, 'ip6tables-save')).map(([f, t]): [string, string] => [`ip6-${f}`, t]),
  ['kube-proxy-300.rules', kubeIptables(kubeServices(createRng(7), 300))],
];

/** A full load as audit reads it (user chains read now, line by line), with or without templates. */
function load(text: string, file: string, family: 'ipv4' | 'ipv6', templates: boolean) {
  const parsed = parseIptablesSave(text, file, { deferUserChains: true });
  const lowered = lowerIptables(parsed.value, { family, backend: 'iptables-legacy', context: CONTEXT, file, readNow: true, templates });
  return { model: lowered.value, diagnostics: [...parsed.diagnostics, ...lowered.diagnostics] };
}

/** Every rule's keys in order: renderers print rules as built. */
function keyOrder(model: FirewallModel): string[] {
  const out: string[] = [];
  for (const c of model.chains.values()) for (const r of c.rules) out.push(Object.keys(r).join(','));
  return out;
}

function expectSame(text: string, file: string, family: 'ipv4' | 'ipv6'): number {
  const before = templateUse.filled;
  const plain = load(text, file, family, false);
  expect(templateUse.filled).toBe(before);
  const templated = load(text, file, family, true);
  expect(templated.model).toStrictEqual(plain.model);
  expect(templated.diagnostics).toStrictEqual(plain.diagnostics);
  expect(keyOrder(templated.model)).toEqual(keyOrder(plain.model));
  return templateUse.filled - before;
}

describe('lowering from line templates', () => {
  it('finds the dumps', () => expect(DUMPS.length).toBeGreaterThan(20));

  for (const [file, text] of DUMPS) {
    it(`${file}: the model and diagnostics of the long way`, () => {
      const family = file.startsWith('ip6') ? 'ipv6' : 'ipv4';
      expectSame(text, file, family);
      // The other family reads the same text with other values (IPv4 addresses are bad ones for ipv6).
      expectSame(text, file, family === 'ipv4' ? 'ipv6' : 'ipv4');
    });
  }

  it('lowers most of a kube-proxy node from templates', () => {
    const text = kubeIptables(kubeServices(createRng(7), 300));
    const lines = text.split('\n').filter((l) => l.startsWith('-A KUBE-')).length;
    expect(expectSame(text, 'kube', 'ipv4')).toBeGreaterThan(lines * 0.8);
  });

  // Twice over: a shape is learnt when met again, so the second copy meets the templates.
  it('sends a line whose hole reads differently the long way, with its diagnostics', () => {
    const rules = [
      '-A X -s 10.0.0.1/32 -p tcp -m comment --comment "a" -m tcp --dport 80 -j Y',
      '-A X -s 10.0.0.2/32 -p tcp -m comment --comment "b" -m tcp --dport 81 -j Z',
      '-A X -s 10.0.0.300/32 -p tcp -m comment --comment "c" -m tcp --dport 82 -j Y',
      '-A X -s 10.0.0.4/32 -p tcp -m comment --comment "d" -m tcp --dport 99999 -j Y',
      '-A X -s 1.2.0.4/255.0.255.0 -p tcp -m comment --comment "e" -m tcp --dport 84 -j Y',
      '-A X ! -s 10.0.0.6/32 -p tcp -m comment --comment "f" -m tcp ! --dport 85 -j Y',
      '-A X ! -s 10.0.0.7/32 -p tcp -m comment --comment "g" -m tcp ! --dport 86 -j Z',
      '-A X -s 10.0.0.8/32 -p tcp -m comment --comment "h" -m tcp --dport 87 -j 9Y',
      '-A X -s 10.0.0.9/32 -m statistic --mode random --probability 0.5 -j Y',
      '-A X -s 10.0.0.10/32 -m statistic --mode random --probability 0.3333333 -j Z',
      '-A X -p tcp -m tcp -j DNAT --to-destination 10.1.0.1:8080',
      '-A X -p tcp -m tcp -j DNAT --to-destination 10.1.0.2:80800',
      '-A X -p tcp -m tcp -j DNAT --to-destination 10.1.0.3',
      '-A X -p tcp -m tcp -j DNAT --to-destination [2001:db8::1]:80',
      '-A X -p 6 -m tcp --dport 80 -j Y',
      '-A X -p 17 -m udp --dport 80 -j Y',
      '-A X -d 10.0.0.1/32 -s 10.0.0.1/32 -j Y',
      '-A X -d 10.0.0.2/32 -s 10.0.0.3/32 -j Y',
      '-A X -s 10.0.0.5/32 -m comment --comment 10.0.0.5/32 -j Y',
      '-A X -s 10.0.0.6/32 -m comment --comment 10.0.0.7/32 -j Y',
      '-A X -s 10.0.0.6/32 -m comment --comment "x \\" y" -j Y',
    ];
    const text = `*nat\n:PREROUTING ACCEPT [0:0]\n:X - [0:0]\n:Y - [0:0]\n:Z - [0:0]\n:9Y - [0:0]\n${rules.join('\n')}\n${rules.join('\n')}\nCOMMIT\n`;
    expect(expectSame(text, 'holes', 'ipv4')).toBeGreaterThan(4);
    expectSame(text, 'holes', 'ipv6');
  });
});
