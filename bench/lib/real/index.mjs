/**
 * The real-host cases of bench/real-hosts.mjs: each builds, from a seed and a size, the
 * text the real tools load (`iptables-restore`, `ipset restore`, `nft -f`).
 *
 * @module
 */
import { kubeIptables, kubeServices } from './kube-iptables.mjs';
import { kubeNft } from './kube-nft.mjs';
import { fail2banIpset, fail2banNftSet, fail2banReject } from './fail2ban.mjs';
import { countryIpset, countryIptables, countryIptablesLogged, countryIptablesOrphan, countryNft, countryNft6, dockerHost } from './country-docker.mjs';
import { crowdsecNft } from './crowdsec.mjs';

/**
 * name → { unit: what the size counts, sizes: the table's sizes and its 100,000-rule /
 * 200,000-entry scale (kube-proxy at 10,000 services is ~113,000 iptables rules), build(rng, n) →
 * { iptables?, ipset?, nft?, forwarding? } }.
 */
export const REAL_CASES = {
  'kube-iptables': { unit: 'services (×3 endpoints)', sizes: [500, 5000, 10000], build: (rng, n) => ({ iptables: kubeIptables(kubeServices(rng, n)), forwarding: true }) },
  'kube-nft': { unit: 'services (×3 endpoints)', sizes: [500, 5000, 10000], build: (rng, n) => ({ nft: kubeNft(kubeServices(rng, n)), forwarding: true }) },
  'f2b-reject': { unit: 'REJECT rules in f2b-sshd', sizes: [10000, 50000, 100000], build: fail2banReject },
  'f2b-ipset': { unit: 'hash:ip entries', sizes: [50000, 200000], build: fail2banIpset },
  'f2b-nftset': { unit: 'nft set elements', sizes: [50000, 200000], build: fail2banNftSet },
  'country-nft': { unit: 'interval-set prefixes', sizes: [200000], build: countryNft },
  'country-nft6': { unit: 'IPv6 interval-set prefixes', sizes: [200000], build: countryNft6 },
  'country-iptables': { unit: 'DROP rules', sizes: [50000, 100000], build: countryIptables },
  'country-logged': { unit: 'prefixes, each a LOG and a DROP rule', sizes: [50000], build: countryIptablesLogged },
  'country-orphan': { unit: 'DROP rules in a chain nothing jumps to', sizes: [100000], build: countryIptablesOrphan },
  'country-ipset': { unit: 'hash:net prefixes', sizes: [200000], build: countryIpset },
  'crowdsec-nft': { unit: 'nft set elements with timeouts (+5 % IPv6)', sizes: [200000], build: crowdsecNft },
  docker: { unit: 'published ports', sizes: [300], build: dockerHost },
};
