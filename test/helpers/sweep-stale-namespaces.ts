/**
 * Vitest global setup: deletes test namespaces a killed run left behind (see
 * {@link staleNamespaces}), and says which, before any test makes its own. Does nothing
 * without root or without iproute2: the kernel tests then say why they skip.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { staleNamespaces, type NamespaceFacts } from './stale-namespaces.js';

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

function namespaceFacts(): NamespaceFacts[] {
  const names = ip(['netns', 'list']).split('\n').map((line) => line.split(' ')[0]!).filter(Boolean);
  return names.map((name) => ({
    name,
    createdMs: statSync(`/run/netns/${name}`).mtimeMs,
    pids: ip(['netns', 'pids', name]).split('\n').filter(Boolean).length,
  }));
}

export default function setup(): void {
  if (process.getuid?.() !== 0) return;
  let facts: NamespaceFacts[];
  try {
    facts = namespaceFacts();
  } catch {
    return; // no iproute2 or no /run/netns: nothing can have been left behind
  }
  for (const name of staleNamespaces(facts, Date.now())) {
    try {
      ip(['netns', 'del', name]);
      rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
      process.stderr.write(`test setup: deleted namespace ${name}, left behind by a killed test run\n`);
    } catch (err) {
      process.stderr.write(`test setup: could not delete stale namespace ${name}: ${(err as Error).message}\n`);
    }
  }
}
