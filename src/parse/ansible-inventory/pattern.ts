/**
 * `--limit PATTERN`, as Ansible reads host patterns: terms separated by "," (or ":"), each a
 * group name, a host name, a glob over both (`web*`, `db-[ab]?`) or `~REGEX`; `&TERM`
 * intersects, `!TERM` excludes; `all` and `*` are every host.
 *
 * @module
 */
import type { Diagnostic } from '../../model/diagnostics.js';
import { hostsOfGroup } from './resolve.js';
import type { Inventory } from './types.js';

/** fnmatch as Ansible uses it: * ? [seq] [!seq]. */
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, close);
        re += body.startsWith('!') ? `[^${body.slice(1).replace(/[\\\]^]/g, '\\$&')}]` : `[${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function termHosts(inv: Inventory, term: string): string[] | { error: string } {
  if (term === 'all' || term === '*') return [...inv.hosts.keys()];
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(term.slice(1));
    } catch {
      return { error: `"${term.slice(1)}" is not a regular expression` };
    }
    const groups = [...inv.groups.keys()].filter((g) => re.test(g));
    return [...new Set([...groups.flatMap((g) => hostsOfGroup(inv, g)), ...[...inv.hosts.keys()].filter((h) => re.test(h))])];
  }
  if (inv.groups.has(term)) return hostsOfGroup(inv, term);
  if (inv.hosts.has(term)) return [term];
  const re = globRegExp(term);
  const groups = [...inv.groups.keys()].filter((g) => re.test(g));
  return [...new Set([...groups.flatMap((g) => hostsOfGroup(inv, g)), ...[...inv.hosts.keys()].filter((h) => re.test(h))])];
}

/** The hosts a pattern selects, in inventory order; a term that matches nothing is a warning. */
export function selectHosts(inv: Inventory, pattern: string): { hosts: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const terms = (pattern.includes(',') ? pattern.split(',') : pattern.split(':')).map((t) => t.trim()).filter((t) => t !== '');
  let union = new Set<string>();
  const intersections: Set<string>[] = [];
  const exclusions = new Set<string>();
  for (const raw of terms) {
    const op = raw[0] === '&' || raw[0] === '!' ? raw[0] : '';
    const term = raw.slice(op.length);
    const found = termHosts(inv, term);
    if (!Array.isArray(found)) {
      diagnostics.push({ code: 'parse.limit', severity: 'error', message: found.error, location: { file: '--limit' }, expected: 'a group, host, glob or ~regex', input: raw });
      continue;
    }
    if (found.length === 0) diagnostics.push({ code: 'parse.limit.nothing', severity: 'warning', message: `"${raw}" matches no group or host`, location: { file: '--limit' } });
    if (op === '&') intersections.push(new Set(found));
    else if (op === '!') for (const h of found) exclusions.add(h);
    else for (const h of found) union.add(h);
  }
  // Only exclusions or intersections: they apply to every host, as in Ansible.
  if (terms.every((t) => t[0] === '&' || t[0] === '!')) union = new Set(inv.hosts.keys());
  const hosts = [...inv.hosts.keys()].filter((h) => union.has(h) && !exclusions.has(h) && intersections.every((s) => s.has(h)));
  return { hosts, diagnostics };
}
