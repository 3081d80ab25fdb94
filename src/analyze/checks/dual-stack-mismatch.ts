/**
 * A port filtered in one family but open to strangers in the other: the classic "ufw with
 * IPV6=no" or "ip6tables forgotten". Compares the worst exposure per family over every
 * listener of the port (one dual-stack socket, or one socket per family).
 *
 * @module
 */
import { FAMILIES, type Family } from '../../model/addr.js';
import { isPublicExposure, servesFamily, worstExposure } from '../audit/exposure.js';
import type { AuditedService, Exposure, Finding } from '../audit/types.js';
import { firewallCommands, firewallFlavor, serviceFinding, serviceName } from './helpers.js';
import type { Check } from './types.js';
import { addToList } from '../../model/list-map.js';

const NAME: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

export const dualStackMismatch: Check = {
  id: 'dual-stack-mismatch',
  title: 'Port filtered on one IP family but open on the other',
  severity: 'high',
  description:
    'The same port listens in both IPv4 and IPv6 (a dual-stack socket or two sockets), and one family admits the world or wide public ranges while the other is restricted. Usually one family\'s rules were forgotten (ip6tables empty, ufw IPV6=no).',
  remediation: 'Apply the same restriction in both families (ip6tables as well as iptables, or an inet nft table).',
  run(ctx) {
    const groups = new Map<string, AuditedService[]>();
    for (const s of ctx.host.services) {
      const key = `${s.proto}/${s.port}`;
      addToList(groups, key, s);
    }
    const out: Finding[] = [];
    for (const list of groups.values()) {
      const per = {} as Record<Family, Exposure | null>;
      for (const f of FAMILIES) {
        const serving = list.filter((s) => servesFamily(s, f));
        per[f] = serving.length === 0 ? null : worstExposure(...serving.map((s) => s.exposureByFamily[f]));
      }
      if (per.ipv4 === null || per.ipv6 === null || per.ipv4 === per.ipv6) continue;
      const wide: Family | null = isPublicExposure(per.ipv4) && !isPublicExposure(per.ipv6) ? 'ipv4' : isPublicExposure(per.ipv6) && !isPublicExposure(per.ipv4) ? 'ipv6' : null;
      if (wide === null) continue;
      const narrow: Family = wide === 'ipv4' ? 'ipv6' : 'ipv4';
      const svc = list.find((s) => servesFamily(s, wide))!;
      const intended = svc.listedPublic;
      // ufw leaves IPv6 unfiltered when IPV6=no: then there are no IPv6 rules at all.
      const fixV6 = wide === 'ipv6' && firewallFlavor(ctx.host) === 'ufw' && ctx.host.backends.ipv6.length === 0 ? ['# /etc/default/ufw: IPV6=yes', 'ufw reload'] : [];
      out.push(
        serviceFinding(this, ctx, svc, {
          severity: intended ? 'low' : this.severity,
          title: intended
            ? `${serviceName(svc)} is public on ${NAME[wide]} but restricted on ${NAME[narrow]} (${per[narrow]})`
            : `${serviceName(svc)} is restricted on ${NAME[narrow]} (${per[narrow]}) but open on ${NAME[wide]} (${per[wide]})`,
          facts: [`${NAME.ipv4}: ${per.ipv4}`, `${NAME.ipv6}: ${per.ipv6}`],
          summary: intended
            ? `The port is listed as public: admit it on ${NAME[narrow]} as well, or it is unreachable for ${NAME[narrow]} clients.`
            : `Restrict ${svc.port}/${svc.proto} on ${NAME[wide]} as it is on ${NAME[narrow]}.`,
          commands: intended ? admitCommands(ctx.host, list.find((s) => servesFamily(s, narrow))!, narrow) : [...fixV6, ...firewallCommands(ctx, svc, true).filter((c) => (wide === 'ipv6' ? !c.startsWith('iptables ') : !c.startsWith('ip6tables ')))],
        }),
      );
    }
    return out;
  },
};

/** How to admit a public port on the family that restricts it: the host firewall, or the cloud layer when that is what closes it. */
function admitCommands(host: Parameters<typeof firewallFlavor>[0], svc: AuditedService, family: Family): string[] {
  if (svc.cloud && !svc.cloud.internet) return [`# the cloud network closes ${svc.port}/${svc.proto} to the internet on ${NAME[family]} (${svc.cloud.closedBy}): see the cloud findings for its fix`];
  if (firewallFlavor(host) === 'ufw') return [`ufw allow ${svc.port}/${svc.proto}`];
  return [`${family === 'ipv4' ? 'iptables' : 'ip6tables'} -I INPUT -p ${svc.proto} --dport ${svc.port} -m conntrack --ctstate NEW -j ACCEPT`];
}
