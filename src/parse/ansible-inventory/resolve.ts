/**
 * Hosts of groups, and each host's variables as Ansible merges them: `all` first, then the
 * groups that hold the host from the outermost to the innermost (a child group's vars win
 * over its parent's; at equal depth, by group name), then the host's own line.
 *
 * @module
 */
import type { Diagnostic } from '../../model/diagnostics.js';
import type { Inventory, InventoryVars } from './types.js';
import { nameTable } from '../../model/name-table.js';
import { addToList } from '../../model/list-map.js';

/** Depth of each group below `all` (1 for top-level groups); a cycle of children is reported. */
export function groupDepths(inv: Inventory, file: string): { depths: Map<string, number>; diagnostics: Diagnostic[] } {
  const depths = new Map<string, number>([['all', 0]]);
  const diagnostics: Diagnostic[] = [];
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) for (const c of g.children) addToList(parents, c, g.name);
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) {
      diagnostics.push({ code: 'parse.inventory.cycle', severity: 'error', message: `group "${name}" is its own ancestor (children form a cycle)`, location: { file }, expected: 'children that form a tree' });
      return 1;
    }
    visiting.add(name);
    const ps = (parents.get(name) ?? []).filter((p) => p !== 'all');
    const d = ps.length === 0 ? 1 : 1 + Math.max(...ps.map(depthOf));
    visiting.delete(name);
    depths.set(name, d);
    return d;
  };
  for (const name of inv.groups.keys()) depthOf(name);
  return { depths, diagnostics };
}

/** Every host of a group, its children's included, in first-seen order. `all` holds every host. */
export function hostsOfGroup(inv: Inventory, name: string): string[] {
  if (name === 'all') return [...inv.hosts.keys()];
  // As in Ansible, "ungrouped" is every host in no other group (listed under all.hosts in YAML, or before any section in INI).
  if (name === 'ungrouped') {
    const grouped = new Set([...inv.groups.values()].filter((g) => g.name !== 'all' && g.name !== 'ungrouped').flatMap((g) => g.hosts));
    return [...inv.hosts.keys()].filter((h) => !grouped.has(h));
  }
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (g: string): void => {
    if (seen.has(g)) return;
    seen.add(g);
    const group = inv.groups.get(g);
    if (!group) return;
    for (const h of group.hosts) out.add(h);
    for (const c of group.children) walk(c);
  };
  walk(name);
  return [...out];
}

/** The groups that hold each host (directly or through children), `all` left out. */
export function groupsOfHosts(inv: Inventory): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const name of inv.groups.keys()) {
    if (name === 'all') continue;
    for (const h of hostsOfGroup(inv, name)) {
      if (!out.has(h)) out.set(h, new Set());
      out.get(h)!.add(name);
    }
  }
  return out;
}

/** Old spellings Ansible still reads as the connection variables. */
const ALIASES: Record<string, string> = nameTable({ ansible_ssh_host: 'ansible_host', ansible_ssh_user: 'ansible_user', ansible_ssh_port: 'ansible_port' });

/** One layer's variables with the old spellings folded in (the new one wins within a layer). */
function normalized(vars: InventoryVars | undefined): InventoryVars {
  const out: InventoryVars = {};
  for (const [k, v] of Object.entries(vars ?? {})) if (ALIASES[k] !== undefined) out[ALIASES[k]!] = v;
  for (const [k, v] of Object.entries(vars ?? {})) if (ALIASES[k] === undefined) out[k] = v;
  return out;
}

/** A host's variables after Ansible's merge order; ansible_ssh_* are read as ansible_*. */
export function hostVars(inv: Inventory, host: string, groups: ReadonlySet<string>, depths: ReadonlyMap<string, number>): InventoryVars {
  const ordered = [...groups].sort((a, b) => (depths.get(a) ?? 1) - (depths.get(b) ?? 1) || a.localeCompare(b));
  const vars: InventoryVars = normalized(inv.groups.get('all')?.vars);
  for (const g of ordered) Object.assign(vars, normalized(inv.groups.get(g)?.vars));
  return Object.assign(vars, normalized(inv.hosts.get(host)));
}
