/**
 * A real collection of the machine running the tests (any user): read-only, it must give a
 * snapshot the schema accepts, with every gap explained.
 */
import { describe, expect, it } from 'vitest';
import { collectSnapshot, realHostIO, snapshotToJson } from '../../src/collect/index.js';
import { parseSnapshot } from '../../src/parse/snapshot.js';

describe('collectSnapshot(realHostIO()) on this machine', () => {
  it('is valid against schemas/snapshot.schema.json', async () => {
    const snapshot = await collectSnapshot(realHostIO());
    const parsed = parseSnapshot(snapshotToJson(snapshot), 'this-host.json');
    expect(parsed.diagnostics).toEqual([]);
    expect(snapshot.privileges.euid).toBe(process.geteuid?.());
    expect(snapshot.sockets).not.toBeNull(); // /proc/net/tcp is world-readable
    expect(snapshot.interfaces?.some((i) => i.loopback)).toBe(true);
    for (const f of snapshot.firewall) if (f.status !== 'ok') expect(f.reason).toBeTruthy();
    for (const [name, value] of Object.entries(snapshot.sysctls)) {
      if (value === null) expect(snapshot.unreadable.some((u) => u.what === `sysctl ${name}`)).toBe(true);
    }
  });
});
