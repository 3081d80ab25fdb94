/**
 * What answers on an open TCP port: listen for a banner; if the service speaks first, run
 * that protocol's dialogue; if it is silent, try the client-first protocols (TLS, HTTP,
 * Redis, memcached, PostgreSQL) one connection each, port hints first. Never a credential,
 * never a write: each dialogue's header says what it sends.
 *
 * @module
 */
import type { Recognition, TlsInfo } from '../model/probe.js';
import { converse, converseOn } from './converse.js';
import { CLIENT_FIRST, dialogueForBanner, httpDialogue, LISTEN, silentPortOrder, type TcpDialogue } from './recognise/index.js';
import { sshAuthMethods } from './ssh-auth.js';
import { smtpStarttls } from './starttls.js';
import { probeTls, tlsConnect } from './tls-probe.js';

export interface IdentifyOptions {
  /** Longest wait for one reply (and for a banner). */
  timeoutMs: number;
  now: Date;
}

export interface Identified {
  recognition: Recognition | null;
  tls: TlsInfo | null;
  /** The first bytes when nothing recognised them, for the report. */
  banner: string | null;
}

const listenOnly: TcpDialogue = { name: 'banner', next: (r) => (r.length === 0 ? LISTEN : null), complete: (b) => b.length > 0 && b[b.length - 1] === 0x0a, judge: () => null };

function talk(address: string, port: number, d: TcpDialogue, opts: IdentifyOptions): Promise<Buffer[]> {
  return converse(address, port, d, { stepTimeoutMs: opts.timeoutMs, connectTimeoutMs: opts.timeoutMs });
}

async function overTls(address: string, port: number, opts: IdentifyOptions): Promise<Identified | null> {
  // One handshake at the client's defaults says whether it speaks TLS at all before trying each version.
  const first = await tlsConnect(address, port, 'TLSv1.3', { timeoutMs: opts.timeoutMs }).then(async (s) => s ?? (await tlsConnect(address, port, 'TLSv1.2', { timeoutMs: opts.timeoutMs })));
  if (!first) return null;
  const replies = await converseOn(first, httpDialogue(address, true), { stepTimeoutMs: opts.timeoutMs });
  const tls = await probeTls(address, port, { timeoutMs: opts.timeoutMs, now: opts.now });
  const http = httpDialogue(address, true).judge(replies);
  return { recognition: http ?? { service: 'tls', product: null, auth: null, banner: null, facts: ['speaks TLS; nothing recognised inside'] }, tls, banner: null };
}

export async function identifyTcp(address: string, port: number, opts: IdentifyOptions): Promise<Identified> {
  const [banner = Buffer.alloc(0)] = await talk(address, port, listenOnly, opts);
  if (banner.length > 0) {
    const dialogue = dialogueForBanner(banner);
    if (!dialogue) return { recognition: null, tls: null, banner: printableStart(banner) };
    const replies = await talk(address, port, dialogue, opts);
    const recognition = dialogue.judge(replies) ?? dialogue.judge([banner]);
    if (recognition?.service === 'ssh') {
      const methods = await sshAuthMethods(address, port, opts.timeoutMs * 3);
      if (methods) {
        recognition.authMethods = methods;
        recognition.auth = methods.includes('none') ? 'none' : 'required';
        recognition.facts.push(`authentication methods offered: ${methods.join(', ')}`);
      } else recognition.auth = 'unknown';
    }
    // A recogniser's own banner (possibly none: telnet's first bytes are option negotiation, not text) wins over raw bytes.
    // SMTP offering STARTTLS: every TLS version tried after the upgrade, as on a TLS port.
    const tls = recognition?.service === 'smtp' && recognition.starttls ? await probeTls(address, port, { timeoutMs: opts.timeoutMs, now: opts.now, upgrade: () => smtpStarttls(address, port, opts.timeoutMs * 3) }) : null;
    return { recognition, tls, banner: recognition ? recognition.banner : printableStart(banner) };
  }
  for (const kind of silentPortOrder(port)) {
    if (kind === 'tls') {
      const viaTls = await overTls(address, port, opts);
      if (viaTls) return viaTls;
      continue;
    }
    const dialogue = kind === 'http' ? httpDialogue(address, false) : CLIENT_FIRST[kind]!;
    const recognition = dialogue.judge(await talk(address, port, dialogue, opts));
    if (recognition) return { recognition, tls: null, banner: recognition.banner };
  }
  return { recognition: null, tls: null, banner: null };
}

/** The first bytes of an unrecognised banner, as text. */
function printableStart(b: Buffer): string {
  return b.subarray(0, 120).toString('latin1').split(/\r?\n/)[0]!;
}
