import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrsToSet, parseAddrSet } from '../model/addr.js';
import { ipsetEntries } from '../model/host-context.js';
import * as I from '../model/interval-set.js';
import { portSet } from '../model/packet-set.js';
import { parseIpsetSave } from './ipset-save.js';

const a4 = (...c: string[]) => cidrsToSet(c, 'ipv4');

describe('parseIpsetSave', () => {
  it('reads hash:ip and hash:net sets of both families', () => {
    const text = [
      'create allow hash:net family inet hashsize 1024 maxelem 65536',
      'add allow 192.0.2.0/24',
      'add allow 198.51.100.7',
      'create allow6 hash:ip family inet6 hashsize 1024 maxelem 65536 timeout 300',
      'add allow6 2001:db8::1 timeout 120',
      '',
    ].join('\n');
    const r = parseIpsetSave(text, 'ipset.save');
    expect(r.diagnostics).toEqual([]);
    const v4 = 192 * 2 ** 24 + 2 * 256;
    const v4b = 198 * 2 ** 24 + 51 * 2 ** 16 + 100 * 256 + 7;
    // Address-only sets hold their entries as two lists of bounds, not an object per entry.
    expect(r.value.get('allow')).toEqual({ name: 'allow', type: 'hash:net', family: 'ipv4', partial: false, exceptions: [], entries: [], addrEntries: { los: new Float64Array([v4, v4b]), his: new Float64Array([v4 + 256, v4b + 1]) } });
    expect(ipsetEntries(r.value.get('allow')!)).toEqual([[{ kind: 'addr', set: a4('192.0.2.0/24') }], [{ kind: 'addr', set: a4('198.51.100.7/32') }]]);
    expect(r.value.get('allow6')).toMatchObject({ family: 'ipv6', entries: [] });
    expect(ipsetEntries(r.value.get('allow6')!)).toEqual([[{ kind: 'addr', set: cidrsToSet(['2001:db8::1/128'], 'ipv6') }]]);
  });

  it('reads address,port entries with protocols (tcp by default), icmp types and ranges', () => {
    const text = [
      'create svc hash:ip,port family inet hashsize 1024 maxelem 65536',
      'add svc 192.0.2.1,tcp:22',
      'add svc 192.0.2.1,udp:53',
      'add svc 192.0.2.2,8080',
      'add svc 192.0.2.3,icmp:8/0',
      'add svc 192.0.2.4,tcp:8000-8010',
    ].join('\n');
    const r = parseIpsetSave(text, 'ipset.save');
    expect(r.diagnostics).toEqual([]);
    expect(r.value.get('svc')!.entries.map((e) => e[1])).toEqual([
      { kind: 'port', proto: 6, ports: portSet(22, 22) },
      { kind: 'port', proto: 17, ports: portSet(53, 53) },
      { kind: 'port', proto: 6, ports: portSet(8080, 8080) },
      { kind: 'port', proto: 1, ports: I.range(8 << 8, (8 << 8) + 1) },
      { kind: 'port', proto: 6, ports: portSet(8000, 8010) },
    ]);
  });

  it('reads bitmap:port (any protocol), hash:net,iface, hash:ip,mark and netmask', () => {
    const text = [
      'create ports bitmap:port range 0-1024',
      'add ports 22',
      'create nets hash:net,iface family inet',
      'add nets 192.0.2.0/24,eth0',
      'create marks hash:ip,mark family inet markmask 0xffffffff',
      'add marks 192.0.2.1,0x10',
      'create masked hash:ip family inet netmask 24',
      'add masked 192.0.2.0',
    ].join('\n');
    const r = parseIpsetSave(text, 'ipset.save');
    expect(r.diagnostics).toEqual([]);
    expect(r.value.get('ports')!.entries).toEqual([[{ kind: 'port', proto: null, ports: portSet(22, 22) }]]);
    expect(r.value.get('ports')!.family).toBeNull();
    expect(r.value.get('nets')!.entries).toEqual([[{ kind: 'addr', set: a4('192.0.2.0/24') }, { kind: 'iface', name: 'eth0' }]]);
    expect(r.value.get('marks')!.entries[0]![1]).toEqual({ kind: 'mark', value: 16 });
    expect(ipsetEntries(r.value.get('masked')!)).toEqual([[{ kind: 'addr', set: a4('192.0.2.0/24') }]]);
  });

  it('keeps nomatch entries as exceptions and list:set members by name; only MAC sets are partial', () => {
    const text = [
      'create n hash:net family inet',
      'add n 192.0.2.0/24',
      'add n 192.0.2.128/25 nomatch',
      'create m hash:mac',
      'add m 00:00:5e:00:53:01',
      'create l list:set size 8',
      'add l n',
    ].join('\n');
    const r = parseIpsetSave(text, 'ipset.save');
    expect(r.diagnostics).toEqual([]);
    expect([...r.value.values()].map((s) => [s.name, s.partial])).toEqual([['n', false], ['m', true], ['l', false]]);
    expect(ipsetEntries(r.value.get('n')!)).toEqual([[{ kind: 'addr', set: a4('192.0.2.0/24') }]]);
    expect(r.value.get('n')!.exceptions).toEqual([[{ kind: 'addr', set: a4('192.0.2.128/25') }]]);
    expect(r.value.get('l')).toMatchObject({ family: null, members: ['n'], entries: [] });
  });

  it('keeps comments with blanks and quotes', () => {
    const r = parseIpsetSave('create c hash:ip family inet comment\nadd c 192.0.2.1 comment "office \\"main\\" gw"\n', 'f');
    expect(r.diagnostics).toEqual([]);
    expect(ipsetEntries(r.value.get('c')!)).toHaveLength(1);
  });

  it('reports bad lines with their line numbers and goes on', () => {
    const text = ['create a hash:ip family inet', 'add a 192.0.2.300', 'add b 192.0.2.1', 'create x hash:bogus,thing', 'flush a', 'add a 2001:db8::1', 'add a 192.0.2.1 comment "oops', 'create a hash:ip', 'add a 192.0.2.2', 'create f hash:ip family inet7'].join('\n');
    const r = parseIpsetSave(text, 'ipset.save');
    expect(r.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([
      ['parse.bad-value', 2],
      ['parse.undeclared-set', 3],
      ['parse.unrecognised-line', 5],
      ['parse.bad-value', 6],
      ['parse.unbalanced-quote', 7],
      ['parse.duplicate-set', 8],
      ['parse.bad-value', 10],
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'error' && d.expected && d.location?.file === 'ipset.save')).toBe(true);
    expect(ipsetEntries(r.value.get('a')!)).toHaveLength(1);
    expect(r.value.get('x')).toMatchObject({ partial: true });
  });

  it('reads address-only entries the way the general address parser does, whatever their spelling', () => {
    // The char-code fast path and parseAddrSet must agree: same ranges, same rejections.
    const spellings = ['192.0.2.7', '192.0.2.7/24', '192.0.2.7/0', '192.0.2.7/32', '0.0.0.0', '255.255.255.255', '192.0.2.07', '192.0.2.7/024', '192.0.2.7/33', '192.0.2.256', '192.0.2', '192.0.2.7.1', '192.0.2.7/', '192.0.2.7/255.255.255.0', '192.0.2.1-192.0.2.9', '192.0.2.9-192.0.2.1', '192.0.2.7/255.0.255.0', ' 192.0.2.7', '1.2.3.4x', '2001:db8::1'];
    for (const netmask of [null, 24, 40]) {
      const create = `create s hash:ip family inet${netmask === null ? '' : ` netmask ${netmask}`}`;
      for (const text of spellings) {
        const r = parseIpsetSave(`${create}\nadd s ${text}\n`, 'f');
        const bare = !text.includes('/') && !text.includes('-');
        const word = text.trim();
        const want = parseAddrSet(netmask !== null && bare ? `${word}/${netmask}` : word, 'ipv4');
        if (want === null) expect(r.diagnostics.map((d) => d.code), text).toEqual(['parse.bad-value']);
        else expect(ipsetEntries(r.value.get('s')!), `${text} netmask ${netmask}`).toEqual([[{ kind: 'addr', set: want }]]);
      }
    }
  });

  it('reads plain add lines in place exactly as tokenized ones, whatever the spacing and options', () => {
    const lines = ['add s 192.0.2.1', 'add  s\t192.0.2.2/31   timeout 0', 'add s 192.0.2.8 comment "a \\"b\\""', 'add s 192.0.2.9 packets 0 bytes 0 skbmark 0x1', 'add s 192.0.2.10 comment nomatcher', 'add s 198.51.100.0/24 nomatch', 'add s 203.0.113.1,22', 'add t 192.0.2.1'];
    const r = parseIpsetSave(['create s hash:net family inet', ...lines].join('\n'), 'f');
    expect(r.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([['parse.bad-value', 8], ['parse.undeclared-set', 9]]);
    const s = r.value.get('s')!;
    expect(ipsetEntries(s)).toEqual(['192.0.2.1/32', '192.0.2.2/31', '192.0.2.8/32', '192.0.2.9/32', '192.0.2.10/32'].map((c) => [{ kind: 'addr', set: a4(c) }]));
    expect(s.exceptions).toEqual([[{ kind: 'addr', set: a4('198.51.100.0/24') }]]);
  });

  it('reads add lines in place as the tokenizer does, across sets, before their create, quoted or indented', () => {
    // A leading blank sends a line down the general path: the same dump indented is the oracle.
    const lines = ['add s 192.0.2.1', 'add t 192.0.2.2 timeout 0', 'add s 192.0.2.3\r', 'add u 192.0.2.4', 'create u hash:ip family inet', 'add u 192.0.2.5', 'add "s" 192.0.2.6', 'add s\\ 192.0.2.7', 'add t 192.0.2.8 nomatch', 'add t 192.0.2.9 comment "x"', 'add s 192.0.2.10'];
    const text = ['create s hash:ip family inet', 'create t hash:net family inet', ...lines].join('\n');
    const direct = parseIpsetSave(text, 'f');
    const general = parseIpsetSave(text.split('\n').map((l) => ` ${l}`).join('\n'), 'f');
    expect(direct.value).toEqual(general.value);
    expect(direct.diagnostics.map((d) => [d.code, d.location?.line])).toEqual(general.diagnostics.map((d) => [d.code, d.location?.line]));
    expect(direct.diagnostics.map((d) => d.code)).toEqual(['parse.undeclared-set', 'parse.missing-argument']);
    expect(ipsetEntries(direct.value.get('s')!)).toHaveLength(4);
    expect(ipsetEntries(direct.value.get('u')!)).toEqual([[{ kind: 'addr', set: a4('192.0.2.5/32') }]]);
  });

  it('reads any dump in place exactly as the general path reads it indented', () => {
    const word = fc.constantFrom('add', 's', 't', 'v', 'w', '192.0.2.1', '10.0.0.0/8', '10.1.2.3/16', '192.0.2.07', '1.2.3.4-1.2.3.9', '2001:db8::1', '2001:db8::/32', '2001:db8::9-2001:db8::1', '2001:db8::/129', '::ffff:192.0.2.1', 'timeout', '0', 'nomatch', 'comment', '"a b"', '\\', ' ', '\t');
    const header = ['create s hash:ip family inet netmask 24', 'create t hash:net family inet', 'create v hash:net family inet6', 'create w hash:ip family inet6 netmask 64'];
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 6 }).map((w) => w.join(' ')), { maxLength: 30 }), (body) => {
        const lines = [...header, ...body];
        const direct = parseIpsetSave(lines.join('\n'), 'f');
        const general = parseIpsetSave(lines.map((l) => ` ${l}`).join('\n'), 'f');
        expect(direct.value).toEqual(general.value);
        expect(direct.diagnostics.map((d) => [d.code, d.location?.line])).toEqual(general.diagnostics.map((d) => [d.code, d.location?.line]));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps entry order when one entry is not a single range, so nomatch precedence is unchanged', () => {
    const text = ['create s hash:net family inet', 'add s 192.0.2.0/24', 'add s 10.0.0.0/255.0.255.0', 'add s 198.51.100.0/24', 'add s 192.0.2.9-192.0.2.1', 'add s 192.0.2.128/25 nomatch'].join('\n');
    const r = parseIpsetSave(text, 'f');
    expect(r.diagnostics).toEqual([]);
    const s = r.value.get('s')!;
    expect(s.addrEntries).toBeUndefined();
    expect(s.entries.map((e) => (e[0] as { set: unknown }).set)).toEqual([a4('192.0.2.0/24'), parseAddrSet('10.0.0.0/255.0.255.0', 'ipv4'), a4('198.51.100.0/24'), []]);
    expect(s.exceptions).toEqual([[{ kind: 'addr', set: a4('192.0.2.128/25') }]]);
  });

  it('never throws on random input', () => {
    const word = fc.constantFrom('create', 'add', 's', 'hash:ip', 'hash:net,port', 'bitmap:port', 'family', 'inet', 'inet6', '192.0.2.1', '192.0.2.0/24,tcp:22', '22', 'nomatch', '"', 'timeout', '2001:db8::/32', 'list:set', 'netmask', '99');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.array(word, { maxLength: 8 }).map((w) => w.join(' ')), { maxLength: 20 }).map((l) => l.join('\n'))), (text) => {
        const r = parseIpsetSave(text, 'f');
        expect(r.value).toBeInstanceOf(Map);
      }),
      { numRuns: 500 },
    );
  });
});
