/**
 * The SSH session this command runs in, so that new rules never cut it: `SSH_CONNECTION`
 * ("client port server port") from the environment, or, when sudo (env_reset) or su removed
 * it, from the nearest ancestor process that has it (/proc/PID/environ, readable by root and
 * by the same user). SSH_CLIENT (older OpenSSH, no server address) is the last resort.
 *
 * @module
 */
import type { HostIO } from './host-io.js';

export interface SshConnection {
  client: string;
  clientPort: number;
  /** Null when only SSH_CLIENT was found (it does not name the server address). */
  server: string | null;
  serverPort: number;
  /** Where it was found: "environment", "process 1234 (sshd-session)". */
  foundIn: string;
}

function parseConnection(value: string | undefined, foundIn: string): SshConnection | null {
  const parts = value?.trim().split(/\s+/) ?? [];
  if (parts.length === 4) {
    const [client, cport, server, sport] = parts as [string, string, string, string];
    if (/^\d+$/.test(cport) && /^\d+$/.test(sport)) return { client: client.replace(/%.*$/, ''), clientPort: Number(cport), server: server.replace(/%.*$/, ''), serverPort: Number(sport), foundIn };
  }
  if (parts.length === 3) {
    const [client, cport, sport] = parts as [string, string, string];
    if (/^\d+$/.test(cport) && /^\d+$/.test(sport)) return { client: client.replace(/%.*$/, ''), clientPort: Number(cport), server: null, serverPort: Number(sport), foundIn };
  }
  return null;
}

function fromEnv(env: Record<string, string | undefined>, foundIn: string): SshConnection | null {
  return parseConnection(env['SSH_CONNECTION'], foundIn) ?? parseConnection(env['SSH_CLIENT'], foundIn);
}

function environOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

/** The current session, or null when this process is not under SSH (a console, cron, CI). */
export async function findSshConnection(env: Record<string, string | undefined>, pid: number, io: Pick<HostIO, 'readFile'>): Promise<SshConnection | null> {
  const own = fromEnv(env, 'environment');
  if (own) return own;
  let current = pid;
  // sudo → shell → sshd: a few levels; 32 bounds a strange process tree.
  for (let depth = 0; depth < 32 && current > 1; depth++) {
    let status: string;
    try {
      status = await io.readFile(`/proc/${current}/status`);
    } catch {
      return null;
    }
    const ppid = Number(/^PPid:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    if (ppid <= 1) return null;
    try {
      const found = fromEnv(environOf(await io.readFile(`/proc/${ppid}/environ`)), `process ${ppid} (${/^Name:\s*(.*)$/m.exec(await io.readFile(`/proc/${ppid}/status`))?.[1] ?? '?'})`);
      if (found) return found;
    } catch {
      // Another user's process: not readable without root; go on up.
    }
    current = ppid;
  }
  return null;
}
