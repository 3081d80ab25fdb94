/**
 * Every recogniser, and the pure choices of which to try: by what a service says first
 * (its banner), else by port, else a fixed order.
 *
 * @module
 */
import type { TcpDialogue, UdpProbe } from './types.js';
import { ftpAnonymous } from './ftp.js';
import { imapCapability, pop3Capa, smtpEhlo } from './mail.js';
import { memcachedStats, memcachedUdp } from './memcached.js';
import { mongodbHello } from './mongodb.js';
import { mysqlHandshake } from './mysql.js';
import { postgresProbe } from './postgres.js';
import { rdpNegotiation } from './rdp.js';
import { redisPing } from './redis.js';
import { sshBanner } from './ssh.js';
import { telnetNegotiation } from './telnet.js';
import { vncSecurity } from './vnc.js';
import { dnsRecursion, ntpReadvar, snmpPublic, ssdpSearch } from './udp-amplifiers.js';

export * from './types.js';
export { httpDialogue, judgeHttp, parseHttpResponse } from './http.js';

/** Protocols whose server speaks first; redis is here for protected mode's -DENIED on accept. */
export const BANNER_DIALOGUES: readonly TcpDialogue[] = [sshBanner, ftpAnonymous, smtpEhlo, pop3Capa, imapCapability, telnetNegotiation, mysqlHandshake, vncSecurity, redisPing];

/** Protocols that wait for the client, tried on a silent port (TLS and HTTP are tried by the driver). */
export const CLIENT_FIRST: Record<string, TcpDialogue> = { redis: redisPing, memcached: memcachedStats, postgresql: postgresProbe, mongodb: mongodbHello, rdp: rdpNegotiation };

export const UDP_PROBES: readonly UdpProbe[] = [memcachedUdp, dnsRecursion, ntpReadvar, snmpPublic, ssdpSearch];

/** The banner dialogue whose judge accepts these first bytes, or null. */
export function dialogueForBanner(banner: Buffer): TcpDialogue | null {
  if (banner.length === 0) return null;
  return BANNER_DIALOGUES.find((d) => d.judge([banner]) !== null) ?? null;
}

/** Well-known ports of client-first protocols: tried first there. */
const PORT_HINTS: Record<number, string> = { 6379: 'redis', 6380: 'redis', 11211: 'memcached', 5432: 'postgresql', 443: 'tls', 8443: 'tls', 9443: 'tls', 2376: 'tls', 636: 'tls', 993: 'tls', 995: 'tls', 465: 'tls', 80: 'http', 8080: 'http', 27017: 'mongodb', 27018: 'mongodb', 27019: 'mongodb', 3389: 'rdp', 8000: 'http', 2375: 'http', 9200: 'http', 2379: 'http' };

/** Which client-first protocols to try on a silent port, in order. */
export function silentPortOrder(port: number): string[] {
  const generic = ['tls', 'http', 'redis', 'memcached', 'postgresql', 'mongodb', 'rdp'];
  const hint = PORT_HINTS[port];
  return hint ? [hint, ...generic.filter((g) => g !== hint)] : generic;
}
