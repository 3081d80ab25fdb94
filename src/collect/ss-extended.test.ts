import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSsExtended } from './ss-extended.js';

const fixture = readFileSync(new URL('../../test/fixtures/proc/listeners.ss.txt', import.meta.url), 'utf8');

describe('parseSsExtended (real `ss -Htulne`, iproute2 6.1)', () => {
  const info = parseSsExtended(fixture);
  it('reads v6only per inode', () => {
    expect(info.get(15625)).toEqual({ v6only: true, device: null }); // [::]:1111 IPV6_V6ONLY=1
    expect(info.get(15626)).toEqual({ v6only: false, device: null }); // *:2222 dual-stack
    expect(info.get(15628)).toEqual({ v6only: true, device: null }); // udp [::]:4444
  });
  it('reads the bound device', () => {
    expect(info.get(15627)).toEqual({ v6only: null, device: 'd0' }); // 0.0.0.0%d0:3333
    expect(info.get(15629)).toEqual({ v6only: false, device: 'd0' }); // *%d0:5555
  });
  it('IPv4 sockets have no v6only', () => {
    expect(info.get(15630)).toEqual({ v6only: null, device: null });
    expect(info.size).toBe(10);
  });
  it('link-local scope and odd lines', () => {
    const m = parseSsExtended('tcp LISTEN 0 128 [fe80::1]%eth0:22 [::]:* ino:9 sk:1 v6only:1 <->\nnot ss output\n\n');
    expect([...m]).toEqual([[9, { v6only: true, device: 'eth0' }]]);
  });
  it('never throws (fuzz)', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseSsExtended(s)));
  });
});
