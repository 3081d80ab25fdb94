/**
 * A Kubernetes node's kube-proxy ruleset in nftables mode, as kube-proxy 1.31+ writes it
 * (pkg/proxy/nftables/proxier.go): one `table ip kube-proxy` whose `services` chain
 * dispatches through verdict maps keyed by `ip daddr . meta l4proto . th dport`
 * (`service-ips`) and `meta l4proto . th dport` (`service-nodeports`), a chain per service
 * that marks off-cluster sources for masquerade and picks an endpoint with
 * `numgen random mod N vmap`, and a chain per endpoint that DNATs to the pod.
 *
 * @module
 */
import { kubeHash } from './save-text.mjs';

const POD_CIDR = '10.244.0.0/16';

/** `nft -f` text for the services of {@link kubeServices}. */
export function kubeNft(services) {
  const chains = [];
  const serviceIps = [];
  const nodePorts = [];
  const noEndpoints = [];
  for (const s of services) {
    const tag = `${s.id.replace(':', '/').replace(/\/([^/]*)$/, `/${s.proto}/$1`)}`;
    const svc = `service-${kubeHash(s.id).slice(0, 8)}-${tag}`;
    if (s.endpoints.length === 0) {
      noEndpoints.push(`${s.clusterIp} . ${s.proto} . ${s.port} : goto reject-chain`);
      continue;
    }
    const eps = s.endpoints.map((e) => ({ ...e, chain: `endpoint-${kubeHash(`${s.id}${e.ip}`).slice(0, 8)}-${tag}__${e.ip}/${e.port}` }));
    chains.push(`\tchain ${svc} {`,
      `\t\tip daddr ${s.clusterIp} ${s.proto} dport ${s.port} ip saddr != ${POD_CIDR} jump mark-for-masquerade`,
      `\t\tnumgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${e.chain}`).join(', ')} }`,
      '\t}');
    for (const e of eps) {
      chains.push(`\tchain ${e.chain} {`, `\t\tip saddr ${e.ip} jump mark-for-masquerade`, `\t\tmeta l4proto ${s.proto} dnat to ${e.ip}:${e.port}`, '\t}');
    }
    serviceIps.push(`${s.clusterIp} . ${s.proto} . ${s.port} : goto ${svc}`);
    if (s.nodePort !== null) {
      const ext = `external-${kubeHash(s.id).slice(0, 8)}-${tag}`;
      chains.push(`\tchain ${ext} {`, '\t\tjump mark-for-masquerade', `\t\tgoto ${svc}`, '\t}');
      nodePorts.push(`${s.proto} . ${s.nodePort} : goto ${ext}`);
    }
  }
  const elements = (list) => (list.length > 0 ? [`\t\telements = { ${list.join(',\n\t\t\t     ')} }`] : []);
  return [
    'table ip kube-proxy {',
    '\tcomment "rules for kube-proxy"',
    '\tset cluster-ips {', '\t\ttype ipv4_addr', '\t\tcomment "Active ClusterIPs"', ...elements(services.filter((s) => s.endpoints.length > 0).map((s) => s.clusterIp)), '\t}',
    '\tset nodeport-ips {', '\t\ttype ipv4_addr', '\t\tcomment "IPs that accept NodePort traffic"', '\t\telements = { 192.0.2.10 }', '\t}',
    '\tmap no-endpoint-services {', '\t\ttype ipv4_addr . inet_proto . inet_service : verdict', '\t\tcomment "vmap to drop or reject packets to services with no endpoints"', ...elements(noEndpoints), '\t}',
    '\tmap service-ips {', '\t\ttype ipv4_addr . inet_proto . inet_service : verdict', '\t\tcomment "ClusterIP, ExternalIP and LoadBalancer IP traffic"', ...elements(serviceIps), '\t}',
    '\tmap service-nodeports {', '\t\ttype inet_proto . inet_service : verdict', '\t\tcomment "NodePort traffic"', ...elements(nodePorts), '\t}',
    '\tchain filter-input {', '\t\ttype filter hook input priority -110; policy accept;', '\t\tct state new jump service-endpoints-check', '\t}',
    '\tchain filter-forward {', '\t\ttype filter hook forward priority -110; policy accept;', '\t\tct state new jump service-endpoints-check', '\t\tct state new ip daddr 10.96.0.0/12 ip daddr != @cluster-ips reject', '\t}',
    '\tchain filter-output {', '\t\ttype filter hook output priority -110; policy accept;', '\t\tct state new jump service-endpoints-check', '\t}',
    '\tchain nat-prerouting {', '\t\ttype nat hook prerouting priority dstnat; policy accept;', '\t\tjump services', '\t}',
    '\tchain nat-output {', '\t\ttype nat hook output priority -100; policy accept;', '\t\tjump services', '\t}',
    '\tchain nat-postrouting {', '\t\ttype nat hook postrouting priority srcnat; policy accept;', '\t\tjump masquerading', '\t}',
    '\tchain mark-for-masquerade {', '\t\tmeta mark set meta mark or 0x4000', '\t}',
    '\tchain masquerading {', '\t\tmeta mark & 0x4000 == 0 return', '\t\tmeta mark set meta mark xor 0x4000', '\t\tmasquerade fully-random', '\t}',
    '\tchain reject-chain {', '\t\treject', '\t}',
    '\tchain service-endpoints-check {', '\t\tip daddr . meta l4proto . th dport vmap @no-endpoint-services', '\t}',
    '\tchain services {', '\t\tip daddr . meta l4proto . th dport vmap @service-ips', '\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports', '\t}',
    ...chains,
    '}',
    '',
  ].join('\n');
}
