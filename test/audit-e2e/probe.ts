/**
 * Talking to the scenario's daemons from the client namespace with socat, from a chosen
 * source address: did the real service answer (and say what it should), was the
 * connection refused, or did nothing come back?
 *
 * @module
 */
import { spawn } from 'node:child_process';

export type ProbeOutcome = 'answered' | 'refused' | 'silent';

/** What to send to a service and what its answer must contain. */
export interface Dialogue {
  send: Buffer | string;
  expect: string;
}

/** One request per daemon of the scenarios, by proto/port. */
export const DIALOGUES: Record<string, Dialogue> = {
  'tcp/21': { send: '', expect: '220' },
  'tcp/22': { send: '', expect: 'SSH-2.0-' },
  'tcp/80': { send: 'GET / HTTP/1.0\r\n\r\n', expect: 'portcullis-e2e' },
  'tcp/443': { send: 'GET / HTTP/1.0\r\n\r\n', expect: 'portcullis-e2e' },
  'tcp/2375': { send: '', expect: 'pong' },
  'tcp/6379': { send: 'PING\r\n', expect: '+PONG' },
  'tcp/6380': { send: 'PING\r\n', expect: '+PONG' },
  'tcp/8080': { send: '', expect: 'pong' },
  'tcp/8081': { send: '', expect: 'pong' },
  'tcp/9000': { send: '', expect: 'pong' },
  'tcp/9001': { send: '', expect: 'pong' },
  'tcp/11211': { send: 'version\r\n', expect: 'VERSION ' },
  // memcached's UDP frame: request id, sequence number, datagram count, reserved (RFC-less, see protocol.txt).
  'udp/11211': { send: Buffer.concat([Buffer.from([0, 1, 0, 0, 0, 1, 0, 0]), Buffer.from('version\r\n')]), expect: 'VERSION ' },
  'tcp/40000': { send: '', expect: 'pong' },
};

export interface ProbeResult {
  outcome: ProbeOutcome;
  stdout: string;
  stderr: string;
}

const bracket = (a: string): string => (a.includes(':') ? `[${a}]` : a);

/**
 * Connects from `source` (an address of namespace `ns`) to `dest`:`port` and runs the
 * dialogue. TCP connect gives up after 2 s; a reply is awaited 2 s after the request.
 */
export function probe(ns: string, proto: 'tcp' | 'udp', source: string, dest: string, port: number, d: Dialogue): Promise<ProbeResult> {
  const v6 = dest.includes(':');
  const addr =
    proto === 'tcp'
      ? `TCP${v6 ? '6' : '4'}:${bracket(dest)}:${port},bind=${bracket(source)},connect-timeout=2`
      : `UDP${v6 ? '6' : '4'}:${bracket(dest)}:${port},bind=${bracket(source)}`;
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, 'socat', '-t2', '-T4', '-', addr], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.on('close', () => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('latin1');
      const outcome: ProbeOutcome = stdout.includes(d.expect) ? 'answered' : /Connection refused/i.test(stderr) ? 'refused' : 'silent';
      resolve({ outcome, stdout, stderr });
    });
    // socat exits at once on a refused connect, perhaps before it read the request: the pipe
    // then breaks (EPIPE), which says nothing the exit and stderr do not.
    child.stdin.on('error', () => {});
    child.stdin.end(d.send);
  });
}
