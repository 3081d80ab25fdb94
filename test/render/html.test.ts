import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderAuditHtml, renderAuditHtmlChunks, renderAuditHtmlEach } from '../../src/render/index.js';
import { hostileReport, manyServices, report, watchFirstRead } from './load.js';

describe('renderAuditHtml (markup)', () => {
  const html = renderAuditHtml(report());

  it('is one self-contained file: one inline style, one inline script, nothing fetched', () => {
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(|@font-face/i);
  });

  it('locks the page down with a CSP whose hashes match the inline style and script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    const sha = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`script-src ${sha(script)}`);
    expect(csp).toContain(`style-src ${sha(style)}`);
  });

  it('escapes attacker-influenced text everywhere', () => {
    const evil = renderAuditHtml(hostileReport());
    expect(evil.match(/<script/g)).toHaveLength(1);
    expect(evil).not.toMatch(/<img|<svg|<\/code><\/pre><script/);
    expect(evil).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;');
    expect(evil).toContain('data-host="web&quot;&gt;&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;"');
    // The ESC of the fixture's comment is shown, not embedded.
    expect(html).not.toContain('\u001b');
    expect(html).toContain('\\x1b[2J');
  });

  it('shows each host, each service with its packet path, and the findings', () => {
    expect(html.match(/<section class="host"/g)).toHaveLength(2);
    expect(html.match(/<article class="service/g)).toHaveLength(13);
    expect(html).toContain('nat PREROUTING <b>DNAT</b>');
    expect(html).toContain('filter INPUT');
    expect(html).toContain('filter FORWARD');
    expect(html).toContain('socket tcp 0.0.0.0:6379');
    expect(html).toContain('forwarded to 172.17.0.2:80');
  });
});

describe('renderAuditHtmlChunks', () => {
  it('gives the same page in chunks joined a few rows at a time, none near the size of a page of 2,600 services', () => {
    const base = report();
    const many = { ...base, hosts: base.hosts.map((x) => ({ ...x, services: Array.from({ length: 200 }, () => x.services).flat() })) };
    const page = renderAuditHtml(many);
    const chunks = renderAuditHtmlChunks(many);
    expect(chunks.join('')).toBe(page);
    expect(page.length).toBeGreaterThan(2_000_000);
    // About 64 K characters each, plus at most the part that crossed the line (a card, a row).
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(80_000);
    expect(chunks.length).toBeGreaterThan(page.length / 80_000);
  });
});

describe('renderAuditHtmlEach', () => {
  it('hands the same chunks over one by one while the page is still being made', () => {
    const many = manyServices(report(), 200);
    const chunks = renderAuditHtmlChunks(many);
    const emitted: string[] = [];
    // The first host's status is read at the end of its section: by then its cards are out.
    let emittedBeforeStatus = -1;
    const watched = { ...many, hosts: many.hosts.map((x, i) => (i === 0 ? watchFirstRead(x, 'sourceStatus', () => (emittedBeforeStatus = emitted.length)) : x)) };
    renderAuditHtmlEach(watched, (chunk) => emitted.push(chunk));
    expect(emitted).toEqual(chunks);
    expect(emittedBeforeStatus).toBeGreaterThan(0);
  });
});
