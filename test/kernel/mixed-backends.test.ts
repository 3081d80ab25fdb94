/**
 * Portcullis against the kernel: iptables-legacy, iptables-nft and native nft rules loaded
 * together. Each backend hooks input on its own; a port accepted by one and dropped by
 * another is filtered.
 */
import { kernelSuite } from './harness/suite.js';

kernelSuite(
  'kernel: mixed backends',
  [
    {
      name: 'legacy + iptables-nft + nft together',
      load: [
        { tool: 'iptables-restore', file: 'mixed-iptnft.v4.rules' },
        { tool: 'ip6tables-restore', file: 'mixed-iptnft.v6.rules' },
        { tool: 'iptables-legacy-restore', file: 'mixed-legacy.v4.rules' },
        { tool: 'ip6tables-legacy-restore', file: 'mixed-legacy.v6.rules' },
        { tool: 'nft', file: 'mixed-native.nft' },
      ],
    },
  ],
  ['iptables-restore', 'ip6tables-restore', 'iptables-legacy-restore', 'ip6tables-legacy-restore', 'nft'],
);
