/**
 * A fleet of generated hosts for the store benchmark: each host its own listeners (the usual
 * daemons plus up to 15 more sockets) and firewall (iptables-legacy with 40 to 150 IPv4 rules
 * and a tenth as many IPv6 ones, or nftables with 40 to 150 rules and a 5 to 50 element
 * blocklist set), collected at different times over a month. Deterministic by seed.
 *
 * @module
 */
import { createRng } from './prng.mjs';
import { makeListeners, makeSnapshot } from './host.mjs';
import { iptablesV4, iptablesV6 } from './iptables-dump.mjs';
import { nftRuleset, toJson } from './nft-dump.mjs';

const MONTH_START = Date.UTC(2026, 10, 1);

/** Host `i` of the fleet: { name, snapshot }. */
export function fleetHost(i, seed = 1) {
  const rng = createRng(seed * 7919 + i);
  const name = `fleet-${String(i).padStart(4, '0')}`;
  const sockets = makeListeners(rng, 17 + rng.int(0, 15));
  const rules = rng.int(40, 150);
  let firewall;
  if (rng.next() < 0.6) {
    firewall = [
      { kind: 'iptables-save', backend: 'legacy', command: ['iptables-legacy-save'], status: 'ok', content: iptablesV4(rng, rules, sockets) },
      { kind: 'ip6tables-save', backend: 'legacy', command: ['ip6tables-legacy-save'], status: 'ok', content: iptablesV6(rng, Math.max(20, Math.floor(rules / 10)), sockets) },
    ];
  } else {
    const tables = nftRuleset(rng, { ruleCount: rules, setElements: rng.int(5, 50), services: sockets });
    firewall = [{ kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: JSON.stringify(toJson(tables)) }];
  }
  const snapshot = makeSnapshot({ hostname: name, sockets, firewall });
  snapshot.collectedAt = new Date(MONTH_START + rng.int(0, 30 * 86_400) * 1000).toISOString();
  return { name, snapshot };
}
