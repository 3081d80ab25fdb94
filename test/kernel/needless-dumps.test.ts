/**
 * `collect` does not run `iptables-nft-save` / `ip6tables-nft-save` when nft's table list has
 * no table of their family with an xtables name (issue 8: two tool starts fewer on a plain
 * nftables host). Proves against the real iptables-nft and nft, in a namespace with native
 * tables of every family (inet filter, ip foo with a set, ip6 bar, arp and bridge filter,
 * netdev): both dumps print nothing at all (exit 0, no output, no warning), so "not run" is the
 * dump they would have printed; once `ip mangle` and an `ip6 filter` with a chain iptables-nft
 * cannot read exist, both print, and the check says to run them. `collect` there records both
 * as not run, and its snapshot's audit equals that of the snapshot with the dumps run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noXtablesTables } from '../../src/collect/needless-dumps.js';
import { NFT_TABLES_ARGV, parseTableList } from '../../src/collect/nft-listing.js';
import { run, runAsync, runIn } from './harness/exec.js';
import { kernelSkipReason } from './harness/preflight.js';
import { PORTCULLIS_BIN } from './harness/scenario.js';

const skip = kernelSkipReason(['nft', 'iptables-nft-save', 'ip6tables-nft-save']);
const ns = `pc-k-needless-${process.pid}`;

const NATIVE = `
table inet filter {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 22 accept
  }
}
table ip foo {
  set banned {
    type ipv4_addr
    elements = { 192.0.2.7, 198.51.100.9 }
  }
  chain c {
    type filter hook input priority 10;
    ip saddr @banned drop
  }
}
table ip6 bar {
  chain c {
    type filter hook input priority 0;
  }
}
table arp filter {
  chain c {
    type filter hook input priority 0;
  }
}
table bridge filter {
  chain c {
    type filter hook input priority 0;
  }
}
table netdev nd {
}
`;

const XTABLES_NAMED = `
table ip mangle {
}
table ip6 filter {
  chain x {
    type filter hook input priority 0;
    meta l4proto tcp counter
  }
}
`;

const tableList = () => parseTableList(runIn(ns, [...NFT_TABLES_ARGV]));

interface Source {
  command: string[];
  status: string;
  reason?: string;
  content?: string;
}

describe.skipIf(skip !== null)('iptables-nft dumps not needed (namespace)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-needless-'));
    run(['ip', 'netns', 'add', ns]);
    run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    runIn(ns, ['nft', '-f', '-'], NATIVE);
  });
  afterAll(() => {
    run(['ip', 'netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('native tables only: both dumps print nothing, and the check says so from the table list', async () => {
    const tables = tableList();
    expect(tables).not.toBeNull();
    expect(tables!.length).toBe(6);
    for (const tool of ['iptables', 'ip6tables'] as const) {
      expect(await runAsync(['ip', 'netns', 'exec', ns, `${tool}-nft-save`])).toEqual({ stdout: '', stderr: '', code: 0 });
      expect(noXtablesTables(tables, tool)).toMatch(/^not run: /);
    }
  });

  it('collect records them as not run, and its audit equals the audit with the dumps run', async () => {
    const snapshot = join(dir, 'collected.json');
    runIn(ns, [process.execPath, PORTCULLIS_BIN, 'collect', '--out', snapshot]);
    const snap = JSON.parse(readFileSync(snapshot, 'utf8')) as { firewall: Source[] };
    const nftSaves = snap.firewall.filter((f) => f.command[0]!.endsWith('-nft-save'));
    expect(nftSaves.map((f) => [f.command.join(' '), f.status, f.content, /^not run: /.test(f.reason ?? '')])).toEqual([
      ['iptables-nft-save', 'ok', '', true],
      ['ip6tables-nft-save', 'ok', '', true],
    ]);
    // The same snapshot with the two dumps run: their (empty) output, no reason.
    const ran = { ...snap, firewall: snap.firewall.map((f) => (f.command[0]!.endsWith('-nft-save') ? { ...f, reason: undefined, content: runIn(ns, f.command) } : f)) };
    writeFileSync(join(dir, 'ran.json'), JSON.stringify(ran));
    const audit = async (file: string) => {
      const r = await runAsync([process.execPath, PORTCULLIS_BIN, 'audit', '--snapshot', join(dir, file), '--format', 'json', '--fail-on', 'none']);
      expect(r.code).toBe(0);
      const a = JSON.parse(r.stdout.split(file).join('FILE')) as { generatedAt?: string };
      delete a.generatedAt;
      return a;
    };
    expect(await audit('collected.json')).toEqual(await audit('ran.json'));
  });

  it('with ip mangle and an ip6 filter iptables-nft cannot read: both dumps print, and the check says run them', async () => {
    runIn(ns, ['nft', '-f', '-'], XTABLES_NAMED);
    const tables = tableList();
    for (const tool of ['iptables', 'ip6tables'] as const) {
      const r = await runAsync(['ip', 'netns', 'exec', ns, `${tool}-nft-save`]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('*');
      expect(noXtablesTables(tables, tool)).toBeNull();
    }
  });
});
