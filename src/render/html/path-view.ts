/**
 * The path a new connection from outside takes to a service, layer by layer:
 * sources → prerouting (NAT) → the hook's deciding rules → the socket (or the container).
 *
 * @module
 */
import type { AuditedService } from '../../analyze/audit/types.js';
import type { Decision } from '../../analyze/types.js';
import { forwardTargets, hostPort, processLabel, ruleRefLabel } from '../common/describe.js';
import { summarizeSources, serviceSources } from '../common/sources.js';
import { h, token } from './escape.js';

function origin(s: AuditedService): string {
  if (s.exposure === 'local') return 'This host';
  if (s.exposure === 'closed') return 'Nobody';
  if (s.exposure === 'internal') return 'Internal networks';
  return 'Internet';
}

function step(kind: string, title: string, body = ''): string {
  return `<li class="step step-${token(kind)}"><span class="step-title">${title}</span>${body}</li>`;
}

/** The input interfaces that admit it, with the sources routed through each (the route back). */
function arrival(s: AuditedService): string {
  if (s.interfaces === undefined) return step('iface', 'input interface', '<span class="step-note">not known (no routing table in the snapshot)</span>');
  const items = s.interfaces
    .map((i) => `<div class="iface"><b>${h(i.name === '*' ? 'any interface' : i.name)}</b> <span class="step-note">from ${h(summarizeSources(i.sources, 60))}</span></div>`)
    .join('');
  const link = s.linkScoped && s.linkScoped.length > 0 ? '<span class="step-note">link-scoped destinations only: reachable from the link alone</span>' : '';
  return step('iface', 'in on', items + link);
}

function prerouting(s: AuditedService): string {
  if (s.path.kind === 'forward') {
    const to = forwardTargets(s);
    return step('nat', `nat PREROUTING <b>DNAT</b>`, `<span class="step-note">port ${h(s.path.hostPorts)} → ${h(to)}</span>`);
  }
  if (s.path.kind === 'redirect') {
    return step('nat', `nat PREROUTING <b>REDIRECT</b>`, `<span class="step-note">port ${h(s.path.hostPorts)} → ${h(s.port)}</span>`);
  }
  return step('pass', 'raw / mangle / nat PREROUTING', '<span class="step-note">no change</span>');
}

function decisionItem(d: Decision): string {
  const hook = d.hook.toUpperCase();
  const may = d.uncertain ? ' <span class="may">may match</span>' : '';
  const fam = d.rule.family === 'ipv4' ? 'IPv4' : 'IPv6';
  const srcs = [...d.sources.ipv4, ...d.sources.ipv6];
  const from = srcs.length > 0 ? `<span class="step-note">from ${h(srcs.slice(0, 4).join(', '))}${srcs.length > 4 ? ', …' : ''}</span>` : '';
  return (
    `<div class="decision verdict-${token(d.verdict)}"><span class="hook">${h(hook)}</span> ${h(ruleRefLabel(d.rule))} ` +
    `<b>${h(d.verdict.toUpperCase())}</b> <span class="fam">${fam}</span>${may}${from}<code>${h(d.rule.text)}</code></div>`
  );
}

function socket(s: AuditedService): string {
  const proc = processLabel(s.process);
  const procHtml = proc ? `<span class="step-note">${h(proc)}</span>` : '';
  if (s.path.kind === 'forward') return step('socket', `forwarded to ${h(forwardTargets(s))}`, procHtml);
  return step('socket', `socket ${h(s.proto)} ${h(hostPort(s.address, s.port))}`, procHtml);
}

/** The packet path of one service as an ordered list. */
export function renderPath(s: AuditedService): string {
  const hooks = [...new Set(s.decisions.map((d) => d.hook.toUpperCase()))].join(' / ');
  const decisions =
    s.decisions.length > 0
      ? step('filter', `filter ${h(hooks)}`, s.decisions.map(decisionItem).join(''))
      : s.exposure === 'local'
        ? step('pass', 'loopback', '<span class="step-note">not filtered</span>')
        : '';
  // Loopback and unreachable sockets never see a packet from outside: no prerouting step.
  const remote = s.exposure !== 'local' && s.exposure !== 'closed';
  return (
    `<ol class="path exposure-${token(s.exposure)}" aria-label="packet path">` +
    step('origin', h(origin(s)), `<span class="step-note">${h(serviceSources(s, 60))}</span>`) +
    (remote ? arrival(s) + prerouting(s) : '') +
    decisions +
    socket(s) +
    `</ol>`
  );
}
