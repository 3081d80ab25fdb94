/** Debian's Chromium as the HTML page tests drive it: one launch, every request and page problem recorded. */
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** No sandbox (root in CI), and nothing that would phone home on its own. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * A page in a fresh profile; every URL it requests goes to `requests`, every script error and
 * console error or warning to `problems` (a CSP violation, e.g. a hash that does not match,
 * shows up as a console error).
 */
export async function launchWatched(profile: string, viewport: { width: number; height: number }, requests: string[], problems: string[]): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport });
  const page = await ctx.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  return { ctx, page };
}
