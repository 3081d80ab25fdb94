/**
 * Portcullis against the kernel: iptables rulesets (nft backend, as `iptables-restore`
 * loads them on Debian), loaded into a server namespace, each flow predicted by
 * `portcullis explain --flows` and probed from client namespaces.
 */
import { iptablesPair, kernelSuite } from './harness/suite.js';

kernelSuite(
  'kernel: iptables scenarios',
  [
    { name: 'no firewall (sockets only)', load: [] },
    { name: 'default-drop allowlist', load: iptablesPair('default-drop-allowlist') },
    { name: 'default-accept denylist', load: iptablesPair('default-accept-denylist') },
    { name: 'user chains: RETURN and goto', load: iptablesPair('user-chains') },
    { name: 'multiport', load: iptablesPair('multiport') },
    { name: 'conntrack state', load: iptablesPair('conntrack-state') },
    { name: 'negation of source, port, interface', load: iptablesPair('negation'), flows: { iface: true } },
    { name: 'REJECT types vs DROP', load: iptablesPair('reject-types') },
    { name: 'rules after a catch-all REJECT', load: iptablesPair('after-catch-all') },
    { name: 'IPv6 differs from IPv4', load: iptablesPair('v6-differs') },
    { name: 'NAT to local sockets: REDIRECT, DNAT', load: iptablesPair('nat-redirect') },
  ],
  ['iptables-restore', 'ip6tables-restore'],
);
