/**
 * A fleet of synthetic hosts for `bench/fleet-audit.mjs` and the audit-pool test: each host
 * is a server of its own (the known daemons plus a few more listeners, 24-60 sockets), with
 * an iptables (legacy) or native nftables firewall of 50-400 rules drawn log-uniformly, as
 * fleets mix small and large rulesets. Deterministic from the seed.
 *
 * @module
 */
import { createRng } from './prng.mjs';
import { makeListeners, makeSnapshot } from './host.mjs';
import { iptablesV4, iptablesV6 } from './iptables-dump.mjs';
import { nftRuleset, toJson } from './nft-dump.mjs';

/**
 * Host number `index` of the fleet.
 * @param {number} index
 * @param {number} [seed]
 */
export function fleetHost(index, seed = 1) {
  const rng = createRng(seed * 7919 + index);
  const sockets = makeListeners(rng, rng.int(24, 60));
  const rules = Math.round(Math.exp(Math.log(50) + rng.next() * (Math.log(400) - Math.log(50))));
  const hostname = `fleet-${String(index).padStart(4, '0')}`;
  if (rng.next() < 0.6) {
    const firewall = [
      { kind: 'iptables-save', backend: 'legacy', command: ['iptables-legacy-save'], status: 'ok', content: iptablesV4(rng, rules, sockets) },
      { kind: 'ip6tables-save', backend: 'legacy', command: ['ip6tables-legacy-save'], status: 'ok', content: iptablesV6(rng, Math.max(20, Math.floor(rules / 10)), sockets) },
    ];
    return makeSnapshot({ hostname, sockets, firewall });
  }
  const tables = nftRuleset(rng, { ruleCount: rules, setElements: rng.int(10, 500), services: sockets });
  const firewall = [{ kind: 'nft-json', backend: null, command: ['nft', '-j', 'list', 'ruleset'], status: 'ok', content: JSON.stringify(toJson(tables)) }];
  return makeSnapshot({ hostname, sockets, firewall });
}
