/**
 * An instance's cloud section for the terminal: what the internet can open through the
 * AWS layers, connections whose reply a network ACL drops, and the assumptions made.
 *
 * @module
 */
import type { AuditedHost } from '../../analyze/audit/types.js';
import { exposurePorts, hopsText, loadBalancerLine } from '../common/cloud-path.js';
import { printable } from '../common/printable.js';
import type { Palette } from './colors.js';
import { wrap } from './layout.js';

function sourcesText(s: { ipv4: string[]; ipv6: string[] }): string {
  const all = [...s.ipv4, ...s.ipv6];
  return all.length <= 3 ? all.join(', ') : `${all.length} prefixes (${all.slice(0, 2).join(', ')}, …)`;
}

export function renderCloud(host: AuditedHost, p: Palette, width: number): string[] {
  const facts = host.cloud;
  if (!facts) return [];
  const out: string[] = [];
  const ifaces = facts.interfaces.map((i) => `${i.id} ${[...i.publicIps, ...i.ipv6].join(' ') || 'no public address'} (${i.securityGroups.join(', ')}; ${i.networkAcl ?? 'no ACL'}; ${i.routeTable ?? 'no route table'})`);
  const name = facts.name ? `${facts.name}, ` : '';
  out.push(...wrap(`AWS ${facts.instanceId} (${name}${facts.state})${facts.joined ? `, host ${facts.joined.hostname} joined by ${facts.joined.by}` : ', no host snapshot'}`, width - 2).map((l) => '  ' + p.dim(printable(l))));
  for (const i of ifaces) out.push(...wrap(printable(i), width - 4).map((l) => '    ' + p.dim(l)));
  const internet = host.internet ?? [];
  if (internet.length === 0) out.push('  The internet can open no connection to it through the cloud layers.');
  for (const e of internet) {
    out.push(...wrap(`${exposurePorts(e)} ← ${sourcesText(e.sources)}`, width - 2).map((l) => '  ' + printable(l)));
    out.push(...wrap(`via ${hopsText(e.path)}`, width - 6).map((l) => '      ' + p.dim(printable(l))));
  }
  for (const e of facts.loadBalancers ?? []) {
    out.push(...wrap(`${loadBalancerLine(e)}${e.reachesTarget ? `, from ${sourcesText(e.sources)}` : ''}`, width - 2).map((l) => '  ' + printable(l)));
    if (e.reachesTarget) out.push(...wrap(`via ${hopsText(e.path)}`, width - 6).map((l) => '      ' + p.dim(printable(l))));
  }
  for (const b of facts.returnBlocked) {
    out.push(...wrap(`! ${exposurePorts(b)} from ${sourcesText(b.sources)}: admitted inbound, but ${b.networkAcl} drops the reply to every client port: no connection opens`, width - 2).map((l) => '  ' + printable(l)));
  }
  for (const a of facts.assumptions) out.push(...wrap(`assumed: ${a}`, width - 2).map((l) => '  ' + p.dim(printable(l))));
  return out;
}
