/**
 * The two sortable, filterable tables: every service of every host, and every finding.
 * Rows carry their filter facts in data- attributes; cells carry sort keys in data-key.
 *
 * @module
 */
import type { AuditReport, Finding } from '../../analyze/audit/types.js';
import { addressLabel, natTarget, serviceLabel } from '../common/describe.js';
import { exposureRank, serviceKey, severityRank, sortFindings, sortServices, worstSeverityByService } from '../common/order.js';
import { serviceSources } from '../common/sources.js';
import { TextChunks } from '../common/text-chunks.js';
import { h, token } from './escape.js';

/** A header cell with a sort button; `type` "num" sorts data-key numerically. */
function th(label: string, type: 'num' | 'text'): string {
  return `<th scope="col" data-sort="${type}"><button type="button">${h(label)}</button></th>`;
}

function badge(kind: 'exposure' | 'severity', value: string): string {
  return `<span class="badge ${kind}-${token(value)}">${h(value)}</span>`;
}

/** Every service of every host, worst first per host, sortable by any column: row by row into `out`. */
export function writeServicesTable(report: AuditReport, out: TextChunks): void {
  out.push(
    `<table id="services-table" class="sortable"><thead><tr>` +
      th('Host', 'text') + th('Exposure', 'num') + th('Port', 'num') + th('Address', 'text') + th('Service', 'text') + th('Sources', 'text') + th('Worst finding', 'num') +
      `</tr></thead><tbody>`,
  );
  for (const host of report.hosts) {
    const worst = worstSeverityByService(report.findings, host.name);
    for (const s of sortServices(host.services, worst)) {
      const sev = worst.get(serviceKey(s));
      const nat = natTarget(s);
      out.push(
        `<tr data-host="${h(host.name)}" data-exposure="${token(s.exposure)}">` +
          `<td data-key="${h(host.name)}">${h(host.name)}</td>` +
          `<td data-key="${exposureRank(s.exposure)}">${badge('exposure', s.exposure)}</td>` +
          `<td data-key="${s.port}">${h(s.proto)}/${s.port}</td>` +
          `<td>${h(addressLabel(s))}</td>` +
          `<td>${h(serviceLabel(s))}${nat ? `<div class="sub">${h(nat)}</div>` : ''}</td>` +
          `<td>${h(serviceSources(s, 60))}</td>` +
          `<td data-key="${sev === undefined ? 9 : severityRank(sev)}">${sev ? badge('severity', sev) : ''}</td>` +
          `</tr>`,
      );
    }
  }
  out.push(`</tbody></table>`);
}

function findingDetails(f: Finding): string {
  const facts = f.evidence.facts.map((x) => `<li>${h(x)}</li>`).join('');
  const rules = (f.evidence.decisions ?? []).map((d) => `<li><code>${h(d.rule.text)}</code></li>`).join('');
  const cmds = f.remediation.commands.map((c) => `<pre><code>${h(c)}</code></pre>`).join('');
  const supp = f.suppressed ? `<p class="suppressed-note">Suppressed: ${h(f.suppressed.reason)} (until ${h(f.suppressed.expires)})</p>` : '';
  return `<details><summary>${h(f.title)}</summary>${supp}<ul class="facts">${facts}${rules}</ul><p><b>Fix:</b> ${h(f.remediation.summary)}</p>${cmds}</details>`;
}

/** Every finding, worst first, suppressed last; details (evidence, fix) folded. */
export function renderFindingsTable(report: Pick<AuditReport, 'findings'>): string {
  const out = new TextChunks();
  writeFindingsTable(report, out);
  return out.done().join('');
}

/** The same table, row by row into `out`. */
export function writeFindingsTable(report: Pick<AuditReport, 'findings'>, out: TextChunks): void {
  out.push(
    `<table id="findings-table" class="sortable"><thead><tr>` +
      th('Severity', 'num') + th('Host', 'text') + th('Service', 'num') + th('Finding', 'text') + th('Check', 'text') +
      `</tr></thead><tbody>`,
  );
  for (const f of sortFindings(report.findings)) {
    out.push(
      `<tr data-host="${h(f.host)}" data-severity="${token(f.severity)}"${f.suppressed ? ' class="suppressed"' : ''}>` +
        `<td data-key="${severityRank(f.severity)}">${badge('severity', f.severity)}</td>` +
        `<td data-key="${h(f.host)}">${h(f.host)}</td>` +
        `<td data-key="${f.service?.port ?? 0}">${f.service ? `${h(f.service.proto)}/${f.service.port}` : '—'}</td>` +
        `<td>${findingDetails(f)}</td>` +
        `<td>${h(f.rule)}</td>` +
        `</tr>`,
    );
  }
  out.push(`</tbody></table>`);
}
