/**
 * nmap's XML output (`-oX`, DTD /usr/share/nmap/nmap.dtd) read into a probe observation:
 * hosts, their ports and states, `-sV` service names and versions, and the NSE results the
 * findings use (ftp-anon, ssh-auth-methods, ssl-enum-ciphers, ssl-cert). A streaming
 * parser keeps line numbers, so every problem says where it is.
 *
 * @module
 */
import { SaxesParser } from 'saxes';
import type { Diagnostic, Parsed } from '../../model/diagnostics.js';
import type { PortState, ProbedPort, ProbedTarget, ProbeObservation, TlsVersion } from '../../model/probe.js';
import { nameTable } from '../../model/name-table.js';

const STATES = new Set(['open', 'closed', 'filtered', 'open|filtered', 'unfiltered', 'closed|filtered']);
/** ssl-enum-ciphers names versions "TLSv1.0"; the report uses OpenSSL's names. */
const TLS_NAMES: Record<string, TlsVersion> = nameTable({ 'TLSv1.0': 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' });

/** nmap's unfiltered/closed|filtered (ACK and idle scans) as the four states a connect scan knows. */
function stateOf(s: string): PortState {
  if (s === 'unfiltered') return 'closed';
  if (s === 'closed|filtered') return 'filtered';
  return s as PortState;
}

const epoch = (s: string | undefined): string | null => (s && /^\d+$/.test(s) ? new Date(Number(s) * 1000).toISOString() : null);

export function parseNmapXml(text: string, file: string): Parsed<ProbeObservation | null> {
  const diagnostics: Diagnostic[] = [];
  const parser = new SaxesParser({ position: true });
  const targets: ProbedTarget[] = [];
  let args: string | null = null;
  let startedAt: string | null = null;
  let finishedAt: string | null = null;
  let sawRoot = false;
  let host: { addresses: string[]; hostname: string | null; ports: ProbedPort[]; up: boolean } | null = null;
  let port: ProbedPort | null = null;
  let script: { id: string; output: string; tables: string[] } | null = null;
  const error = (message: string, expected?: string, input?: string) =>
    diagnostics.push({ code: 'parse.nmap-xml', severity: 'error', message, location: { file, line: parser.line }, ...(expected ? { expected } : {}), ...(input !== undefined ? { input } : {}) });

  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'nmaprun':
        sawRoot = true;
        args = a['args'] ?? null;
        startedAt = epoch(a['start']);
        break;
      case 'finished':
        finishedAt = epoch(a['time']);
        break;
      case 'host':
        host = { addresses: [], hostname: null, ports: [], up: true };
        break;
      case 'status':
        if (host && a['state'] === 'down') host.up = false;
        break;
      case 'address':
        if (host && (a['addrtype'] === 'ipv4' || a['addrtype'] === 'ipv6')) {
          if (!a['addr']) error('<address> without addr', 'addr="192.0.2.1"');
          else host.addresses.push(a['addr']);
        }
        break;
      case 'hostname':
        if (host && host.hostname === null && a['type'] === 'user') host.hostname = a['name'] ?? null;
        break;
      case 'port': {
        if (!host) break;
        const id = Number(a['portid']);
        const proto = a['protocol'];
        if (!Number.isInteger(id) || id < 1 || id > 65535) error('<port> with a bad portid', 'portid between 1 and 65535', a['portid'] ?? '(missing)');
        else if (proto !== 'tcp' && proto !== 'udp') {
          if (proto !== 'sctp' && proto !== 'ip') error('<port> with an unknown protocol', 'protocol="tcp" or "udp"', proto ?? '(missing)');
        } else port = { proto, port: id, state: 'filtered', service: null, product: null, auth: null, tls: null, banner: null, facts: [] };
        break;
      }
      case 'state':
        if (port) {
          const s = a['state'] ?? '';
          if (!STATES.has(s)) error('<state> with an unknown state', 'open, closed, filtered, open|filtered, unfiltered or closed|filtered', s);
          else port.state = stateOf(s);
        }
        break;
      case 'service':
        if (port) {
          // nmap marks TLS-wrapped services with tunnel="ssl" (e.g. https as "http" + ssl).
          const name = a['name'] ?? null;
          port.service = name && a['tunnel'] === 'ssl' && name === 'http' ? 'https' : name;
          const product = [a['product'], a['version'], a['extrainfo'] ? `(${a['extrainfo']})` : undefined].filter(Boolean).join(' ');
          port.product = product.length > 0 ? product : null;
        }
        break;
      case 'script':
        if (port) script = { id: a['id'] ?? '', output: a['output'] ?? '', tables: [] };
        break;
      case 'table':
        if (script && a['key']) script.tables.push(a['key']);
        break;
      case 'elem':
        break;
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'script' && script && port) {
      applyScript(port, script);
      script = null;
    } else if (tag.name === 'port' && port && host) {
      host.ports.push(port);
      port = null;
    } else if (tag.name === 'host' && host) {
      if (host.addresses.length === 0) error('<host> without an IPv4 or IPv6 <address>', '<address addr="…" addrtype="ipv4"/>');
      else if (host.up) targets.push({ address: host.addresses[0]!, hostname: host.hostname, ports: host.ports });
      host = null;
    }
  });
  parser.on('error', (err) => {
    // saxes prefixes "line:column: "; the location carries the line.
    error(`not well-formed XML: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  try {
    parser.write(text).close();
  } catch {
    // Reported through the error handler.
  }
  if (!sawRoot && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push({ code: 'parse.nmap-xml', severity: 'error', message: 'not an nmap XML report: no <nmaprun> element', location: { file, line: 1 }, expected: 'the output of nmap -oX FILE' });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { value: null, diagnostics };
  const vantage: Record<string, string | null> = {};
  for (const t of targets) vantage[t.address] = null;
  return {
    value: { origin: { kind: 'nmap-xml', file, args }, startedAt: startedAt ?? new Date(0).toISOString(), finishedAt: finishedAt ?? startedAt ?? new Date(0).toISOString(), vantage, targets },
    diagnostics,
  };
}

/** What the NSE scripts the findings care about say. */
function applyScript(port: ProbedPort, s: { id: string; output: string; tables: string[] }): void {
  if (s.id === 'ftp-anon') {
    if (/Anonymous FTP login allowed/i.test(s.output)) {
      port.auth = 'none';
      port.facts.push('anonymous FTP login accepted (nmap ftp-anon)');
    }
  } else if (s.id === 'ssh-auth-methods') {
    const methods = s.output.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !/:$/.test(l));
    if (methods.length > 0) {
      port.authMethods = methods;
      port.auth = methods.includes('none') ? 'none' : 'required';
      port.facts.push(`authentication methods offered: ${methods.join(', ')} (nmap ssh-auth-methods)`);
    }
  } else if (s.id === 'ssl-enum-ciphers') {
    const versions = s.tables.map((k) => TLS_NAMES[k]).filter((v): v is TlsVersion => v !== undefined);
    port.tls = { versions: [...new Set(versions)], certificate: port.tls?.certificate ?? null };
  } else if (s.id === 'ssl-cert') {
    const cn = /Subject: commonName=([^/\n]+)/.exec(s.output)?.[1] ?? null;
    const issuer = /Issuer: ([^\n]+)/.exec(s.output)?.[1] ?? null;
    const notAfter = /Not valid after:\s*(\S+)/.exec(s.output)?.[1] ?? null;
    const date = notAfter ? new Date(notAfter.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(notAfter) ? notAfter : `${notAfter}Z`) : null;
    port.tls = {
      versions: port.tls?.versions ?? [],
      certificate: { subjectCN: cn, issuer, notAfter: date && !Number.isNaN(date.getTime()) ? date.toISOString() : null, daysLeft: null },
    };
  } else if (s.id === 'redis-info' && /Version/.test(s.output)) {
    port.auth = 'none';
    port.facts.push('INFO answered without a password (nmap redis-info)');
  }
}
