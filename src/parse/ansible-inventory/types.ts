/**
 * An Ansible inventory as plain data: groups with their hosts, child groups and variables,
 * and the variables set on each host line. Both formats (INI, YAML) parse to this.
 *
 * @module
 */

export type InventoryVars = Record<string, string>;

export interface InventoryGroup {
  name: string;
  /** Host names listed directly in the group, in file order. */
  hosts: string[];
  children: string[];
  vars: InventoryVars;
}

export interface Inventory {
  /** Every host name, in first-seen order, with the variables set on its own lines. */
  hosts: Map<string, InventoryVars>;
  /** Every group, "all" and "ungrouped" included. */
  groups: Map<string, InventoryGroup>;
}

/** A group, created on first mention. */
export function groupOf(inv: Inventory, name: string): InventoryGroup {
  let g = inv.groups.get(name);
  if (!g) {
    g = { name, hosts: [], children: [], vars: {} };
    inv.groups.set(name, g);
  }
  return g;
}

/** A host listed in a group; its variables merge with earlier mentions (later lines win). */
export function addHost(inv: Inventory, group: string, host: string, vars: InventoryVars): void {
  inv.hosts.set(host, { ...(inv.hosts.get(host) ?? {}), ...vars });
  const g = groupOf(inv, group);
  if (!g.hosts.includes(host)) g.hosts.push(host);
}

export function emptyInventory(): Inventory {
  const inv: Inventory = { hosts: new Map(), groups: new Map() };
  groupOf(inv, 'all');
  groupOf(inv, 'ungrouped');
  return inv;
}
