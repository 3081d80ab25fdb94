/**
 * The probe's HTML page in a real headless browser (Debian's chromium driven by
 * playwright-core), on a report built from a recorded nmap scan of the live suite's daemons
 * plus a hostile banner: the page's script runs without error under its CSP, nothing is
 * fetched, the banner stays text, and the findings' sort and filters work. Skipped, loudly,
 * when /usr/bin/chromium is missing (apt-get install chromium).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, launchWatched } from './browser.js';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProbeReport } from '../../src/analyze/probe/index.js';
import { parseNmapXml } from '../../src/parse/nmap-xml/index.js';
import { renderProbeHtml } from '../../src/render/index.js';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n!!! probe-html-browser.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium) !!!\n`);

const HOSTILE = 'HTTP/1.1 200 OK <img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>';

function report() {
  const obs = parseNmapXml(readFileSync(new URL('../fixtures/nmap-xml/service-scan.xml', import.meta.url), 'utf8'), 'service-scan.xml').value!;
  obs.targets[0]!.ports.find((x) => x.port === 80)!.banner = HOSTILE;
  return buildProbeReport({ observation: obs, comparison: { snapshot: 's.json', compared: 7, disagreements: [{ address: '192.0.2.1', proto: 'tcp', port: 7000, predicted: 'open', observed: 'filtered', kind: 'unexpected-filtered' }] }, context: { isLocalVantage: () => false }, now: new Date('2026-12-02T00:00:00Z'), toolVersion: 'test' });
}

describe.skipIf(!haveChromium)('renderProbeHtml in chromium', () => {
  let dir = '';
  let ctx: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  let pageUrl = '';

  const visibleFindings = (): Promise<string[]> => page.$$eval('#findings-table tbody tr:not(.hidden)', (rows) => rows.map((r) => r.getAttribute('data-severity') ?? ''));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-probe-html-'));
    ({ ctx, page } = await launchWatched(join(dir, 'profile'), { width: 1400, height: 1000 }, requests, problems));
    const file = join(dir, 'probe.html');
    writeFileSync(file, renderProbeHtml(report()));
    pageUrl = pathToFileURL(file).href;
    await page.goto(pageUrl);
  }, 90_000);

  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs its script under the CSP without an error and fetches nothing', async () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pageUrl]);
    // The script ran: it fills the findings count.
    const n = await page.$$eval('#findings-table tbody tr', (rows) => rows.length);
    expect(n).toBeGreaterThan(3);
    expect(await page.textContent('#findings-count')).toBe(`${n} shown`);
  });

  it('shows the ports and the disagreement; the hostile banner stays text', async () => {
    const rows = await page.$$eval('main table:first-of-type tbody tr', (rs) => rs.map((r) => Array.from(r.cells, (c) => c.textContent!.trim()).slice(0, 4).join(' | ')));
    expect(rows).toContain('6379/tcp | open | redis | none');
    expect(await page.textContent('main')).toContain('7000/tcp');
    expect(await page.title()).not.toBe('pwned');
    expect(await page.$$eval('script', (s) => s.length)).toBe(1);
    expect(await page.$$eval('img', (s) => s.length)).toBe(0);
    expect(await page.textContent('main')).toContain('<script>document.title="pwned"</script>');
  });

  it('filters findings by severity (at or above) and text, and sorts them', async () => {
    await page.selectOption('#f-severity', 'high');
    const high = await visibleFindings();
    expect(high.length).toBeGreaterThan(0);
    expect(new Set(high)).toEqual(new Set(high.filter((s) => s === 'critical' || s === 'high')));
    expect(high).toContain('critical');
    await page.selectOption('#f-severity', '');
    await page.fill('#f-text', '6379');
    const byText = await page.$$eval('#findings-table tbody tr:not(.hidden)', (rows) => rows.map((r) => r.textContent!));
    expect(byText.length).toBeGreaterThan(0);
    for (const t of byText) expect(t).toContain('6379');
    expect(await page.textContent('#findings-count')).toBe(`${byText.length} shown`);
    await page.fill('#f-text', '');
    await page.click('#findings-table th:nth-child(3) button');
    const ports = await page.$$eval('#findings-table tbody tr td:nth-child(3)', (cs) => cs.map((c) => Number(c.getAttribute('data-key'))));
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
    expect(problems).toEqual([]);
  });
});
