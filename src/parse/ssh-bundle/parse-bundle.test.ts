import { describe, expect, it } from 'vitest';
import { parseLsFdListing, parseSshBundle } from './index.js';

const T = '0123456789abcdef0123456789abcdef';
const rec = (kind: string, key: string, payload: string | Buffer, status = 'ok'): Buffer =>
  Buffer.concat([Buffer.from(`@@${T} ${kind} ${key}\n`), Buffer.from(payload), Buffer.from(`\n@@${T}. ${status}\n`)]);
const bundle = (...records: Buffer[]): Buffer => Buffer.concat([rec('portcullis-ssh-bundle', '1', ''), ...records, rec('done', 'all', '')]);

describe('parseSshBundle', () => {
  it('keeps every byte of a payload: no trailing newline, NULs, lines that look like markers', () => {
    const cmdline = 'sshd\0-D\0-f\0/etc/ssh/x\0';
    const tricky = `@@${T}. ok\n@@other file x\nlast line without newline`;
    const b = parseSshBundle(bundle(rec('file', '/proc/1/cmdline', cmdline), rec('file', '/tmp/x', tricky.replace(`@@${T}.`, '@@ffff.'))), T, 'ssh h');
    expect(b.diagnostics).toEqual([]);
    expect(b.value!.files.get('/proc/1/cmdline')).toEqual({ ok: true, value: cmdline });
    expect(b.value!.files.get('/tmp/x')).toEqual({ ok: true, value: tricky.replace(`@@${T}.`, '@@ffff.') });
  });

  it('decodes UTF-8 per record, as node:fs would', () => {
    const b = parseSshBundle(bundle(rec('file', '/etc/passwd', 'jürgen:x:1000:1000::/home/j:/bin/sh\n')), T, 'ssh h');
    expect(b.value!.files.get('/etc/passwd')).toEqual({ ok: true, value: 'jürgen:x:1000:1000::/home/j:/bin/sh\n' });
  });

  it('commands: exit code, stdout and stderr joined; not installed; failures of files and directories', () => {
    const b = parseSshBundle(
      bundle(
        rec('exec', 'nft -j list ruleset', '', '1'),
        rec('stderr', 'nft -j list ruleset', 'Operation not permitted (you must be root)\n'),
        rec('exec', 'ipset save', '', 'ENOENT'),
        rec('file', '/proc/net/udp6', '', 'ENOENT'),
        rec('dir', '/proc', '1\n22\nself\n'),
        rec('fds', '/proc/1/fd', '', 'EACCES'),
        rec('meta', 'euid', '1000\n'),
        rec('meta', 'kernel', '', 'EIO'),
      ),
      T,
      'ssh h',
    );
    const v = b.value!;
    expect(v.execs.get('nft -j list ruleset')).toEqual({ ran: true, code: 1, stdout: '', stderr: 'Operation not permitted (you must be root)\n' });
    expect(v.execs.get('ipset save')).toEqual({ ran: false, code: 'ENOENT' });
    expect(v.files.get('/proc/net/udp6')).toEqual({ ok: false, code: 'ENOENT' });
    expect(v.dirs.get('/proc')).toEqual({ ok: true, value: ['1', '22', 'self'] });
    expect(v.dirs.get('/proc/1/fd')).toEqual({ ok: false, code: 'EACCES' });
    expect(v.meta.get('euid')).toBe('1000');
    expect(v.meta.get('kernel')).toBeNull();
  });

  it('an fd listing gives the directory and its links', () => {
    const ls = 'total 0\nlrwx------ 1 root root 64 Dec  2 05:00 0 -> /dev/null\nlrwx------ 1 root root 64 Dec  2  2025 3 -> socket:[4711]\nl-wx------ 1 root root 64 Dec  2 05:00 12 -> /tmp/a -> b (deleted)\n';
    const b = parseSshBundle(bundle(rec('fds', '/proc/7/fd', ls)), T, 'ssh h');
    expect(b.value!.dirs.get('/proc/7/fd')).toEqual({ ok: true, value: ['0', '3', '12'] });
    expect(b.value!.links.get('/proc/7/fd/3')).toBe('socket:[4711]');
    expect(b.value!.links.get('/proc/7/fd/12')).toBe('/tmp/a -> b (deleted)');
    expect(parseLsFdListing('total 0\n')).toEqual(new Map());
  });

  it('an fd scan of many directories splits at their headers; a process gone before ls is ENOENT', () => {
    const scan = '/proc/1/fd:\ntotal 0\nlrwx------ 1 root root 64 Dec  2 05:00 3 -> socket:[11]\n\n/proc/22/fd:\ntotal 0\nlr-x------ 1 root root 64 Dec  2 05:00 0 -> /dev/null\n';
    const b = parseSshBundle(bundle(rec('dir', '/proc', '1\n22\n23\n30\nself\n'), rec('fds', '/proc/30/fd', '', 'EACCES'), rec('fdscan', 'all', scan)), T, 'ssh h');
    const v = b.value!;
    expect(v.dirs.get('/proc/1/fd')).toEqual({ ok: true, value: ['3'] });
    expect(v.dirs.get('/proc/22/fd')).toEqual({ ok: true, value: ['0'] });
    expect(v.dirs.get('/proc/23/fd')).toEqual({ ok: false, code: 'ENOENT' });
    expect(v.dirs.get('/proc/30/fd')).toEqual({ ok: false, code: 'EACCES' });
    expect(v.links.get('/proc/1/fd/3')).toBe('socket:[11]');
  });

  it('text a login shell printed before the script started is skipped', () => {
    const b = parseSshBundle(Buffer.concat([Buffer.from('Welcome!\nlast login: never\n'), bundle(rec('meta', 'euid', '0'))]), T, 'ssh h');
    expect(b.diagnostics).toEqual([]);
    expect(b.value!.meta.get('euid')).toBe('0');
  });

  it('output that is not a bundle, a cut-short one, another format version: located errors, no value', () => {
    const motd = parseSshBundle(Buffer.from('Welcome to host\n'), T, 'ssh web-1');
    expect(motd.value).toBeNull();
    expect(motd.diagnostics[0]).toMatchObject({ code: 'parse.ssh-bundle.header', location: { file: 'ssh web-1', line: 1 }, input: 'Welcome to host' });
    const full = bundle(rec('file', '/etc/passwd', 'root:x:0:0::/root:/bin/sh\n'));
    const cut = parseSshBundle(full.subarray(0, full.length - 40), T, 'ssh web-1');
    expect(cut.value).toBeNull();
    expect(cut.diagnostics[0]!.code).toBe('parse.ssh-bundle.truncated');
    const noDone = parseSshBundle(Buffer.concat([rec('portcullis-ssh-bundle', '1', ''), rec('meta', 'euid', '0')]), T, 'ssh web-1');
    expect(noDone.diagnostics[0]).toMatchObject({ code: 'parse.ssh-bundle.truncated', message: expect.stringContaining('meta euid') });
    const v2 = parseSshBundle(Buffer.concat([rec('portcullis-ssh-bundle', '2', ''), rec('done', 'all', '')]), T, 'ssh web-1');
    expect(v2.diagnostics[0]!.code).toBe('parse.ssh-bundle.version');
    const wrongToken = parseSshBundle(bundle(), 'f'.repeat(32), 'ssh web-1');
    expect(wrongToken.value).toBeNull();
  });
});
