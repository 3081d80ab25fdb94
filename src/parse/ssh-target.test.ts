import { describe, expect, it } from 'vitest';
import { snapshotFileName } from '../model/ssh-target.js';
import { parseSshTarget } from './ssh-target.js';

describe('parseSshTarget', () => {
  it('reads [USER@]HOST[:PORT], IPv6 bare or in brackets', () => {
    expect(parseSshTarget('web-1').value).toEqual({ name: 'web-1', host: 'web-1' });
    expect(parseSshTarget('root@fl2').value).toEqual({ name: 'root@fl2', host: 'fl2', user: 'root' });
    expect(parseSshTarget('192.0.2.13:2222').value).toEqual({ name: '192.0.2.13:2222', host: '192.0.2.13', port: 2222 });
    expect(parseSshTarget('2001:db8::5').value).toEqual({ name: '2001:db8::5', host: '2001:db8::5' });
    expect(parseSshTarget('admin@[2001:db8::5]:22').value).toEqual({ name: 'admin@[2001:db8::5]:22', host: '2001:db8::5', user: 'admin', port: 22 });
  });
  it('refuses what ssh would misread, with the expected form', () => {
    for (const bad of ['', '-oProxyCommand=x', 'a b', 'root@', 'web:0', 'web:70000', 'web:ssh', 'us er@h', '@h']) {
      const r = parseSshTarget(bad);
      expect(r.value, bad).toBeNull();
      expect(r.diagnostics[0]).toMatchObject({ code: 'parse.ssh-target', expected: expect.stringContaining('[USER@]HOST[:PORT]') });
    }
  });
});

describe('snapshotFileName', () => {
  it('names files after the target as written, unsafe characters as _', () => {
    expect(snapshotFileName('web-1')).toBe('web-1.json');
    expect(snapshotFileName('root@fl2')).toBe('root@fl2.json');
    expect(snapshotFileName('192.0.2.13:2222')).toBe('192.0.2.13_2222.json');
    expect(snapshotFileName('admin@[2001:db8::5]:22')).toBe('admin@_2001_db8__5__22.json');
    expect(snapshotFileName('../etc/passwd')).toBe('___etc_passwd.json');
  });
});
