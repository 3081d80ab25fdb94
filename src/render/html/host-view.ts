/**
 * One host: a card per service (worst first) with its packet path and findings, then what
 * was not read or read conservatively.
 *
 * @module
 */
import type { AuditedHost, AuditedService, Finding } from '../../analyze/audit/types.js';
import { formatLocation } from '../../model/diagnostics.js';
import { ruleRefLabel, serviceLabel } from '../common/describe.js';
import { serviceKey, sortFindings, sortServices, worstSeverityByService } from '../common/order.js';
import { TextChunks } from '../common/text-chunks.js';
import { h, token } from './escape.js';
import { renderPath } from './path-view.js';
import { renderCloud } from './cloud-view.js';
import { serviceCloudNote } from '../common/cloud-path.js';

/** The host's findings by the service they name ("tcp/22"), in report order. */
function findingsByService(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.service === null) continue;
    const key = serviceKey(f.service);
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  return out;
}

function serviceCard(s: AuditedService, byService: ReadonlyMap<string, readonly Finding[]>): string {
  // Looked up, not filtered from all the host's findings for each card: 1,000 services times
  // 3,000 findings on the synthetic host (issue 8).
  const own = sortFindings(byService.get(serviceKey(s)) ?? []);
  const list = own
    .map((f) => `<li class="${f.suppressed ? 'suppressed' : ''}"><span class="badge severity-${token(f.severity)}">${h(f.severity)}</span> ${h(f.title)}</li>`)
    .join('');
  // NAT is drawn in the path; the notes add what the path cannot show.
  const notes = [serviceCloudNote(s), s.rateLimited ? 'admitted under a rate or connection limit' : null, ...(s.laterConnections ?? []), ...s.uncertain.map((u) => `may match: ${u.construct} (${ruleRefLabel(u.rule)})`)]
    .filter((x): x is string => x !== null)
    .map((n) => `<li>${h(n)}</li>`)
    .join('');
  return (
    `<article class="service exposure-${token(s.exposure)}" data-exposure="${token(s.exposure)}">` +
    `<h3><span class="badge exposure-${token(s.exposure)}">${h(s.exposure)}</span> ${h(s.proto)}/${s.port} <span class="svc-name">${h(serviceLabel(s))}</span></h3>` +
    renderPath(s) +
    (notes ? `<ul class="notes">${notes}</ul>` : '') +
    (list ? `<ul class="svc-findings">${list}</ul>` : '') +
    `</article>`
  );
}

function caveats(host: AuditedHost): string {
  const items: string[] = [];
  for (const s of host.sourceStatus) {
    if (s.status !== 'passed') items.push(`<li class="status-${token(s.status)}">${h(s.source)}: ${h(s.status)} (${s.rules} rules)</li>`);
  }
  for (const d of host.diagnostics) {
    const where = d.location ? `${formatLocation(d.location)}: ` : '';
    items.push(`<li class="diag-${token(d.severity)}">${h(where + d.message)} <span class="code">${h(d.code)}</span></li>`);
  }
  for (const r of host.shadowedRules) items.push(`<li>${h(ruleRefLabel(r.rule))} is ${h(r.kind)}: <code>${h(r.rule.text)}</code></li>`);
  return items.length > 0 ? `<h3>Read with caution</h3><ul class="caveats">${items.join('')}</ul>` : '';
}

/** One host section (header, host-wide findings, a card per service, caveats), card by card into `out`. */
export function writeHost(host: AuditedHost, findings: readonly Finding[], out: TextChunks): void {
  const own = findings.filter((f) => f.host === host.name);
  const services = sortServices(host.services, worstSeverityByService(own, host.name));
  const byService = findingsByService(own);
  const hostWide = sortFindings(own.filter((f) => f.service === null))
    .map((f) => `<li><span class="badge severity-${token(f.severity)}">${h(f.severity)}</span> ${h(f.title)}</li>`)
    .join('');
  out.push(
    `<section class="host" data-host="${h(host.name)}"><h2>${h(host.name)}</h2>` +
      `<p class="meta">collected ${h(host.collectedAt)} · IPv4: ${h(backendsText(host, 'ipv4'))} · IPv6: ${h(backendsText(host, 'ipv6'))}</p>` +
      (hostWide ? `<ul class="svc-findings host-findings">${hostWide}</ul>` : '') +
      renderCloud(host) +
      `<div class="services">`,
  );
  // A card is never empty (it opens with <article>): no cards is no services.
  for (const s of services) out.push(serviceCard(s, byService));
  if (services.length === 0) out.push('<p>No listening services.</p>');
  out.push(`</div>` + caveats(host) + `</section>`);
}

/** The backends holding rules, or why the rules could not be read (unread is not "no rules"). */
function backendsText(host: AuditedHost, family: 'ipv4' | 'ipv6'): string {
  const unreadable = host.firewallUnreadable?.[family];
  if (unreadable !== undefined) return unreadable.split(' (')[0]!;
  return host.backends[family].join(' + ') || 'no rules';
}
