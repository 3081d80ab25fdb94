/**
 * Portcullis against the kernel: native nftables rulesets (`nft -f`): several base chains
 * on one hook, an inet table with named sets and verdict maps, a firewalld zone ruleset.
 */
import { kernelSuite } from './harness/suite.js';

kernelSuite(
  'kernel: native nftables',
  [
    { name: 'nft: base chains at several priorities', load: [{ tool: 'nft', file: 'nft-multichain.nft' }] },
    { name: 'nft: inet table, sets, vmaps', load: [{ tool: 'nft', file: 'nft-inet-sets-vmap.nft' }], flows: { iface: true } },
    { name: 'nft: firewalld zones', load: [{ tool: 'nft', file: 'firewalld-zones.nft' }], flows: { iface: true } },
  ],
  ['nft'],
);
