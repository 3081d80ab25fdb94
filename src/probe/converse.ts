/**
 * Moves a recogniser's bytes over one TCP (or TLS) connection: send what the dialogue
 * asks, collect the reply until the dialogue calls it complete, the step times out or the
 * server closes; then ask again. The dialogue decides everything.
 *
 * @module
 */
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { LISTEN, type TcpDialogue } from './recognise/types.js';

export interface ConverseOptions {
  /** Longest wait for one reply. */
  stepTimeoutMs: number;
  /** Most bytes kept per reply. */
  maxReplyBytes?: number;
}

/** Runs `dialogue` over an open stream; returns the replies (one per step). Ends the stream. */
export function converseOn(stream: Duplex, dialogue: TcpDialogue, opts: ConverseOptions): Promise<Buffer[]> {
  const max = opts.maxReplyBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    const replies: Buffer[] = [];
    let current: Buffer[] = [];
    let size = 0;
    let step = -1;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy();
      resolve(replies);
    };
    const endStep = () => {
      clearTimeout(timer);
      replies.push(Buffer.concat(current));
      current = [];
      size = 0;
      advance();
    };
    const advance = () => {
      if (closed) return finish();
      const next = dialogue.next(replies);
      if (next === null) return finish();
      step = replies.length;
      timer = setTimeout(endStep, Math.max(opts.stepTimeoutMs, dialogue.minStepMs ?? 0));
      if (next !== LISTEN && next.length > 0) stream.write(next);
    };
    stream.on('data', (chunk: Buffer) => {
      if (step < 0 || finished) return;
      if (size < max) current.push(chunk.subarray(0, max - size));
      size += chunk.length;
      if (dialogue.complete(Buffer.concat(current), step)) endStep();
    });
    const onClose = () => {
      if (closed) return;
      closed = true;
      // The reply to the step in progress is whatever arrived before the close.
      if (!finished && step >= 0 && replies.length === step) endStep();
      else finish();
    };
    stream.on('end', onClose);
    stream.on('close', onClose);
    stream.on('error', onClose);
    advance();
  });
}

/** Connects, then runs the dialogue; an empty list when the connection fails. */
export function converse(address: string, port: number, dialogue: TcpDialogue, opts: ConverseOptions & { connectTimeoutMs: number }): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const sock = new Socket();
    const timer = setTimeout(() => {
      sock.destroy();
      resolve([]);
    }, opts.connectTimeoutMs);
    sock.once('error', () => {
      clearTimeout(timer);
      resolve([]);
    });
    sock.connect({ host: address, port }, () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      void converseOn(sock, dialogue, opts).then(resolve);
    });
  });
}
