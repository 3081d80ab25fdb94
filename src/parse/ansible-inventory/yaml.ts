/**
 * Ansible's YAML inventory: top-level groups (usually `all`), each a mapping of `hosts`
 * (name → variables or empty), `vars` and `children` (name → group, recursively). Errors
 * carry the line and the path of keys.
 *
 * @module
 */
import { LineCounter, isMap, isScalar, parseDocument, type Node, type YAMLMap } from 'yaml';
import { type Diagnostic, type Parsed, excerpt } from '../../model/diagnostics.js';
import { expandHostRange } from './host-range.js';
import { type Inventory, type InventoryVars, addHost, emptyInventory, groupOf } from './types.js';

const GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

export function parseInventoryYaml(text: string, file: string): Parsed<Inventory> {
  const inv = emptyInventory();
  const diagnostics: Diagnostic[] = [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  for (const e of doc.errors) {
    diagnostics.push({ code: 'parse.inventory.yaml', severity: 'error', message: e.message.split('\n')[0]!, location: { file, line: e.linePos?.[0]?.line ?? 1 }, expected: 'YAML' });
  }
  if (diagnostics.length > 0) return { value: inv, diagnostics };
  const error = (node: Node | null | undefined, path: string, message: string, expected: string): void => {
    const offset = node?.range?.[0];
    const d: Diagnostic = { code: 'parse.inventory.yaml', severity: 'error', message, location: { file, line: offset === undefined ? 1 : lines.linePos(offset).line, path }, expected };
    if (node && isScalar(node)) d.input = excerpt(String(node.value));
    diagnostics.push(d);
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { value: inv, diagnostics };
  if (!isMap(root)) {
    error(root, '$', 'the inventory is not a mapping of groups', 'all: {hosts: …, children: …}');
    return { value: inv, diagnostics };
  }
  const walkGroup = (name: string, node: unknown, path: string): void => {
    groupOf(inv, name);
    if (node === null || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) return error(node as Node, path, `group "${name}" is not a mapping`, 'hosts, vars and children keys');
    for (const pair of (node as YAMLMap).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const at = `${path}.${key}`;
      if (!GROUP_KEYS.has(key)) {
        error(pair.key as Node, at, `"${key}" is not a group key`, 'hosts, vars or children');
        continue;
      }
      const value = pair.value as Node | null;
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) {
        error(value, at, `${key} of group "${name}" is not a mapping`, key === 'hosts' ? 'host name → variables (or nothing)' : key === 'vars' ? 'variable → value' : 'group name → group');
        continue;
      }
      if (key === 'vars') {
        const vars = varsOf(value, at, error);
        if (vars) Object.assign(groupOf(inv, name).vars, vars);
      } else if (key === 'children') {
        for (const child of value.items) {
          const childName = isScalar(child.key) ? String(child.key.value) : '';
          const g = groupOf(inv, name);
          if (!g.children.includes(childName)) g.children.push(childName);
          walkGroup(childName, child.value, `${at}.${childName}`);
        }
      } else {
        for (const host of value.items) {
          const pattern = isScalar(host.key) ? String(host.key.value) : '';
          const hostPath = `${at}["${pattern}"]`;
          const hv = host.value as Node | null;
          let vars: InventoryVars = {};
          if (hv !== null && !(isScalar(hv) && hv.value === null)) {
            if (!isMap(hv)) {
              error(hv, hostPath, `host "${pattern}" has no variable mapping`, 'variable → value, or nothing');
              continue;
            }
            vars = varsOf(hv, hostPath, error) ?? {};
          }
          const expanded = expandHostRange(pattern);
          if ('error' in expanded) {
            error(host.key as Node, hostPath, expanded.error, 'a host name, optionally with a range such as web[01:10]');
            continue;
          }
          for (const n of expanded.names) addHost(inv, name, n, vars);
        }
      }
    }
  };
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    walkGroup(name, pair.value, `$.${name}`);
  }
  return { value: inv, diagnostics };
}

/** Scalar variables as strings; nested values (lists, maps) are kept as JSON text. */
function varsOf(map: YAMLMap, path: string, error: (n: Node, p: string, m: string, e: string) => void): InventoryVars | null {
  const out: InventoryVars = {};
  for (const pair of map.items) {
    if (!isScalar(pair.key)) {
      error(pair.key as Node, path, 'a variable name is not a plain key', 'NAME: VALUE');
      return null;
    }
    const v = pair.value as Node | null;
    out[String(pair.key.value)] = v === null ? '' : isScalar(v) ? String(v.value ?? '') : JSON.stringify(v.toJSON());
  }
  return out;
}
