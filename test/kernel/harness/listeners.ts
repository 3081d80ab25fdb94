/**
 * Starts listeners.mjs inside a namespace and waits until every socket is bound.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild } from './cleanup.js';
import type { ListenerSpec } from './flows.js';

const SCRIPT = fileURLToPath(new URL('../listeners.mjs', import.meta.url));

export interface Listeners {
  pid: number;
  stop(): Promise<void>;
}

export function startListeners(ns: string, specs: ListenerSpec[]): Promise<Listeners> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, SCRIPT, JSON.stringify(specs)], { stdio: ['pipe', 'pipe', 'pipe'] });
  trackChild(child);
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready\n')) resolve({ pid: child.pid!, stop });
    });
    child.once('exit', (code) => reject(new Error(`listeners in ${ns} exited (${code}): ${err}`)));
  });
}
