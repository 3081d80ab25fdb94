/**
 * Ansible inventories (INI and YAML) → the SSH targets `collect --ssh` reaches: the
 * inventory name, `ansible_host`, `ansible_user`, `ansible_port` (and their old
 * `ansible_ssh_*` spellings), after Ansible's variable merge and an optional `--limit`.
 *
 * @module
 */
import type { Diagnostic, Parsed } from '../../model/diagnostics.js';
import type { SshTarget } from '../../model/ssh-target.js';
import { parseInventoryIni } from './ini.js';
import { selectHosts } from './pattern.js';
import { groupDepths, groupsOfHosts, hostVars } from './resolve.js';
import type { Inventory } from './types.js';
import { parseInventoryYaml } from './yaml.js';

export type { Inventory, InventoryGroup, InventoryVars } from './types.js';
export { parseInventoryIni } from './ini.js';
export { parseInventoryYaml } from './yaml.js';
export { selectHosts } from './pattern.js';
export { expandHostRange } from './host-range.js';

/** YAML by extension (.yml, .yaml, .json), INI by extension (.ini, .cfg, .hosts); otherwise by the first line. */
export function inventoryFormat(text: string, file: string): 'yaml' | 'ini' {
  if (/\.(ya?ml|json)$/i.test(file)) return 'yaml';
  if (/\.(ini|cfg|hosts)$/i.test(file)) return 'ini';
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '' && !/^\s*[#;]/.test(l)) ?? '';
  return /^\s*(?:---|\{|[A-Za-z0-9_.-]+:\s*(?:#.*)?$)/.test(first) ? 'yaml' : 'ini';
}

export function parseAnsibleInventory(text: string, file: string): Parsed<Inventory> {
  return inventoryFormat(text, file) === 'yaml' ? parseInventoryYaml(text, file) : parseInventoryIni(text, file);
}

/** Connections that are not SSH: Ansible would not ssh to these hosts, and neither do we. */
const NOT_SSH = /^(?!ssh$|paramiko$|smart$|paramiko_ssh$|ansible\.builtin\.ssh$|ansible\.builtin\.paramiko_ssh$).+/;

/** The targets of an inventory, limited by an Ansible host pattern when given. */
export function inventoryTargets(inv: Inventory, file: string, limit?: string): Parsed<SshTarget[]> {
  const { depths, diagnostics } = groupDepths(inv, file);
  let names = [...inv.hosts.keys()];
  if (limit !== undefined) {
    const selected = selectHosts(inv, limit);
    diagnostics.push(...selected.diagnostics);
    names = selected.hosts;
  }
  const groups = groupsOfHosts(inv);
  const targets: SshTarget[] = [];
  for (const name of names) {
    const vars = hostVars(inv, name, groups.get(name) ?? new Set(), depths);
    const connection = vars.ansible_connection;
    if (connection !== undefined && NOT_SSH.test(connection)) {
      diagnostics.push(warning(file, `host "${name}" uses ansible_connection=${connection}, not SSH: skipped`));
      continue;
    }
    const target: SshTarget = { name, host: vars.ansible_host ?? name };
    const user = vars.ansible_user;
    if (user !== undefined && user !== '') target.user = user;
    const portText = vars.ansible_port;
    if (portText !== undefined) {
      const port = /^\d{1,5}$/.test(portText.trim()) ? Number(portText) : NaN;
      if (!(port >= 1 && port <= 65535)) {
        diagnostics.push({ code: 'parse.inventory.port', severity: 'error', message: `host "${name}": ansible_port is not a port`, location: { file }, expected: 'a port number 1-65535', input: portText });
        continue;
      }
      target.port = port;
    }
    targets.push(target);
  }
  return { value: targets, diagnostics };
}

function warning(file: string, message: string): Diagnostic {
  return { code: 'inventory.skipped', severity: 'warning', message, location: { file } };
}
