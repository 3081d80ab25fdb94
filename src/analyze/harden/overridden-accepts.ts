/**
 * Accept rules left in other backends that the new rules override: a packet passes every
 * backend, so where harden's rules drop what an old iptables ruleset still accepts, that
 * accept never takes effect any more. Harden never touches other backends; it names these
 * leftovers (audit reports them as backend-conflict) with the command that deletes each.
 * Only accepts that let nothing in anywhere are named: deleting one changes nothing.
 *
 * @module
 */
import { FAMILIES } from '../../model/addr.js';
import { deleteRuleCommand } from '../delete-rule-command.js';
import type { HostAnalysis, RuleRef } from '../types.js';

export interface OverriddenAccept {
  rule: RuleRef;
  /** The services ("6379/tcp") whose packets it accepts and the new rules drop. */
  services: string[];
  /** Null when the rule's backend has no one-line delete (nftables: by handle). */
  remove: string | null;
}

/** `ours` tells the new rules apart from those that stay (e.g. table inet portcullis). */
export function overriddenAccepts(after: HostAnalysis, ours: (rule: RuleRef) => boolean): OverriddenAccept[] {
  const byRule = new Map<string, OverriddenAccept>();
  // Rules that also accept for a service something still reaches: deleting them could matter.
  const effective = new Set<string>();
  for (const svc of after.services) {
    for (const family of FAMILIES) {
      const ds = svc.decisions.filter((d) => d.rule.family === family);
      const oursDrop = ds.some((d) => d.verdict !== 'accept' && ours(d.rule));
      const reached = svc.sources[family].length > 0;
      const ourBackends = new Set(ds.filter((d) => ours(d.rule)).map((d) => d.rule.backend));
      for (const d of ds) {
        // A chain policy is no leftover rule: the packets it accepts are those no rule decided.
        if (d.verdict !== 'accept' || d.rule.position === null || ours(d.rule)) continue;
        const key = `${d.rule.backend} ${family} ${d.rule.table} ${d.rule.chain} ${d.rule.text}`;
        if (!oursDrop || reached || ourBackends.has(d.rule.backend)) {
          effective.add(key);
          continue;
        }
        const entry = byRule.get(key) ?? { rule: d.rule, services: [], remove: deleteRuleCommand(d.rule) };
        const name = `${svc.port}/${svc.proto}`;
        if (!entry.services.includes(name)) entry.services.push(name);
        byRule.set(key, entry);
      }
    }
  }
  return [...byRule.entries()].filter(([key]) => !effective.has(key)).map(([, o]) => o);
}
