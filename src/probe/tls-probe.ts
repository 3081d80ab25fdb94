/**
 * TLS: each protocol version tried on its own connection (min = max = that version). A
 * default OpenSSL 3 client cannot even offer TLS 1.0/1.1 (security level 1 forbids their
 * SHA-1 signatures), so those attempts run at security level 0: the question is what the
 * server accepts, not what a careful client would.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { connect, type PeerCertificate, type SecureVersion, type TLSSocket } from 'node:tls';
import type { CertificateInfo, TlsInfo, TlsVersion } from '../model/probe.js';
import { TLS_VERSIONS } from '../model/probe.js';

export interface TlsProbeOptions {
  timeoutMs: number;
  servername?: string;
  now?: Date;
  /** A plaintext protocol's way into TLS (e.g. SMTP STARTTLS): a fresh socket ready for the handshake, or null. */
  upgrade?: () => Promise<Socket | null>;
}

/** Opens a TLS connection at exactly `version`; null when the handshake fails. */
export async function tlsConnect(address: string, port: number, version: TlsVersion, opts: TlsProbeOptions): Promise<TLSSocket | null> {
  const plain = opts.upgrade ? await opts.upgrade() : null;
  if (opts.upgrade && !plain) return null;
  return new Promise((resolve) => {
    const legacy = version === 'TLSv1' || version === 'TLSv1.1';
    const sock = connect({
      ...(plain ? { socket: plain } : { host: address, port }),
      minVersion: version as SecureVersion,
      maxVersion: version as SecureVersion,
      rejectUnauthorized: false,
      ...(legacy ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
    });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(null);
    }, opts.timeoutMs);
    sock.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(sock.getProtocol() === version ? sock : (sock.destroy(), null));
    });
    sock.once('error', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(null);
    });
  });
}

/** The certificate facts the report keeps. */
export function certificateInfo(cert: Pick<PeerCertificate, 'subject' | 'issuer' | 'valid_to'> | null, now: Date): CertificateInfo | null {
  if (!cert || !cert.subject) return null;
  const cn = (n: unknown): string | null => {
    const v = (n as Record<string, string | string[]> | undefined)?.['CN'];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
  const issuer = cert.issuer ? Object.entries(cert.issuer).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : null;
  const notAfter = cert.valid_to ? new Date(cert.valid_to) : null;
  const valid = notAfter !== null && !Number.isNaN(notAfter.getTime());
  return {
    subjectCN: cn(cert.subject),
    issuer,
    notAfter: valid ? notAfter.toISOString() : null,
    daysLeft: valid ? Math.floor((notAfter.getTime() - now.getTime()) / 86_400_000) : null,
  };
}

/** Every version the server completes a handshake with, and its certificate; null when none. */
export async function probeTls(address: string, port: number, opts: TlsProbeOptions): Promise<TlsInfo | null> {
  const versions: TlsVersion[] = [];
  let certificate: CertificateInfo | null = null;
  for (const v of TLS_VERSIONS) {
    const sock = await tlsConnect(address, port, v, opts);
    if (!sock) continue;
    versions.push(v);
    certificate ??= certificateInfo(sock.getPeerCertificate(), opts.now ?? new Date());
    sock.destroy();
  }
  return versions.length > 0 ? { versions, certificate } : null;
}
