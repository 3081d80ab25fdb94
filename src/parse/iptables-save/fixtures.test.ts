/**
 * Golden tests: every `test/fixtures/iptables-save/<case>.rules` is parsed and lowered, and
 * its summary compared with `<case>.expected.json`. Set UPDATE_GOLDENS=1 to rewrite them
 * (then review the diff).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cidrsToSet } from '../../model/addr.js';
import type { HostContext } from '../../model/host-context.js';
import { summarize } from '../../../test/fixtures/iptables-save/summarize.js';
import { lowerIptables, parseIptablesSave } from './index.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/iptables-save');

/** A host with 192.0.2.1/24 and 203.0.113.1 on its interfaces. */
const FIXTURE_CONTEXT: HostContext = {
  localAddrs: {
    ipv4: cidrsToSet(['127.0.0.0/8', '192.0.2.1/32', '203.0.113.1/32'], 'ipv4'),
    ipv6: cidrsToSet(['::1/128', '2001:db8::1/128'], 'ipv6'),
  },
  broadcastAddrs: cidrsToSet(['192.0.2.255/32', '255.255.255.255/32'], 'ipv4'),
  ipsets: new Map(),
};

const cases = readdirSync(DIR).filter((f) => f.endsWith('.rules')).sort();

describe('iptables-save fixtures (goldens)', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(10));
  for (const file of cases) {
    it(file, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const family = file.startsWith('ip6') ? 'ipv6' : 'ipv4';
      const parsed = parseIptablesSave(text, file);
      const lowered = lowerIptables(parsed.value, { family, backend: 'iptables-legacy', context: FIXTURE_CONTEXT, file });
      const summary = summarize(lowered.value, [...parsed.diagnostics, ...lowered.diagnostics]);
      const golden = join(DIR, file.replace(/\.rules$/, '.expected.json'));
      if (process.env.UPDATE_GOLDENS === '1' || !existsSync(golden)) {
        writeFileSync(golden, JSON.stringify(summary, null, 2) + '\n');
        if (process.env.UPDATE_GOLDENS !== '1') throw new Error(`golden ${golden} was missing and has been written: review it`);
      }
      expect(summary).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });
  }
});
