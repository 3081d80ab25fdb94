/**
 * The HTML report in a real headless browser (Debian's chromium driven by playwright-core):
 * the DOM, sorting, filtering, no network, no script injection, and a screenshot that shows
 * something. Skipped, loudly, when /usr/bin/chromium is missing (apt-get install chromium).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, launchWatched } from './browser.js';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotColours } from './screenshot.js';
import { renderAuditHtml } from '../../src/render/index.js';
import { hostileReport, report } from './load.js';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n!!! html-browser.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium) !!!\n`);

describe.skipIf(!haveChromium)('renderAuditHtml in chromium', () => {
  let dir = '';
  let ctx: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  async function open(html: string, name: string): Promise<void> {
    const file = join(dir, name);
    writeFileSync(file, html);
    await page.goto(pathToFileURL(file).href);
  }

  const visibleRows = (table: string): Promise<string[]> =>
    page.$$eval(`${table} tbody tr:not(.hidden)`, (rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent!.trim()).join(' | ')));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-html-'));
    ({ ctx, page } = await launchWatched(join(dir, 'profile'), { width: 1400, height: 1000 }, requests, problems));
    await open(renderAuditHtml(report()), 'report.html');
  }, 90_000);

  afterAll(async () => {
    await ctx?.close();
    // Keep the screenshot for people to look at; drop the profile.
    if (dir) rmSync(join(dir, 'profile'), { recursive: true, force: true });
  });

  it('shows hosts, services and findings', async () => {
    expect(await page.$$eval('section.host h2', (hs) => hs.map((x) => x.textContent))).toEqual(['web-1', 'db-2']);
    expect(await visibleRows('#services-table')).toHaveLength(13);
    expect(await visibleRows('#findings-table')).toHaveLength(14);
    expect(await page.textContent('#services-count')).toBe('13 shown');
    const firstCard = await page.textContent('section.host article.service');
    expect(firstCard).toContain('tcp/6379');
    expect(firstCard).toContain('filter ufw-user-input #7');
    expect(problems).toEqual([]);
  });

  it('sorts by a column, both ways', async () => {
    const ports = async (): Promise<number[]> => (await visibleRows('#services-table')).map((r) => Number(r.split(' | ')[2]!.split('/')[1]));
    await page.click('#services-table th:nth-child(3) button');
    const up = await ports();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await page.getAttribute('#services-table th:nth-child(3)', 'aria-sort')).toBe('ascending');
    await page.click('#services-table th:nth-child(3) button');
    expect(await ports()).toEqual([...up].reverse());
    // Exposure sorts by rank, not by name: world first.
    await page.click('#services-table th:nth-child(2) button');
    const exposures = (await visibleRows('#services-table')).map((r) => r.split(' | ')[1]);
    expect(exposures[0]).toBe('world');
    expect(exposures.at(-1)).toBe('closed');
    // Findings by host.
    await page.click('#findings-table th:nth-child(2) button');
    const hosts = (await visibleRows('#findings-table')).map((r) => r.split(' | ')[1]);
    expect(hosts.indexOf('web-1')).toBeGreaterThan(hosts.lastIndexOf('db-2'));
  });

  it('filters by severity, host and text', async () => {
    await page.selectOption('#f-severity', 'high');
    const sev = (await visibleRows('#findings-table')).map((r) => r.split(' | ')[0]);
    expect(sev.sort()).toEqual(['critical', 'critical', 'high', 'high', 'high']); // one high is suppressed but listed
    await page.selectOption('#f-severity', '');
    await page.selectOption('#f-host', 'db-2');
    expect(await visibleRows('#services-table')).toHaveLength(2);
    expect(await page.isVisible('section.host[data-host="web-1"]')).toBe(false);
    expect(await page.isVisible('section.host[data-host="db-2"]')).toBe(true);
    await page.selectOption('#f-host', '');
    await page.fill('#f-text', 'redis');
    const rows = await visibleRows('#services-table');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('tcp/6379');
    expect(await page.textContent('#services-count')).toBe('1 shown');
    await page.fill('#f-text', '');
    await page.selectOption('#f-exposure', 'local');
    expect((await visibleRows('#services-table')).map((r) => r.split(' | ')[2])).toEqual(['tcp/5432', 'udp/53']);
    await page.selectOption('#f-exposure', '');
  });

  it('never touches the network', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });

  it('runs no injected markup from hostile rule texts and names', async () => {
    await open(renderAuditHtml(hostileReport()), 'hostile.html');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$('img, svg, section.host script')).toHaveLength(0);
    expect(await page.textContent('section.host h2')).toBe('web"><img src=x onerror="window.__pwned=1">');
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await open(renderAuditHtml(report()), 'report.html');
  });

  it('renders something worth looking at (screenshot)', async () => {
    const shot = join(dir, 'report.png');
    const png = await page.screenshot({ path: shot, fullPage: true });
    console.info(`HTML report screenshot: ${shot}`);
    expect(png.length).toBeGreaterThan(50_000);
    // Decode it in the browser and count colours: a blank or one-colour page has very few.
    const colours = await screenshotColours(page, png);
    expect(colours).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
