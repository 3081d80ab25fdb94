/**
 * The real-host cases of bench/real-hosts.mjs: each builds, from a seed and a size, the
 * text the real tools load (`iptables-restore`, `ipset restore`, `nft -f`).
 *
 * @module
 */
import { kubeIptables, kubeServices } from './kube-iptables.mjs';
import { kubeNft } from './kube-nft.mjs';
import { fail2banIpset, fail2banNftSet, fail2banReject } from './fail2ban.mjs';
import { countryIptables, countryNft, dockerHost } from './country-docker.mjs';

/**
 * name → { unit: what the size counts, sizes: the sizes, build(rng, n) →
 * { iptables?, ipset?, nft?, forwarding? } }.
 */
export const REAL_CASES = {
  'kube-iptables': { unit: 'services (×3 endpoints)', sizes: [500, 5000], build: (rng, n) => ({ iptables: kubeIptables(kubeServices(rng, n)), forwarding: true }) },
  'kube-nft': { unit: 'services (×3 endpoints)', sizes: [500, 5000], build: (rng, n) => ({ nft: kubeNft(kubeServices(rng, n)), forwarding: true }) },
  'f2b-reject': { unit: 'REJECT rules in f2b-sshd', sizes: [10000, 50000], build: fail2banReject },
  'f2b-ipset': { unit: 'hash:ip entries', sizes: [50000], build: fail2banIpset },
  'f2b-nftset': { unit: 'nft set elements', sizes: [50000], build: fail2banNftSet },
  'country-nft': { unit: 'interval-set prefixes', sizes: [200000], build: countryNft },
  'country-iptables': { unit: 'DROP rules', sizes: [50000], build: countryIptables },
  docker: { unit: 'published ports', sizes: [300], build: dockerHost },
};
