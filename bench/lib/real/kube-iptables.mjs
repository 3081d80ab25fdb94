/**
 * A Kubernetes node's kube-proxy ruleset in iptables mode, as kube-proxy 1.28+ writes it
 * (pkg/proxy/iptables/proxier.go): `nat` with KUBE-SERVICES → KUBE-SVC-<hash> (a
 * KUBE-MARK-MASQ rule for off-cluster sources, then one rule per endpoint picked with
 * `-m statistic --mode random --probability 1/k`) → KUBE-SEP-<hash> (hairpin masquerade
 * mark, DNAT to the pod), KUBE-NODEPORTS → KUBE-EXT-<hash> for NodePort services, and
 * KUBE-POSTROUTING's masquerade by mark; `filter` with KUBE-FIREWALL, KUBE-FORWARD,
 * KUBE-SERVICES (REJECT for services without endpoints), and `-m comment` on every
 * service rule. Text as iptables-save prints it back.
 *
 * @module
 */
import { v4ToString } from '../addresses.mjs';
import { kubeHash, restoreText, savedProbability, tableText } from './save-text.mjs';

const POD_CIDR = '10.244.0.0/16';
const CLUSTER_IP_BASE = 0x0a600000; // 10.96.0.0/12
const POD_BASE = 0x0af40000; // 10.244.0.0/16

const NAMES = ['api', 'web', 'cache', 'db', 'auth', 'search', 'queue', 'metrics', 'billing', 'mail'];
const PORTS = [['http', 80, 8080], ['https', 443, 8443], ['grpc', 9090, 9090], ['redis', 6379, 6379], ['postgres', 5432, 5432], ['dns', 53, 53]];

/** The services of a cluster: name, cluster IP, port, protocol, endpoints, NodePort. */
export function kubeServices(rng, count, endpointsPer = 3) {
  const out = [];
  let pod = 2;
  for (let i = 0; i < count; i++) {
    const [portName, port, target] = rng.pick(PORTS);
    const proto = portName === 'dns' && rng.next() < 0.5 ? 'udp' : 'tcp';
    const ns = `ns-${Math.floor(i / 25)}`;
    const name = `${rng.pick(NAMES)}-${i}`;
    const endpoints = [];
    // A few services have no ready endpoint: kube-proxy then REJECTs in filter.
    const k = rng.next() < 0.02 ? 0 : endpointsPer;
    for (let e = 0; e < k; e++) endpoints.push({ ip: v4ToString(POD_BASE + pod++), port: target });
    out.push({ id: `${ns}/${name}:${portName}`, clusterIp: v4ToString(CLUSTER_IP_BASE + 10 + i), port, proto, endpoints,
      nodePort: i < 2700 && rng.next() < 0.2 ? 30000 + i : null });
  }
  return out;
}

/** iptables-restore text of the node (IPv4; kube-proxy's IPv6 tables are the same shape). */
export function kubeIptables(services) {
  const nat = [];
  const natChains = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'];
  const filter = [];
  const filterChains = ['KUBE-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-PROXY-CANARY', 'KUBE-KUBELET-CANARY'];
  nat.push(
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  );
  const svcRules = [];
  const nodePortRules = [];
  const chainRules = [];
  for (const s of services) {
    const svc = `KUBE-SVC-${kubeHash(s.id)}`;
    const m = `-p ${s.proto} -m comment --comment "${s.id} cluster IP" -m ${s.proto} --dport ${s.port}`;
    if (s.endpoints.length === 0) {
      filter.push(`-A KUBE-SERVICES -d ${s.clusterIp}/32 -p ${s.proto} -m comment --comment "${s.id} has no endpoints" -m ${s.proto} --dport ${s.port} -j REJECT --reject-with icmp-port-unreachable`);
      continue;
    }
    natChains.push(svc);
    svcRules.push(`-A KUBE-SERVICES -d ${s.clusterIp}/32 ${m} -j ${svc}`);
    chainRules.push(`-A ${svc} ! -s ${POD_CIDR} -d ${s.clusterIp}/32 ${m} -j KUBE-MARK-MASQ`);
    s.endpoints.forEach((e, i) => {
      const sep = `KUBE-SEP-${kubeHash(`${s.id}${e.ip}`)}`;
      natChains.push(sep);
      const left = s.endpoints.length - i;
      const pick = left > 1 ? ` -m statistic --mode random --probability ${savedProbability(1 / left)}` : '';
      chainRules.push(`-A ${svc} -m comment --comment "${s.id} -> ${e.ip}:${e.port}"${pick} -j ${sep}`);
      chainRules.push(`-A ${sep} -s ${e.ip}/32 -m comment --comment "${s.id}" -j KUBE-MARK-MASQ`);
      chainRules.push(`-A ${sep} -p ${s.proto} -m comment --comment "${s.id}" -m ${s.proto} -j DNAT --to-destination ${e.ip}:${e.port}`);
    });
    if (s.nodePort !== null) {
      const ext = `KUBE-EXT-${kubeHash(s.id)}`;
      natChains.push(ext);
      nodePortRules.push(`-A KUBE-NODEPORTS -p ${s.proto} -m comment --comment "${s.id}" -m ${s.proto} --dport ${s.nodePort} -j ${ext}`);
      chainRules.push(`-A ${ext} -m comment --comment "masquerade traffic for ${s.id} external destinations" -j KUBE-MARK-MASQ`);
      chainRules.push(`-A ${ext} -j ${svc}`);
    }
  }
  nat.push(...nodePortRules, ...svcRules,
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ...chainRules);
  filter.unshift(
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES',
    '-A INPUT -j KUBE-FIREWALL',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally visible service portals" -j KUBE-EXTERNAL-SERVICES',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -j KUBE-FIREWALL',
    '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  );
  return restoreText([
    tableText('mangle', { policies: { PREROUTING: 'ACCEPT', INPUT: 'ACCEPT', FORWARD: 'ACCEPT', OUTPUT: 'ACCEPT', POSTROUTING: 'ACCEPT' }, chains: ['KUBE-IPTABLES-HINT', 'KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY'] }),
    tableText('filter', { policies: { INPUT: 'ACCEPT', FORWARD: 'ACCEPT', OUTPUT: 'ACCEPT' }, chains: filterChains, rules: filter }),
    tableText('nat', { policies: { PREROUTING: 'ACCEPT', INPUT: 'ACCEPT', OUTPUT: 'ACCEPT', POSTROUTING: 'ACCEPT' }, chains: natChains, rules: nat }),
  ]);
}
