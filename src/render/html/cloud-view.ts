/**
 * An instance's cloud layer in the HTML report: what the internet can open through it
 * (with the deciding rule of each hop), replies a network ACL drops, and the assumptions.
 *
 * @module
 */
import type { AuditedHost } from '../../analyze/audit/types.js';
import { exposurePorts, hopsText, loadBalancerLine } from '../common/cloud-path.js';
import { h } from './escape.js';

export function renderCloud(host: AuditedHost): string {
  const facts = host.cloud;
  if (!facts) return '';
  const rows = (host.internet ?? [])
    .map((e) => `<tr><td>${h(exposurePorts(e))}</td><td>${h([...e.sources.ipv4, ...e.sources.ipv6].slice(0, 8).join(', '))}${e.sources.ipv4.length + e.sources.ipv6.length > 8 ? ' …' : ''}</td><td>${h(hopsText(e.path))}</td></tr>`)
    .join('');
  const blocked = facts.returnBlocked.map((b) => `<li>${h(`${exposurePorts(b)}: ${b.networkAcl} admits it inbound but drops every reply`)}</li>`).join('');
  const balanced = (facts.loadBalancers ?? []).map((e) => `<li>${h(loadBalancerLine(e))}${e.reachesTarget ? h(` via ${hopsText(e.path)}`) : ''}</li>`).join('');
  const assumed = facts.assumptions.map((a) => `<li>${h(a)}</li>`).join('');
  return (
    `<h3>Internet through the cloud (AWS ${h(facts.instanceId)}${facts.name ? `, ${h(facts.name)}` : ''})</h3>` +
    (rows ? `<table class="cloud"><thead><tr><th>ports</th><th>sources</th><th>deciding rules</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>The internet can open no connection to it through the cloud layers.</p>') +
    (balanced ? `<ul class="balancers">${balanced}</ul>` : '') +
    (blocked ? `<ul class="caveats">${blocked}</ul>` : '') +
    (assumed ? `<ul class="notes">${assumed}</ul>` : '')
  );
}
