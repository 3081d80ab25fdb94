/**
 * Findings from what answered, in the audit's model (rule, severity, evidence, remediation):
 * unauthenticated data stores, cleartext logins, SSH passwords, legacy TLS, certificates
 * near expiry, UDP amplifiers and open resolvers, and every disagreement with the engine.
 *
 * @module
 */
import type { ProbedPort, ProbeObservation } from '../../model/probe.js';
import type { Finding, Severity } from '../audit/types.js';
import { SERVICES } from '../catalog/index.js';
import type { Disagreement } from './types.js';
import { nameTable } from '../../model/name-table.js';

/** Probe service names that the catalog spells differently. */
const CATALOG_ID: Record<string, string> = nameTable({ docker: 'docker-api', mariadb: 'mysql', https: 'http' });

function catalogEntry(service: string | null, proto: 'tcp' | 'udp') {
  if (!service) return undefined;
  const id = CATALOG_ID[service] ?? service;
  return SERVICES.find((e) => e.id === id && (e.ports.length === 0 || e.ports.some((p) => p.proto === proto))) ?? SERVICES.find((e) => e.id === id);
}

function label(p: ProbedPort): string {
  return catalogEntry(p.service, p.proto)?.label ?? p.service ?? 'unknown service';
}

/** Methods that send a reusable secret, brute-forceable from wherever the port is reachable. */
export function passwordLike(methods: readonly string[]): boolean {
  return methods.includes('password') || methods.includes('keyboard-interactive');
}

export interface FindingContext {
  /** Whether the probe's source address is this host (loopback or own address): the finding is then about local clients only. */
  isLocalVantage: (address: string, vantage: string | null) => boolean;
  /** Whether the policy lists this port as public for the target (its hostname, else its address); absent: not judged. */
  isListedPublic?: (host: string, proto: 'tcp' | 'udp', port: number) => boolean;
}

interface Draft {
  rule: string;
  severity: Severity;
  title: string;
  facts: string[];
  summary: string;
  commands?: string[];
}

function finding(host: string, p: ProbedPort | null, d: Draft): Finding {
  return {
    id: p ? `${d.rule}:${host}:${p.proto}/${p.port}` : `${d.rule}:${host}`,
    rule: d.rule,
    severity: d.severity,
    host,
    service: p ? { proto: p.proto, port: p.port } : null,
    title: d.title,
    evidence: { facts: d.facts },
    remediation: { summary: d.summary, commands: d.commands ?? [] },
  };
}

function portFindings(p: ProbedPort, local: boolean, now: Date): Draft[] {
  const out: Draft[] = [];
  const where = `${p.port}/${p.proto}`;
  const entry = catalogEntry(p.service, p.proto);
  const facts = [...p.facts, ...(p.banner ? [`banner: ${p.banner}`] : [])];
  const vantage = local ? 'from this host' : 'from the probe';
  const unauthClass = entry?.risks.find((r) => r.class === 'unauthenticated-datastore' || r.class === 'container-api');
  if (p.auth === 'none' && unauthClass && p.service !== 'ftp') {
    out.push({
      rule: 'probe-unauthenticated-datastore',
      severity: local ? 'low' : 'critical',
      title: `${label(p)} on ${where} answers without authentication ${vantage}`,
      facts,
      summary: `${local ? 'Only local clients reach it here, but any local user or process gets in: ' : ''}require authentication, bind it to loopback, or firewall it.${unauthClass.alternative ? ` Safer setup: ${unauthClass.alternative}.` : ''}`,
      commands: [...(entry?.localOnly ? [entry.localOnly] : []), ...(unauthClass.fix ? [unauthClass.fix] : [])],
    });
  }
  // nmap's reports say nothing about logins: FTP and Telnet take theirs in cleartext whatever the server.
  const cleartext = p.cleartextLogin ?? (p.service === 'ftp' || p.service === 'telnet');
  if (cleartext && !p.starttls && !p.tls) {
    const anonymous = p.service === 'ftp' && p.auth === 'none';
    out.push({
      rule: 'probe-cleartext-login',
      severity: local ? 'low' : 'high',
      title: `${label(p)} on ${where} takes logins in cleartext${anonymous ? ' and lets anonymous users in' : ''}`,
      facts,
      summary: `Anyone on the path reads the passwords. ${entry?.risks.find((r) => r.class === 'cleartext-credentials')?.alternative ? `Use ${entry.risks.find((r) => r.class === 'cleartext-credentials')!.alternative} instead.` : 'Require TLS before login.'}`,
    });
  }
  if (p.service === 'ssh' && p.authMethods && passwordLike(p.authMethods)) {
    out.push({
      rule: 'probe-ssh-password',
      severity: local ? 'low' : 'high',
      title: `SSH on ${where} accepts passwords ${vantage}: an invitation to brute force`,
      facts,
      summary: 'Allow public keys only.',
      commands: ['PasswordAuthentication no', 'KbdInteractiveAuthentication no', '# in /etc/ssh/sshd_config, then: systemctl reload ssh'],
    });
  }
  const legacy = p.tls?.versions.filter((v) => v === 'TLSv1' || v === 'TLSv1.1') ?? [];
  if (legacy.length > 0) {
    out.push({
      rule: 'probe-legacy-tls',
      severity: 'medium',
      title: `${label(p)} on ${where} accepts ${legacy.join(' and ')}`,
      facts: [`handshakes completed with: ${p.tls!.versions.join(', ')}`, 'TLS 1.0 and 1.1 are deprecated (RFC 8996)'],
      summary: 'Accept TLS 1.2 and 1.3 only.',
      commands: ['ssl_protocols TLSv1.2 TLSv1.3;  # nginx', 'SSLProtocol -all +TLSv1.2 +TLSv1.3  # Apache'],
    });
  }
  const cert = p.tls?.certificate;
  const daysLeft = cert?.notAfter ? Math.floor((Date.parse(cert.notAfter) - now.getTime()) / 86_400_000) : null;
  if (cert && daysLeft !== null && daysLeft <= 30) {
    out.push({
      rule: 'probe-certificate-expiry',
      severity: daysLeft < 0 ? 'high' : 'medium',
      title: daysLeft < 0 ? `The certificate on ${where} expired ${-daysLeft} day(s) ago` : `The certificate on ${where} expires in ${daysLeft} day(s)`,
      facts: [`subject CN: ${cert.subjectCN ?? '(none)'}`, `issuer: ${cert.issuer ?? '(none)'}`, `not after: ${cert.notAfter}`],
      summary: 'Renew the certificate (and automate renewal).',
    });
  }
  if (p.amplification !== undefined && p.amplification > 1) {
    out.push({
      rule: 'probe-udp-amplifier',
      severity: local ? 'low' : 'high',
      title: `${label(p)} on ${where} amplifies UDP ×${p.amplification} ${vantage}`,
      facts,
      summary: 'Turn the UDP service off or answer only the networks that need it: spoofed queries make it flood third parties.',
      commands: entry?.risks.find((r) => r.class === 'amplification')?.fix ? [entry.risks.find((r) => r.class === 'amplification')!.fix!] : [],
    });
  }
  if (p.openResolver) {
    out.push({
      rule: 'probe-open-resolver',
      severity: local ? 'low' : 'high',
      title: `DNS on ${where} resolves names for anyone ${vantage}`,
      facts,
      summary: 'Answer recursive queries only for your own networks.',
      commands: ['access-control: 0.0.0.0/0 refuse  # unbound', 'allow-recursion { localnets; };  # BIND'],
    });
  }
  return out;
}

function disagreementFinding(d: Disagreement): Finding {
  const p = { proto: d.proto, port: d.port };
  const where = `${d.port}/${d.proto}`;
  const draft: Draft =
    d.kind === 'unexpected-open'
      ? {
          rule: 'probe-unpredicted-open',
          severity: 'high',
          title: `${where} answers, but the firewall analysis says it is ${d.predicted}`,
          facts: [`predicted: ${d.predicted}`, `observed: ${d.observed}`],
          summary: 'Something the snapshot does not see lets it through (another host or layer, a changed ruleset, or an engine bug): find it before trusting the audit.',
        }
      : {
          rule: 'probe-predicted-open-not-answering',
          severity: 'info',
          title: `${where} should answer per the firewall analysis, but is ${d.observed}`,
          facts: [`predicted: ${d.predicted}`, `observed: ${d.observed}`],
          summary: d.kind === 'unexpected-filtered' ? 'A firewall upstream (cloud security group, provider, router) filters it: the host firewall alone is not what protects it.' : 'The service refused: it may have stopped since the snapshot.',
        };
  return finding(d.address, p as ProbedPort, draft);
}

export function probeFindings(observation: ProbeObservation, disagreements: readonly Disagreement[], ctx: FindingContext, now: Date): Finding[] {
  const out: Finding[] = [];
  for (const t of observation.targets) {
    const local = ctx.isLocalVantage(t.address, observation.vantage[t.address] ?? null);
    for (const p of t.ports) {
      if (p.state !== 'open') continue;
      for (const d of portFindings(p, local, now)) out.push(finding(t.address, p, d));
      if (!local && ctx.isListedPublic && !ctx.isListedPublic(t.hostname ?? t.address, p.proto, p.port)) {
        out.push(
          finding(t.address, p, {
            rule: 'probe-unlisted-open',
            severity: 'medium',
            title: `${p.port}/${p.proto} (${label(p)}) answers the probe, but the policy does not list it as public`,
            facts: [...p.facts, ...(p.banner ? [`banner: ${p.banner}`] : [])],
            summary: 'Close it to this source, or list it under publicPorts in the policy if it is meant to be public.',
          }),
        );
      }
    }
  }
  for (const d of disagreements) out.push(disagreementFinding(d));
  return out;
}
