/**
 * The drop-log HTML page in a real headless browser (Debian's chromium via playwright-core):
 * the charts are drawn, nothing loads from the network, hostile prefixes stay text, and a
 * screenshot shows something. Skipped, loudly, when /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, launchWatched } from './browser.js';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotColours } from './screenshot.js';
import { LogFold, summarize } from '../../src/analyze/log-summary/index.js';
import type { LogSummary } from '../../src/analyze/log-summary/types.js';
import { LogLineReader } from '../../src/parse/netfilter-log/index.js';
import { renderLogsHtml } from '../../src/render/logs/logs-html.js';
import { LogGenerator } from '../../bench/logs/generate-logs.mjs';

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n!!! logs-html-browser.test.ts SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium) !!!\n`);

/** A day of generated log, read and summarised as the CLI does, joined with an exposure. */
function summary(hostile = false): LogSummary {
  const now = new Date();
  const gen = new LogGenerator({ format: 'bsd', seed: 4, sources: 800, start: now.getTime() - 30 * 3_600_000, scanEvery: 300 });
  const fold = new LogFold({ scan: { ports: 15, windowMs: 60_000 } });
  const reader = new LogLineReader(fold, now);
  let n = 0;
  for (const line of gen.lines()) {
    reader.push(Buffer.from(line + '\n'));
    if (++n >= 20_000) break;
  }
  if (hostile) reader.push(Buffer.from(`Dec  1 10:00:00 h kernel: <img src=x onerror="window.__pwned=1"> IN=eth0 OUT= SRC=203.0.113.99 DST=192.0.2.1 PROTO=TCP SPT=1 DPT=2\n`));
  reader.end();
  return summarize(fold.finish(), {
    scan: { ports: 15, windowMs: 60_000 },
    now,
    toolVersion: 'test',
    inputs: [hostile ? '<script>window.__pwned=2</script>.log' : 'kern.log'],
    exposure: { host: 'web-1', ports: [{ proto: 'tcp', port: 6379, exposure: 'world', service: { name: 'redis', label: 'Redis', risk: { class: 'unauthenticated-datastore', severity: 'critical' } } }, { proto: 'tcp', port: 22, exposure: 'allowlisted', service: null }] },
  });
}

describe.skipIf(!haveChromium)('renderLogsHtml in chromium', () => {
  let dir = '';
  let ctx: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  const s = summary();

  async function open(html: string, name: string): Promise<void> {
    const file = join(dir, name);
    writeFileSync(file, html);
    await page.goto(pathToFileURL(file).href);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-logs-html-'));
    ({ ctx, page } = await launchWatched(join(dir, 'profile'), { width: 1300, height: 1000 }, requests, problems));
    await open(renderLogsHtml(s), 'logs.html');
  }, 90_000);

  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(join(dir, 'profile'), { recursive: true, force: true });
  });

  it('draws the four charts from the summary', async () => {
    const charts = await page.$$eval('figure.chart', (fs) => fs.map((f) => [f.getAttribute('data-chart'), f.querySelectorAll('rect').length]));
    expect(charts).toEqual([
      ['exposed', 2],
      ['time', s.hours!.length],
      ['ports', 20],
      ['sources', 20],
    ]);
    // Bar heights follow the numbers: the tallest hour bar is the busiest hour.
    const heights = await page.$$eval('figure[data-chart="time"] rect', (rs) => rs.map((r) => Number(r.getAttribute('height'))));
    const busiest = s.hours!.reduce((best, h, i) => (h.attempts > s.hours![best]!.attempts ? i : best), 0);
    expect(heights.indexOf(Math.max(...heights))).toBe(busiest);
    const box = await page.$eval('figure[data-chart="time"] svg', (e) => e.getBoundingClientRect().width);
    expect(box).toBeGreaterThan(500);
  });

  it('says which probed ports are exposed, and lists scanners', async () => {
    const alerts = await page.$$eval('p.alert', (ps) => ps.map((p) => p.textContent));
    expect(alerts[0]).toMatch(/^tcp\/6379 was probed [\d,]+ times from [\d,]+ sources; Redis is reachable from the world here$/);
    expect(await page.$$eval('#scanners-table tbody tr', (rs) => rs.length)).toBe(s.scanners.length);
    expect(s.scanners.length).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  it('breaks attempts down by interface and TCP flags', async () => {
    const ifaces = await page.$$eval('#interfaces-table tbody tr', (rs) => rs.map((r) => [...r.querySelectorAll('td')].map((d) => d.textContent)));
    expect(ifaces).toEqual(s.interfaces.map((i) => [i.name, i.attempts.toLocaleString('en-US'), i.sources.toLocaleString('en-US'), i.ports.toLocaleString('en-US')]));
    expect(ifaces.map((r) => r[0])).toEqual(['eth0', 'wg0']);
    // The header row names the columns; each port row's SYN cell is its share, its via cell the interfaces.
    const head = await page.$$eval('#ports-table thead th', (hs) => hs.map((x) => x.textContent));
    expect(head).toEqual(['port', 'attempts', 'sources', 'SYN', 'via', 'service', 'risk']);
    const first = await page.$$eval('#ports-table tbody tr:first-child td', (ds) => ds.map((d) => d.textContent));
    const top = s.ports[0]!;
    expect(first[3]).toBe(top.tcp ? `${Math.round((top.tcp.syn / top.attempts) * 100)}%` : '');
    expect(first[4]).toMatch(/^eth0( \d+%, wg0 \d+%)?$/);
  });

  it('never touches the network and runs no injected markup', async () => {
    await open(renderLogsHtml(summary(true)), 'hostile.html');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$('img, script')).toHaveLength(0);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await open(renderLogsHtml(s), 'logs.html');
  });

  it('renders something worth looking at (screenshot)', async () => {
    const shot = join(dir, 'logs.png');
    const png = await page.screenshot({ path: shot, fullPage: true });
    console.info(`logs HTML screenshot: ${shot}`);
    expect(png.length).toBeGreaterThan(50_000);
    const colours = await screenshotColours(page, png);
    expect(colours).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
