import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPOSURE_SYSCTLS } from '../model/snapshot.js';
import { parseSnapshot } from '../parse/snapshot.js';
import { collectSnapshot } from './collect-snapshot.js';
import { type FakeHost, fakeHostIO } from './fake-host-io.js';
import { snapshotToJson } from './snapshot-json.js';

const proc = (name: string) => readFileSync(new URL(`../../test/fixtures/proc/${name}`, import.meta.url), 'utf8');
const routing = (name: string) => readFileSync(new URL(`../../test/fixtures/routing/${name}`, import.meta.url), 'utf8');

/** The netns of test/fixtures/proc: python (pid 300, uid 0) holds every socket; pid 400 is another user's. */
function host(over: Partial<FakeHost> = {}): FakeHost {
  const files: Record<string, string> = {
    '/proc/net/tcp': proc('listeners.tcp.txt'),
    '/proc/net/tcp6': proc('listeners.tcp6.txt'),
    '/proc/net/udp': proc('listeners.udp.txt'),
    '/proc/net/udp6': proc('listeners.udp6.txt'),
    '/proc/net/if_inet6': proc('listeners.if_inet6.txt'),
    '/proc/300/comm': 'python3\n',
    '/proc/300/cmdline': 'python3\0-c\0import socket\0',
    '/proc/300/status': 'Name:\tpython3\nUid:\t0\t0\t0\t0\n',
    '/proc/400/comm': 'other\n',
    '/proc/self/comm': 'node\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\n',
  };
  for (const name of EXPOSURE_SYSCTLS) if (!name.startsWith('net.bridge.')) files['/proc/sys/' + name.replaceAll('.', '/')] = name.endsWith('port_range') ? '32768\t60999\n' : '0\n';
  for (const i of ['lo', 'd0', 'd1']) for (const k of ['rp_filter', 'route_localnet']) files[`/proc/sys/net/ipv4/conf/${i}/${k}`] = '0\n';
  const links: Record<string, string> = { '/proc/300/fd/0': '/dev/null', '/proc/400/fd/0': 'socket:[1]' };
  [15625, 15626, 15627, 15628, 15629, 15630, 15631, 15632, 15636, 15637].forEach((ino, k) => (links[`/proc/300/fd/${k + 3}`] = `socket:[${ino}]`));
  return {
    files,
    links,
    commands: {
      'ip -j addr show': proc('veth-v4-v6.ip-addr.json'),
      'ss -Htulne': proc('listeners.ss.txt'),
      'ip -j -4 route show table all': routing('multihomed.ip4-route.json'),
      'ip -j -6 route show table all': routing('multihomed.ip6-route.json'),
      'ip -j -4 rule show': routing('multihomed.ip4-rule.json'),
      'ip -j -6 rule show': routing('multihomed.ip6-rule.json'),
      'nft -j list ruleset': '{"nftables": [{"metainfo": {"version": "1.0.6"}}]}',
      'iptables-nft-save': '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n',
      'iptables-legacy-save': '',
      'ip6tables-nft-save': '',
      'ip6tables-legacy-save': '',
      'ipset save': '',
    },
    ...over,
  };
}

describe('collectSnapshot (fake host)', () => {
  it('as root: everything, valid against the schema', async () => {
    const s = await collectSnapshot(fakeHostIO(host()));
    const parsed = parseSnapshot(snapshotToJson(s), 'x');
    expect(parsed.diagnostics).toEqual([]);
    expect(s.host).toEqual({ hostname: 'test-host', kernel: '6.1.0-test' });
    expect(s.privileges).toEqual({ uid: 0, euid: 0, root: true });
    expect(s.collectedAt).toBe('2026-01-31T12:00:00.000Z');
    expect(s.interfaces!.map((i) => i.name)).toEqual(['lo', 'd1', 'd0']);
    expect(s.sockets).toHaveLength(10);
    const at = (proto: string, port: number) => s.sockets!.find((x) => x.proto === proto && x.port === port)!;
    expect(at('tcp', 1111)).toMatchObject({ family: 'ipv6', address: '::', v6only: true, device: null });
    expect(at('tcp', 2222)).toMatchObject({ family: 'ipv6', address: '::', v6only: false });
    expect(at('tcp', 3333)).toMatchObject({ family: 'ipv4', address: '0.0.0.0', v6only: null, device: 'd0' });
    expect(at('udp', 5555)).toMatchObject({ device: 'd0', v6only: false });
    expect(at('tcp', 3333).process).toEqual({ pid: 300, name: 'python3', cmdline: ['python3', '-c', 'import socket'], user: 'root' });
    expect(s.firewall.map((f) => f.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(s.sysctls['net.ipv4.ip_local_port_range']).toBe('32768\t60999');
    expect(s.routing!.ipv4!.rules.map((r) => r.priority)).toEqual([0, 1000, 1100, 1200, 32766, 32767]);
    expect(s.routing!.ipv6!.routes.some((r) => r.type === 'blackhole' && r.dst === '2001:db8:dead::/48')).toBe(true);
    expect(s.sysctls['net.ipv4.conf.d0.rp_filter']).toBe('0');
    expect(s.sysctls['net.bridge.bridge-nf-call-iptables']).toBeNull();
    expect(s.unreadable).toEqual([
      { what: 'sysctl net.bridge.bridge-nf-call-iptables', reason: 'not present (br_netfilter module not loaded)' },
      { what: 'sysctl net.bridge.bridge-nf-call-ip6tables', reason: 'not present (br_netfilter module not loaded)' },
    ]);
  });

  it('as a normal user: no processes of others, ONE entry saying so, firewall unavailable', async () => {
    const denied = { ok: true as const, code: 1, stdout: '', stderr: 'Permission denied (you must be root)\n' };
    const h = host({ uid: 65534, denied: ['/proc/300/fd', '/proc/400/fd', '/proc/net/ip_tables_names', '/proc/net/ip6_tables_names'] });
    for (const c of ['nft -j list ruleset', 'iptables-nft-save', 'iptables-legacy-save', 'ip6tables-nft-save', 'ip6tables-legacy-save', 'ipset save']) h.commands![c] = denied;
    const s = await collectSnapshot(fakeHostIO(h));
    expect(parseSnapshot(snapshotToJson(s), 'x').diagnostics).toEqual([]);
    expect(s.privileges).toEqual({ uid: 65534, euid: 65534, root: false });
    expect(s.sockets!.every((x) => x.process === null)).toBe(true);
    const procs = s.unreadable.filter((u) => u.what === 'processes of sockets');
    expect(procs).toHaveLength(1);
    expect(procs[0]).toMatchObject({ hint: 'run as root', reason: expect.stringMatching(/^not root: 10 socket\(s\).*2 process\(es\)/) });
    expect(s.firewall.every((f) => f.status === 'unavailable' && f.reason === 'permission denied: run as root')).toBe(true);
    expect(s.unreadable.filter((u) => u.hint === 'run as root')).toHaveLength(7);
  });

  it('without iproute2: interfaces from /sys and if_inet6 (partial), v6only unknown', async () => {
    const h = host();
    delete h.commands!['ip -j addr show'];
    delete h.commands!['ss -Htulne'];
    Object.assign(h.files!, {
      '/sys/class/net/lo/ifindex': '1\n',
      '/sys/class/net/lo/flags': '0x9\n',
      '/sys/class/net/d0/ifindex': '3\n',
      '/sys/class/net/d0/flags': '0x1003\n',
      '/sys/class/net/d1/ifindex': '2\n',
      '/sys/class/net/d1/flags': 'weird\n',
      '/proc/net/fib_trie': proc('veth-v4.fib_trie.txt'),
      '/proc/net/route': proc('veth-v4.route.txt'),
    });
    const s = await collectSnapshot(fakeHostIO(h));
    expect(parseSnapshot(snapshotToJson(s), 'x').diagnostics).toEqual([]);
    expect(s.interfaces).toEqual([
      {
        name: 'lo',
        index: 1,
        up: true,
        loopback: true,
        addresses: [
          { family: 'ipv4', address: '127.0.0.1', prefixLength: 8, scope: 'host' },
          { family: 'ipv6', address: '::1', prefixLength: 128, scope: 'host' },
        ],
      },
      {
        name: 'd0',
        index: 3,
        up: true,
        loopback: false,
        addresses: [
          { family: 'ipv4', address: '192.0.2.1', prefixLength: 24, scope: 'global' },
          { family: 'ipv6', address: 'fe80::104d:4dff:fe12:cbf0', prefixLength: 64, scope: 'link' },
          { family: 'ipv6', address: '2001:db8::1', prefixLength: 64, scope: 'global' },
        ],
      },
    ]);
    expect(s.sockets!.every((x) => x.v6only === null && x.device === null)).toBe(true);
    const whats = s.unreadable.map((u) => u.what);
    expect(whats).toContain('interfaces (ip -j addr show)');
    expect(whats).toContain('IPv4 addresses of interfaces');
    expect(whats).toContain('interface d1 (/sys/class/net/d1)');
    expect(s.unreadable).toContainEqual({ what: 'IPv4 address 198.51.100.7', reason: 'local, but no connected route says which interface holds it', hint: 'install iproute2' });
    expect(s.unreadable).toContainEqual({ what: 'IPv4 address 203.0.113.9', reason: 'on interface d1, which could not be read' });
    expect(whats).toContain('v6only and bound device of sockets (ss -Htulne)');
  });

  it('missing socket tables: IPv6 off is said; none readable gives null', async () => {
    const h = host();
    delete h.files!['/proc/net/tcp6'];
    delete h.files!['/proc/net/udp6'];
    const s = await collectSnapshot(fakeHostIO(h));
    expect(s.sockets!.every((x) => x.family === 'ipv4')).toBe(true);
    expect(s.unreadable).toContainEqual({ what: 'sockets (/proc/net/tcp6)', reason: 'not present (IPv6 disabled?)' });
    const none = host({ denied: ['/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6'] });
    const s2 = await collectSnapshot(fakeHostIO(none));
    expect(s2.sockets).toBeNull();
    expect(s2.unreadable.filter((u) => u.reason === 'permission denied')).toHaveLength(4);
  });

  it('a socket no process holds while all fds were readable: said, without the root hint', async () => {
    const h = host();
    delete h.links!['/proc/300/fd/3'];
    const s = await collectSnapshot(fakeHostIO(h));
    const e = s.unreadable.find((u) => u.what === 'processes of sockets');
    expect(e).toBeDefined();
    expect(e!.hint).toBeUndefined();
    expect(s.sockets!.filter((x) => x.process === null)).toHaveLength(1);
  });

  describe('the order tools start in (issue 8)', () => {
    /** The test host, its nft table list answering only after a turn of the event loop, as a real tool's does. */
    function slowTableList(list: string) {
      const io = fakeHostIO(host());
      const exec = io.exec;
      io.exec = async (argv) => {
        if (argv.join(' ') !== 'nft list flowtables') return exec(argv);
        io.calls.push(argv.join(' '));
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { ok: true, code: 0, stdout: list, stderr: '' };
      };
      return io;
    }
    const before = (calls: string[], first: string, then: string[]) => {
      for (const c of then) expect(calls.indexOf(first), `${first} before ${c}: ${calls.join(', ')}`).toBeLessThan(calls.indexOf(c));
    };

    it('a plain nftables host: the whole-ruleset dump starts before ip and ss; the iptables-nft dumps are not needed', async () => {
      const io = slowTableList('table inet filter {\n}\ntable inet f2b-table {\n}\n');
      const s = await collectSnapshot(io);
      expect(s.firewall[0]).toMatchObject({ command: ['nft', '-j', 'list', 'ruleset'], status: 'ok' });
      before(io.calls, 'nft -j list ruleset', ['ip -j addr show', 'ip -j -batch -', 'ss -Htulne']);
      expect(io.calls.filter((c) => c.includes('tables-'))).toEqual([]);
    });

    it('a table list nft printed in a form not understood: the whole ruleset, started before the iptables dumps, ip and ss', async () => {
      const io = slowTableList('table inet weird name {\n}\n');
      await collectSnapshot(io);
      before(io.calls, 'nft -j list ruleset', ['iptables-nft-save', 'ip6tables-nft-save', 'ip -j addr show', 'ip -j -batch -', 'ss -Htulne']);
    });

    it('an iptables-nft host: ip and ss start after the iptables dumps the nft listing waits for', async () => {
      const io = slowTableList('table ip filter {\n}\n');
      await collectSnapshot(io);
      for (const dump of ['iptables-nft-save', 'ip6tables-nft-save']) before(io.calls, dump, ['ip -j addr show', 'ss -Htulne']);
      expect(io.calls).not.toContain('nft -j list ruleset');
    });

    it('a HostIO that fails before the nft listing is decided: collect fails, it does not wait for ever', async () => {
      const io = fakeHostIO(host());
      const exec = io.exec;
      io.exec = async (argv) => (argv.join(' ') === 'nft list flowtables' ? Promise.reject(new Error('broken HostIO')) : exec(argv));
      await expect(collectSnapshot(io)).rejects.toThrow('broken HostIO');
    });
  });

  it('whatever the host says, the snapshot is valid and every gap is explained (fuzz)', async () => {
    const result = fc.oneof(
      fc.string(),
      fc.record({ ok: fc.constant(true as const), code: fc.integer({ min: 0, max: 255 }), stdout: fc.string(), stderr: fc.string() }),
      fc.record({ ok: fc.constant(false as const), error: fc.constantFrom('ENOENT', 'EACCES', 'ETIMEDOUT'), message: fc.string() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ tcp: fc.option(fc.string()), ip: result, ss: result, nft: result, ipt: result, uid: fc.constantFrom(0, 1000) }),
        async (r) => {
          const h = host({ uid: r.uid });
          if (r.tcp === null) delete h.files!['/proc/net/tcp'];
          else h.files!['/proc/net/tcp'] = r.tcp;
          Object.assign(h.commands!, { 'ip -j addr show': r.ip, 'ss -Htulne': r.ss, 'nft -j list ruleset': r.nft, 'iptables-nft-save': r.ipt });
          const s = await collectSnapshot(fakeHostIO(h));
          expect(parseSnapshot(snapshotToJson(s), 'x').diagnostics).toEqual([]);
          for (const f of s.firewall) if (f.status !== 'ok') expect(s.unreadable.some((u) => u.what === f.command.join(' '))).toBe(true);
          if (s.interfaces === null) expect(s.unreadable.some((u) => u.what.startsWith('interfaces'))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

