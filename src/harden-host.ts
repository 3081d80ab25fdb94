/**
 * The host as it will be after `harden`'s files are loaded: the snapshot with the new rules
 * (as the kernel dumped them from a scratch namespace) in place of the old ones. nft: the
 * table `inet portcullis` is replaced and every other table stays. iptables: the filter
 * table of the backend `iptables-restore` uses is replaced (iptables-restore replaces the
 * whole table: Docker's filter chains of that backend go too, as they would on the host);
 * nat, mangle, raw and the other backend stay.
 *
 * @module
 */
import type { FirewallSource, Snapshot } from './model/snapshot.js';

/** The table harden's nft file replaces. */
export const PORTCULLIS = { family: 'inet', name: 'portcullis' };

function isPortcullisObject(entry: unknown): boolean {
  if (entry === null || typeof entry !== 'object') return false;
  const [kind, body] = Object.entries(entry as Record<string, unknown>)[0] ?? [];
  if (kind === undefined || body === null || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  if (kind === 'table') return b['family'] === PORTCULLIS.family && b['name'] === PORTCULLIS.name;
  return b['family'] === PORTCULLIS.family && b['table'] === PORTCULLIS.name;
}

function entriesOf(json: string): unknown[] | null {
  try {
    const doc = JSON.parse(json) as { nftables?: unknown };
    return Array.isArray(doc.nftables) ? doc.nftables : null;
  } catch {
    return null;
  }
}

/** `current` (an `nft -j list ruleset` dump) without inet portcullis, plus `scratch`'s tables. */
export function replaceNftTable(current: string | undefined, scratch: string): string {
  const fresh = (entriesOf(scratch) ?? []).filter((e) => !(e !== null && typeof e === 'object' && 'metainfo' in e));
  const old = current === undefined ? null : entriesOf(current);
  if (old === null) return JSON.stringify({ nftables: [...(entriesOf(scratch) ?? []).filter((e) => e !== null && typeof e === 'object' && 'metainfo' in e), ...fresh] });
  return JSON.stringify({ nftables: [...old.filter((e) => !isPortcullisObject(e)), ...fresh] });
}

/** The `*filter … COMMIT` block of an iptables-save dump, or null. */
function filterBlock(text: string): string | null {
  const m = /^\*filter\n[\s\S]*?^COMMIT\n?/m.exec(text);
  return m ? m[0] : null;
}

/** `current` with its filter table replaced by `scratch`'s (both iptables-save output). */
export function replaceFilterTable(current: string, scratch: string): string {
  const fresh = filterBlock(scratch) ?? '';
  const old = filterBlock(current);
  if (old !== null) return current.replace(old, fresh.endsWith('\n') ? fresh : `${fresh}\n`);
  return `${current}${current.endsWith('\n') || current === '' ? '' : '\n'}${fresh}`;
}

/** An nft dump without inet portcullis; a dump that does not parse stays as it is (it reads as failed). */
function withoutPortcullis(current: string): string {
  const old = entriesOf(current);
  return old === null || !old.some(isPortcullisObject) ? current : JSON.stringify({ nftables: old.filter((e) => !isPortcullisObject(e)) });
}

function backendOfDump(text: string): FirewallSource['backend'] {
  return /\(legacy\)/.test(text.slice(0, 300)) ? 'legacy' : 'nft';
}

export interface ScratchDumps {
  nftJson?: string;
  iptablesSave?: string;
  ip6tablesSave?: string;
}

/** The snapshot with the scratch namespace's rules in place of what they replace. */
export function hostAfter(snapshot: Snapshot, dumps: ScratchDumps): Snapshot {
  const firewall = snapshot.firewall.map((s) => ({ ...s }));
  const nftJson = dumps.nftJson;
  if (nftJson !== undefined) {
    // A snapshot may list its nft tables one by one (collect leaves iptables-nft's out): the
    // old table goes from whichever dump holds it, the new one joins the first.
    const sources = firewall.filter((s) => s.kind === 'nft-json' && s.status === 'ok');
    sources.forEach((source, i) => (source.content = i === 0 ? replaceNftTable(source.content, nftJson) : withoutPortcullis(source.content ?? '')));
    if (sources.length === 0) firewall.unshift({ kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: nftJson });
  }
  for (const [kind, text] of [
    ['iptables-save', dumps.iptablesSave],
    ['ip6tables-save', dumps.ip6tablesSave],
  ] as const) {
    if (text === undefined) continue;
    const backend = backendOfDump(text);
    const source = firewall.find((s) => s.kind === kind && s.status === 'ok' && (s.backend ?? backendOfDump(s.content ?? '')) === backend);
    if (source) source.content = replaceFilterTable(source.content ?? '', text);
    else firewall.push({ kind, backend, command: [`${kind.replace('-save', '')}-${backend}-save`], status: 'ok', content: text });
  }
  return { ...snapshot, firewall };
}
