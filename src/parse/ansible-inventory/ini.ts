/**
 * Ansible's INI inventory: `[group]` host lines ("web-1 ansible_host=192.0.2.11",
 * "db[01:03].example.com:2222"), `[group:vars]` key=value lines, `[group:children]` group
 * names; hosts before any section are "ungrouped". Comments start with # or ;.
 *
 * @module
 */
import { type Diagnostic, type Parsed, excerpt } from '../../model/diagnostics.js';
import { expandHostRange } from './host-range.js';
import { type Inventory, type InventoryVars, addHost, emptyInventory, groupOf } from './types.js';

type Section = { kind: 'hosts' | 'vars' | 'children'; group: string };

const NAME = /^[A-Za-z0-9_.@%+-]+$/;

export function parseInventoryIni(text: string, file: string): Parsed<Inventory> {
  const inv = emptyInventory();
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, message: string, expected: string, input: string): void => {
    diagnostics.push({ code: 'parse.inventory.ini', severity: 'error', message, location: { file, line }, expected, input: excerpt(input) });
  };
  let section: Section = { kind: 'hosts', group: 'ungrouped' };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    if (t.startsWith('[')) {
      const m = /^\[([^\]:\s]+)(?::(vars|children))?\]\s*(?:[#;].*)?$/.exec(t);
      if (!m) return error(line, 'not a section header', '[GROUP], [GROUP:vars] or [GROUP:children]', raw);
      section = { kind: (m[2] as 'vars' | 'children' | undefined) ?? 'hosts', group: m[1]! };
      if (!NAME.test(section.group)) return error(line, `"${section.group}" is not a group name`, 'letters, digits, _ . - (Ansible group name)', raw);
      groupOf(inv, section.group);
      return;
    }
    const words = splitWords(t);
    if ('error' in words) return error(line, words.error, 'words separated by spaces, values quoted with \' or "', raw);
    if (section.kind === 'vars') {
      const kv = keyValue(words.list.join(' '));
      if (!kv) return error(line, 'not a variable assignment', 'KEY=VALUE, e.g. ansible_user=admin', raw);
      groupOf(inv, section.group).vars[kv[0]] = kv[1];
      return;
    }
    if (section.kind === 'children') {
      if (words.list.length !== 1 || !NAME.test(words.list[0]!)) return error(line, 'not a group name', 'one child group name per line', raw);
      const g = groupOf(inv, section.group);
      if (!g.children.includes(words.list[0]!)) g.children.push(words.list[0]!);
      groupOf(inv, words.list[0]!);
      return;
    }
    const [pattern, ...assignments] = words.list as [string, ...string[]];
    const vars: InventoryVars = {};
    for (const a of assignments) {
      const kv = keyValue(a);
      if (!kv) return error(line, `"${a}" is not a variable assignment`, 'HOST [KEY=VALUE…], e.g. web-1 ansible_host=192.0.2.11', raw);
      vars[kv[0]] = kv[1];
    }
    const split = splitPort(pattern);
    if (split.port !== undefined) vars.ansible_port ??= split.port;
    const expanded = expandHostRange(split.host);
    if ('error' in expanded) return error(line, expanded.error, 'a host name, optionally with a range such as web[01:10]', raw);
    for (const name of expanded.names) {
      if (!NAME.test(name) && !/^[0-9A-Fa-f:.]+$/.test(name)) return error(line, `"${name}" is not a host name`, 'a host name or address', raw);
      addHost(inv, section.group, name, vars);
    }
  });
  return { value: inv, diagnostics };
}

/** Words of a line, quotes removed; a # or ; at the start of a word ends the line. */
function splitWords(line: string): { list: string[] } | { error: string } {
  const list: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  for (const ch of line) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) list.push(word);
      word = '';
      inWord = false;
    } else if (!inWord && (ch === '#' || ch === ';')) {
      break;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== null) return { error: 'unbalanced quote' };
  if (inWord) list.push(word);
  return { list };
}

function keyValue(word: string): [string, string] | null {
  const eq = word.indexOf('=');
  if (eq <= 0) return null;
  const key = word.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return null;
  return [key, word.slice(eq + 1).trim().replace(/^"([^"]*)"$|^'([^']*)'$/, (_, a: string | undefined, b: string | undefined) => a ?? b ?? '')];
}

/** "host:2222" → host and port; a bare IPv6 address (two colons or more outside ranges) has none. */
export function splitPort(pattern: string): { host: string; port?: string } {
  const outside = pattern.replace(/\[[^\]]*\]/g, '');
  const colons = (outside.match(/:/g) ?? []).length;
  const bracketV6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(pattern);
  if (bracketV6 && bracketV6[1]!.includes(':')) return bracketV6[2] ? { host: bracketV6[1]!, port: bracketV6[2] } : { host: bracketV6[1]! };
  const m = /^(.*):(\d+)$/.exec(pattern);
  if (colons === 1 && m) return { host: m[1]!, port: m[2]! };
  return { host: pattern };
}
