import { describe, expect, it } from 'vitest';
import { renderDiffText } from '../../src/render/index.js';
import { diff } from './load.js';

describe('renderDiffText', () => {
  it('says whether it got worse, then lists what got worse before what got better', () => {
    const text = renderDiffText(diff(), { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Portcullis diff · 2026-11-14 07:40 UTC → 2026-11-21 07:40 UTC');
    expect(lines[1]).toBe('Exposure got worse.');
    const order = ['New listeners', 'Widened', 'Narrowed', 'Gone', 'New findings', 'Resolved findings'].map((h) => lines.indexOf(h));
    expect(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1]!))).toBe(true);
    expect(text).toContain('  ▲ web-1 tcp/9100 node-exporter: internal → world\n      now also from ::/0');
    expect(text).toContain('  ▼ db-2 tcp/5432 postgresql: world → internal\n      no longer from 0.0.0.0/0');
    expect(text).toMatch(/\+ CRITICAL web-1: Docker publishes/);
    expect(text).toMatch(/- CRITICAL db-2: PostgreSQL on tcp\/5432/);
  });

  it('says so when nothing changed', () => {
    const d = { ...diff(), newListeners: [], goneListeners: [], widened: [], narrowed: [], findingsAdded: [], findingsRemoved: [], worsened: false };
    expect(renderDiffText(d, { color: false })).toContain('Nothing got worse.\n\nNo change in exposure or findings.\n');
  });

  it('colours only when asked and fits the width', () => {
    expect(renderDiffText(diff(), { color: false })).not.toContain('\u001b');
    expect(renderDiffText(diff(), { color: true })).toContain('\u001b[');
    for (const width of [40, 50, 80]) {
      for (const l of renderDiffText(diff(), { color: false, width }).split('\n')) expect([...l].length, l).toBeLessThanOrEqual(width);
    }
  });
});
