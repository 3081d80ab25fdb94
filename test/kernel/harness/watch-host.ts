/**
 * What the `watch` tests share: a namespace host to watch, and the JSON-line events a
 * `portcullis watch --format json` child prints.
 */
import { execFileSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { trackNamespace } from './cleanup.js';

const sh = (argv: string[]): string => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Create namespace `ns` (tracked for cleanup) with 192.0.2.1/24 on a veth and a default route,
 * and no IPv6: its link-local addresses coming up would be ip monitor news that starts rounds
 * of their own while a test wants to see the interval's.
 */
export function addWatchHostNamespace(ns: string): void {
  sh(['ip', 'netns', 'add', ns]);
  trackNamespace(ns);
  sh(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
  sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  sh(['ip', '-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
  sh(['ip', '-n', ns, 'addr', 'add', '192.0.2.1/24', 'dev', 'v0']);
  sh(['ip', '-n', ns, 'link', 'set', 'v0', 'up']);
  sh(['ip', '-n', ns, 'link', 'set', 'v1', 'up']);
  sh(['ip', '-n', ns, 'route', 'add', 'default', 'via', '192.0.2.254', 'dev', 'v0']);
}

/** Call `onEvent` with each complete JSON line `stream` prints (a line cut across chunks waits for its end). */
export function onJsonLines(stream: Readable, onEvent: (event: Record<string, unknown>) => void): void {
  let buffered = '';
  stream.on('data', (d: Buffer) => {
    const lines = (buffered + d.toString()).split('\n');
    buffered = lines.pop()!;
    for (const l of lines) onEvent(JSON.parse(l) as Record<string, unknown>);
  });
}
