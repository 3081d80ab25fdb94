/**
 * Dumps whose answer the kernel already gives for free (issue 8): each costs a process, and
 * asking can change the host. `iptables-legacy-save` lists the tables named in
 * /proc/net/ip_tables_names and prints nothing when that file is absent or empty (iptables'
 * iptables-save.c, `for_each_table`); `ipset save` talks to the ip_set module, which the
 * kernel loads on request (a read-only audit must not load modules), and without it no set exists.
 * `<tool>-nft-save` prints the tables of its family that bear an xtables name (filter, nat,
 * mangle, raw, security) and nothing when nft lists none (iptables 1.8.9;
 * test/kernel/needless-dumps.test.ts).
 * Each check answers the reason the dump was not run, or null: run it (anything unsure runs it).
 *
 * @module
 */
import { XTABLES } from '../parse/iptables-save/xtables-tables.js';
import { type HostIO, errnoOf } from './host-io.js';
import type { NftTable } from './nft-listing.js';

/** Why `<tool>-legacy-save` need not run, or null. */
export async function noLegacyTables(io: HostIO, tool: 'iptables' | 'ip6tables'): Promise<string | null> {
  const path = tool === 'iptables' ? '/proc/net/ip_tables_names' : '/proc/net/ip6_tables_names';
  let names: string;
  try {
    names = await io.readFile(path);
  } catch (err) {
    // Not readable as this user: the tool is refused too, and says so.
    return errnoOf(err) === 'ENOENT' ? `not run: no legacy ${tool} table exists (${path} is absent)` : null;
  }
  return names.trim() === '' ? `not run: no legacy ${tool} table exists (${path} is empty)` : null;
}

/**
 * Why `ipset save` need not run, or null. Not loaded means: not in /proc/modules, and not in
 * /sys/module, which also names a built-in module with parameters (ip_set has `max_sets`), nor
 * in the kernel's modules.builtin when that is readable.
 */
export async function noIpsetModule(io: HostIO): Promise<string | null> {
  try {
    if (/^ip_set /m.test(await io.readFile('/proc/modules'))) return null;
    if ((await io.readdir('/sys/module')).includes('ip_set')) return null;
  } catch {
    return null;
  }
  const release = io.kernelRelease();
  if (release === null) return null;
  try {
    if (/(^|\/)ip_set\.ko$/m.test(await io.readFile(`/lib/modules/${release}/modules.builtin`))) return null;
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') return null;
  }
  return 'not run: the ip_set module is not loaded (not in /proc/modules nor /sys/module), so no set exists';
}

/**
 * Why `<tool>-nft-save` need not run, given nft's table list (null: unread, so run it): no
 * table of its family bears an xtables name. Read from the list collect asks for anyway (issue
 * 8: two tool starts fewer on a plain nftables host).
 */
export function noXtablesTables(tables: readonly NftTable[] | null, tool: 'iptables' | 'ip6tables'): string | null {
  if (tables === null) return null;
  const family = tool === 'iptables' ? 'ip' : 'ip6';
  if (tables.some((t) => t.family === family && XTABLES.has(t.name))) return null;
  return `not run: nft lists no ${family} table named ${[...XTABLES].join(', ')} (the tables ${tool}-nft-save prints)`;
}
