/**
 * The probe renderers on a report built from a recorded nmap scan of the live suite's
 * daemons, plus a hostile banner: whoever runs a service writes the banner, so it must never
 * reach a terminal or a page raw.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildProbeReport } from '../../src/analyze/probe/index.js';
import { parseNmapXml } from '../../src/parse/nmap-xml/index.js';
import { renderProbeHtml, renderProbeJson, renderProbeText } from '../../src/render/index.js';

function report() {
  const obs = parseNmapXml(readFileSync(new URL('../fixtures/nmap-xml/service-scan.xml', import.meta.url), 'utf8'), 'service-scan.xml').value!;
  const p = obs.targets[0]!.ports.find((x) => x.port === 80)!;
  p.banner = 'HTTP/1.1 200 OK\u001b[2J<script>alert(1)</script>\u202e';
  return buildProbeReport({ observation: obs, comparison: { snapshot: 's.json', compared: 7, disagreements: [{ address: '192.0.2.1', proto: 'tcp', port: 7000, predicted: 'open', observed: 'filtered', kind: 'unexpected-filtered' }] }, context: { isLocalVantage: () => false }, now: new Date('2026-12-02T00:00:00Z'), toolVersion: 'test' });
}

describe('probe renderers', () => {
  it('text: ports, comparison and findings, banners escaped', () => {
    const text = renderProbeText(report(), { color: false, width: 120 });
    expect(text).toContain('6379/tcp');
    expect(text).toMatch(/6379\/tcp\s+open\s+redis\s+none/);
    expect(text).toContain('7 port(s) compared, 1 disagreement(s)');
    expect(text).toContain('7000/tcp: predicted open, observed filtered (unexpected-filtered)');
    expect(text).toContain('CRITICAL');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
  });

  it('HTML: one self-contained page, every banner byte escaped', () => {
    const html = renderProbeHtml(report());
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('probe-unauthenticated-datastore');
  });

  it('JSON: stable, parseable, the report as built', () => {
    const r = report();
    const json = renderProbeJson(r);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(r)));
    expect(renderProbeJson(report())).toBe(json);
  });

  it('JSON satisfies schemas/probe.schema.json, and the schema rejects a damaged report', () => {
    const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
    const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(JSON.parse(readFileSync(new URL('../../schemas/probe.schema.json', import.meta.url), 'utf8')) as object);
    const doc = JSON.parse(renderProbeJson(report())) as { targets: { ports: { state: string }[] }[] };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    doc.targets[0]!.ports[0]!.state = 'half-open';
    expect(validate(doc)).toBe(false);
  });
});
