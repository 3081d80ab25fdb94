/**
 * A recogniser is a conversation with a service whose every decision is a pure function of
 * the bytes received so far: what to send next, when a reply is complete, and the verdict.
 * The network driver (../converse.ts) only moves bytes, so each recogniser is unit-tested
 * on bytes recorded from the real servers.
 *
 * @module
 */
import type { Recognition } from '../../model/probe.js';

/** Wait for the service to speak first (a banner) without sending anything. */
export const LISTEN = 'listen';

export interface TcpDialogue {
  /** Name for diagnostics, e.g. "redis-ping". */
  name: string;
  /**
   * What to send next, given the replies to the steps so far (one Buffer per step, possibly
   * empty): bytes, LISTEN, or null to hang up.
   */
  next(replies: readonly Buffer[]): Buffer | typeof LISTEN | null;
  /** The reply to step `step` is complete: stop waiting for more bytes. */
  complete(reply: Buffer, step: number): boolean;
  /** The verdict, or null when these bytes are not this protocol. */
  judge(replies: readonly Buffer[]): Recognition | null;
  /** Wait at least this long for a reply: some servers delay on purpose (a failed FTP login: PAM's and vsftpd's delays, ~3 s). */
  minStepMs?: number;
}

export interface UdpProbe {
  name: string;
  /** Ports this probe is sent to. */
  ports: readonly number[];
  /** The request datagram. */
  request: Buffer;
  /** The verdict from every datagram received, or null when they are not this protocol. */
  judge(request: Buffer, replies: readonly Buffer[]): Recognition | null;
}
