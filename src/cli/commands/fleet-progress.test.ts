import { describe, expect, it } from 'vitest';
import { FleetProgress } from './fleet-progress.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write: (t: string) => ((s.text += t), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('FleetProgress', () => {
  it('on a terminal, keeps a status line below the per-host lines', () => {
    const out = stream(true);
    const p = new FleetProgress(3, out);
    p.started();
    p.started();
    expect(out.text).toContain('[0/3] 2 running');
    p.line('web-1: ok\n', true);
    p.line('web-2: FAILED\n', false);
    p.end();
    expect(out.text).toContain('\r\x1b[Kweb-2: FAILED\n');
    expect(out.text).toContain('[2/3] 0 running, 1 failed');
    expect(out.text.endsWith('\r\x1b[K')).toBe(true);
  });
  it('elsewhere (a log file, a pipe), only the per-host lines', () => {
    const out = stream(false);
    const p = new FleetProgress(1, out);
    p.started();
    p.line('web-1: ok\n', true);
    p.end();
    expect(out.text).toBe('web-1: ok\n');
  });
});
