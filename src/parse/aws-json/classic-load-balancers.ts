/**
 * Classic Load Balancers (`aws elb describe-load-balancers`, key `LoadBalancerDescriptions`)
 * in the ELBv2 shape the path analysis reads: the balancer, one listener per
 * `ListenerDescriptions` entry and, per instance port, a target group whose targets are the
 * registered `Instances` (a Classic balancer sends every listener's traffic to all of them).
 * Identifiers are made from the name (`classic/<name>/…`): Classic balancers have no ARN.
 *
 * @module
 */
import type { LbListener, LoadBalancer, TargetGroup } from '../../model/aws-network.js';
import type { JsonObject, JsonReader } from './json-reader.js';

export interface ClassicParts {
  loadBalancers: LoadBalancer[];
  listeners: LbListener[];
  targetGroups: TargetGroup[];
}

export function readClassicLoadBalancers(r: JsonReader, doc: JsonObject, base: string): ClassicParts {
  const out: ClassicParts = { loadBalancers: [], listeners: [], targetGroups: [] };
  r.array(doc, 'LoadBalancerDescriptions', base).forEach((x, i) => {
    const path = `${base}.LoadBalancerDescriptions[${i}]`;
    const o = r.object(x, path);
    if (!o) return;
    const name = r.string(o, 'LoadBalancerName', path);
    const vpcId = r.string(o, 'VPCId', path);
    const scheme = r.string(o, 'Scheme', path);
    if (!name || !vpcId || !scheme) return;
    if (scheme !== 'internet-facing' && scheme !== 'internal') {
      r.error(`${path}.Scheme`, 'unknown Scheme', 'internet-facing, internal', scheme);
      return;
    }
    const origin = { file: r.file, path };
    const arn = `classic/${name}`;
    const strings = (key: string) => r.array(o, key, path).filter((s): s is string => typeof s === 'string');
    out.loadBalancers.push({ arn, name, type: 'classic', scheme, vpcId, subnetIds: strings('Subnets'), securityGroups: strings('SecurityGroups'), ipAddressType: 'ipv4', origin });
    const instances = r.array(o, 'Instances', path).flatMap((t, k) => {
      const to = r.object(t, `${path}.Instances[${k}]`);
      const id = to && r.string(to, 'InstanceId', `${path}.Instances[${k}]`);
      return id ? [{ id, origin: { file: r.file, path: `${path}.Instances[${k}]` } }] : [];
    });
    const groups = new Map<number, TargetGroup>();
    r.array(o, 'ListenerDescriptions', path).forEach((d, k) => {
      const dp = `${path}.ListenerDescriptions[${k}]`;
      const desc = r.object(d, dp);
      const l = desc && r.object(desc['Listener'], `${dp}.Listener`);
      if (!l) return;
      const lp = `${dp}.Listener`;
      const port = r.integer(l, 'LoadBalancerPort', lp, 1, 65535);
      const instancePort = r.integer(l, 'InstancePort', lp, 1, 65535);
      const protocol = r.string(l, 'Protocol', lp);
      if (port === null || instancePort === null || !protocol) return;
      let tg = groups.get(instancePort);
      if (!tg) {
        tg = { arn: `${arn}/instances/${instancePort}`, name: `${name} instances`, protocol: r.optionalString(l, 'InstanceProtocol', lp), port: instancePort, targetType: 'instance', loadBalancerArns: [arn], targets: instances.map((t) => ({ id: t.id, port: instancePort, health: null, origin: t.origin })), origin };
        groups.set(instancePort, tg);
        out.targetGroups.push(tg);
      }
      // SSL is a Classic balancer's TLS over TCP.
      out.listeners.push({ arn: `${arn}/listener/${port}`, loadBalancerArn: arn, port, protocol: protocol.toUpperCase(), targetGroupArns: [tg.arn], rules: null, origin: { file: r.file, path: lp } });
    });
  });
  return out;
}
