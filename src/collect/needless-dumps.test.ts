import { describe, expect, it } from 'vitest';
import { fakeHostIO } from './fake-host-io.js';
import { noIpsetModule, noLegacyTables, noXtablesTables } from './needless-dumps.js';

describe('noLegacyTables', () => {
  it('absent or empty table list: not run, and says why', async () => {
    expect(await noLegacyTables(fakeHostIO({}), 'iptables')).toBe('not run: no legacy iptables table exists (/proc/net/ip_tables_names is absent)');
    expect(await noLegacyTables(fakeHostIO({ files: { '/proc/net/ip6_tables_names': '' } }), 'ip6tables')).toBe('not run: no legacy ip6tables table exists (/proc/net/ip6_tables_names is empty)');
  });

  it('a table, or a list this user cannot read: run it', async () => {
    expect(await noLegacyTables(fakeHostIO({ files: { '/proc/net/ip_tables_names': 'filter\n' } }), 'iptables')).toBeNull();
    expect(await noLegacyTables(fakeHostIO({ denied: ['/proc/net/ip_tables_names'] }), 'iptables')).toBeNull();
  });
});

describe('noIpsetModule', () => {
  const SYS = { '/sys/module/nf_tables/refcnt': '1' };
  const BUILTIN = '/lib/modules/6.1.0-test/modules.builtin';

  it('not in /proc/modules, /sys/module nor modules.builtin: not run', async () => {
    const why = await noIpsetModule(fakeHostIO({ files: { '/proc/modules': 'nf_tables 1 0 - Live 0x0\n', ...SYS, [BUILTIN]: 'kernel/net/ipv4/tcp_cubic.ko\n' } }));
    expect(why).toBe('not run: the ip_set module is not loaded (not in /proc/modules nor /sys/module), so no set exists');
    // No modules.builtin (a container): /sys/module names a built-in ip_set (it has parameters).
    expect(await noIpsetModule(fakeHostIO({ files: { '/proc/modules': '', ...SYS } }))).not.toBeNull();
  });

  it('loaded, built in, or unsure: run it', async () => {
    expect(await noIpsetModule(fakeHostIO({ files: { '/proc/modules': 'ip_set 57344 0 - Live 0x0\n', ...SYS } }))).toBeNull();
    expect(await noIpsetModule(fakeHostIO({ files: { '/proc/modules': '', '/sys/module/ip_set/parameters/max_sets': '256' } }))).toBeNull();
    expect(await noIpsetModule(fakeHostIO({ files: { '/proc/modules': '', ...SYS, [BUILTIN]: 'kernel/net/netfilter/ipset/ip_set.ko\n' } }))).toBeNull();
    // No /proc/modules (a kernel without modules) or no /sys: not sure.
    expect(await noIpsetModule(fakeHostIO({ files: { ...SYS } }))).toBeNull();
    expect(await noIpsetModule(fakeHostIO({ files: { '/proc/modules': '' } }))).toBeNull();
    expect(await noIpsetModule(fakeHostIO({ files: { '/proc/modules': '', ...SYS }, denied: [BUILTIN] }))).toBeNull();
  });
});

describe('noXtablesTables', () => {
  const t = (family: string, name: string) => ({ family, name });

  it('no table of the family with an xtables name: not run, and says why', () => {
    const tables = [t('inet', 'filter'), t('ip', 'foo'), t('ip6', 'nat'), t('arp', 'filter'), t('bridge', 'filter')];
    expect(noXtablesTables(tables, 'iptables')).toBe('not run: nft lists no ip table named filter, nat, mangle, raw, security (the tables iptables-nft-save prints)');
    expect(noXtablesTables([], 'ip6tables')).toBe('not run: nft lists no ip6 table named filter, nat, mangle, raw, security (the tables ip6tables-nft-save prints)');
  });

  it('such a table, or no table list: run it', () => {
    expect(noXtablesTables([t('ip', 'security')], 'iptables')).toBeNull();
    expect(noXtablesTables([t('inet', 'fw'), t('ip6', 'nat')], 'ip6tables')).toBeNull();
    expect(noXtablesTables(null, 'iptables')).toBeNull();
  });
});
