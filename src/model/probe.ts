/**
 * What a probe observed: targets, their ports, and what answered on each. Produced by the
 * scanner (src/probe/) or read from nmap's XML (src/parse/nmap-xml/); judged by
 * src/analyze/probe/.
 *
 * @module
 */

/** nmap's meanings: open (answered), closed (refused), filtered (no answer), open|filtered (UDP silence). */
export type PortState = 'open' | 'closed' | 'filtered' | 'open|filtered';
export type ProbeProto = 'tcp' | 'udp';

/**
 * Whether the service let an unauthenticated client in: none (it did), required (it asked
 * for credentials), denied-protected-mode (Redis refusing non-local clients), unknown.
 */
export type AuthVerdict = 'none' | 'required' | 'denied-protected-mode' | 'unknown';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface CertificateInfo {
  subjectCN: string | null;
  issuer: string | null;
  /** ISO 8601. */
  notAfter: string | null;
  /** Whole days from the probe to notAfter (negative: expired). */
  daysLeft: number | null;
}

export interface TlsInfo {
  /** Versions the server completed a handshake with, each tried on its own. */
  versions: TlsVersion[];
  certificate: CertificateInfo | null;
}

/** What a recogniser made of the bytes a service sent back. */
export interface Recognition {
  /** e.g. "redis", "ssh", "http"; the catalog's names where it has one. */
  service: string;
  /** Product and version when the service says, e.g. "OpenSSH_9.2p1 Debian-2+deb12u3". */
  product: string | null;
  auth: AuthVerdict | null;
  /** First line or so of what the service said, printable. */
  banner: string | null;
  /** Plain facts for the report: "STARTTLS offered", "anonymous FTP login accepted". */
  facts: string[];
  /** SSH: the authentication methods offered before any credential. */
  authMethods?: string[];
  /** A login protocol that sends credentials in cleartext on this port (telnet, FTP, POP3/IMAP/SMTP without TLS, HTTP auth). */
  cleartextLogin?: boolean;
  /** UDP: reply bytes per request byte. */
  amplification?: number;
  /** DNS: answers recursive queries for names it does not own. */
  openResolver?: boolean;
  /** Whether the plaintext protocol offers an upgrade to TLS (STARTTLS, STLS, SSLRequest → S). */
  starttls?: boolean;
}

export interface ProbedPort {
  proto: ProbeProto;
  port: number;
  state: PortState;
  /** Recognised service name (or nmap's), null when nothing was recognised. */
  service: string | null;
  product: string | null;
  auth: AuthVerdict | null;
  tls: TlsInfo | null;
  banner: string | null;
  facts: string[];
  authMethods?: string[];
  cleartextLogin?: boolean;
  amplification?: number;
  openResolver?: boolean;
  starttls?: boolean;
}

export interface ProbedTarget {
  address: string;
  /** The name the user gave, when it was a hostname. */
  hostname: string | null;
  ports: ProbedPort[];
}

export interface ProbeObservation {
  /** Where the observation came from: this scanner, or an nmap XML file. */
  origin: { kind: 'scan' } | { kind: 'nmap-xml'; file: string; args: string | null };
  startedAt: string;
  finishedAt: string;
  /** Source address the probes left from, per target address (null when unknown, e.g. nmap XML). */
  vantage: Record<string, string | null>;
  targets: ProbedTarget[];
}
