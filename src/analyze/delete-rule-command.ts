/**
 * The command that deletes one iptables rule the engine read, from its saved text
 * (`-A INPUT -p tcp … -j ACCEPT` → `iptables-nft -t filter -D INPUT -p tcp … -j ACCEPT`), in
 * the backend it lives in. Null for nftables rules: their handle is not in a RuleRef.
 *
 * @module
 */
import type { RuleRef } from './types.js';

export function deleteRuleCommand(rule: RuleRef): string | null {
  if (rule.backend === 'nftables' || !rule.text.startsWith('-A ')) return null;
  const tool = `${rule.family === 'ipv6' ? 'ip6tables' : 'iptables'}-${rule.backend === 'iptables-legacy' ? 'legacy' : 'nft'}`;
  return `${tool} -t ${rule.table} -D ${rule.text.slice(3)}`;
}
