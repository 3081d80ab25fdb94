import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_TEST_PREFIXES, STALE_AFTER_MS, anotherRunAlive, staleNamespaces } from './stale-namespaces.js';

describe('staleNamespaces', () => {
  const now = Date.UTC(2026, 11, 2, 12);
  const old = now - STALE_AFTER_MS - 1;
  const hosts = [
    { name: 'pc-k-a1b2c3-s', createdMs: old, pids: 0 },
    { name: 'pc-k-d4e5f6-s', createdMs: old, pids: 2 },
    { name: 'pc-k-young-s', createdMs: now - 60_000, pids: 0 },
    { name: 'customer-ns', createdMs: old, pids: 0 },
    { name: 'pc-bench-4242-real0', createdMs: now - 60_000, pids: 0 },
    { name: 'pc-harden-0a1b2c3d', createdMs: now - 60_000, pids: 0 },
  ];

  it('while another run is alive, picks only empty, old namespaces with the tests\' prefix', () => {
    expect(staleNamespaces(hosts, now)).toEqual(['pc-k-a1b2c3-s']);
    expect(staleNamespaces(hosts, now, true)).toEqual(['pc-k-a1b2c3-s']);
  });

  it('with no other run alive, also picks young empty ones (a run killed minutes ago), never busy, foreign, benchmark or harden ones', () => {
    expect(staleNamespaces(hosts, now, false)).toEqual(['pc-k-a1b2c3-s', 'pc-k-young-s']);
  });

  it('keeps a namespace exactly at the age limit while another run is alive', () => {
    expect(staleNamespaces([{ name: 'pc-x', createdMs: now - STALE_AFTER_MS, pids: 0 }], now)).toEqual([]);
  });
});

describe('anotherRunAlive', () => {
  const alive = new Set([100, 200]);
  const isAlive = (pid: number): boolean => alive.has(pid);

  it('ignores this run and dead runs', () => {
    expect(anotherRunAlive([100], 100, isAlive)).toBe(false);
    expect(anotherRunAlive([100, 300], 100, isAlive)).toBe(false);
    expect(anotherRunAlive([], 100, isAlive)).toBe(false);
  });

  it('sees a live run that is not this one', () => {
    expect(anotherRunAlive([100, 200], 100, isAlive)).toBe(true);
  });
});

describe('NOT_TEST_PREFIXES', () => {
  /** Source files of the programs that are not tests. */
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name) && !/\.test\.(ts|mjs)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name));
  }

  it('covers every pc- name that src/, bench/ and scripts/ make', () => {
    const names = new Set<string>();
    for (const dir of ['src', 'bench', 'scripts']) {
      for (const file of sources(dir)) for (const m of readFileSync(file, 'utf8').matchAll(/[`'"](pc-[a-z0-9]+-)/g)) names.add(m[1]!);
    }
    expect(names.size).toBeGreaterThan(0);
    expect([...names].filter((n) => !NOT_TEST_PREFIXES.some((p) => n.startsWith(p)))).toEqual([]);
  });
});
