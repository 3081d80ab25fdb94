/** Compare a `logs --format json` summary with the generator's truth, count by count. */
import type { LogSummary } from '../../src/analyze/log-summary/types.js';

export interface Truth {
  lines: Record<string, number>;
  attempts: number;
  ports: Record<string, number>;
  portSources: Record<string, number>;
  protocols: Record<string, number>;
  sources: Record<string, number>;
  sourceCount: number;
  days: Record<string, number>;
  daySources: Record<string, number>;
  scanners: string[];
  nearMisses: string[];
  /** Per port: attempts per arrival interface. */
  portInterfaces: Record<string, Record<string, number>>;
  /** Per TCP port: attempts with SYN only. */
  portSyn: Record<string, number>;
}

/** Every disagreement, as text (empty when all counts agree). */
export function disagreements(s: LogSummary, t: Truth): string[] {
  const out: string[] = [];
  const same = (what: string, got: unknown, want: unknown) => {
    if (got !== null && want !== null && typeof got === 'object' && typeof want === 'object' && !Array.isArray(got)) {
      const g = got as Record<string, unknown>;
      const w = want as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(g), ...Object.keys(w)])].filter((k) => JSON.stringify(g[k]) !== JSON.stringify(w[k]));
      if (keys.length > 0) out.push(`${what}: ${keys.length} differ, e.g. ${keys.slice(0, 3).map((k) => `${k} got ${JSON.stringify(g[k])} want ${JSON.stringify(w[k])}`).join('; ')}`);
      return;
    }
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${what}: got ${JSON.stringify(got).slice(0, 300)}, want ${JSON.stringify(want).slice(0, 300)}`);
  };
  for (const k of ['read', 'netfilter', 'malformed', 'skipped', 'drops', 'notDrops', 'repeated']) same(`lines.${k}`, s.lines[k as keyof LogSummary['lines']], t.lines[k]);
  same('lines.read = netfilter + malformed + skipped', s.lines.read, s.lines.netfilter + s.lines.malformed + s.lines.skipped);
  same('attempts', s.attempts, t.attempts);
  same('ports', Object.fromEntries(s.ports.map((p) => [`${p.proto}/${p.port}`, [p.attempts, p.sources]])), Object.fromEntries(Object.keys(t.ports).map((k) => [k, [t.ports[k], t.portSources[k]]])));
  const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  same('ports by interface', Object.fromEntries(s.ports.map((p) => [`${p.proto}/${p.port}`, sorted(Object.fromEntries(p.interfaces.map((i) => [i.name, i.attempts])))])), Object.fromEntries(Object.entries(t.portInterfaces).map(([k, v]) => [k, sorted(v)])));
  same('tcp ports, SYN-only attempts', Object.fromEntries(s.ports.filter((p) => p.tcp).map((p) => [`${p.proto}/${p.port}`, p.tcp!.syn])), t.portSyn);
  same('protocols', Object.fromEntries(s.protocols.map((p) => [p.proto, p.attempts])), t.protocols);
  same('sources', Object.fromEntries(s.sources.map((x) => [x.address, x.attempts])), t.sources);
  same('days', Object.fromEntries(s.days.map((d) => [d.date, [d.attempts, d.sources]])), Object.fromEntries(Object.keys(t.days).map((k) => [k, [t.days[k], t.daySources[k]]])));
  same('scanners', s.scanners.map((x) => x.address).sort(), t.scanners);
  const nearMiss = new Set(t.nearMisses);
  same('near misses counted as scanners', s.scanners.filter((x) => nearMiss.has(x.address)).map((x) => x.address), []);
  return out;
}
