/**
 * A remote administration port reachable from other hosts with no per-source rate or
 * connection limit anywhere on its path (ServiceReach.rateLimited false): password guessing
 * runs at line speed.
 *
 * @module
 */
import { isPublicExposure, isRemote } from '../audit/exposure.js';
import type { Finding } from '../audit/types.js';
import { firewallFlavor, serviceFinding, serviceName } from './helpers.js';
import type { AuditedService } from '../audit/types.js';
import type { Check, CheckContext } from './types.js';

function commands(ctx: CheckContext, svc: AuditedService): string[] {
  const { port, proto } = svc;
  switch (firewallFlavor(ctx.host)) {
    case 'ufw':
      return [`ufw limit ${port}/${proto}`];
    case 'firewalld':
      return [`firewall-cmd --permanent --add-rich-rule='rule service name="ssh" accept limit value="6/m"'`, 'firewall-cmd --reload'];
    case 'nftables':
      return [`nft insert rule inet filter input ${proto} dport ${port} ct state new meter admin-${port} '{ ip saddr limit rate over 6/minute }' drop`];
    case 'iptables':
      return [
        `iptables -I INPUT -p ${proto} --dport ${port} -m conntrack --ctstate NEW -m recent --set --name admin${port}`,
        `iptables -I INPUT 2 -p ${proto} --dport ${port} -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 6 --name admin${port} -j DROP`,
      ];
  }
}

export const adminNoRateLimit: Check = {
  id: 'admin-no-rate-limit',
  title: 'Remote administration port without rate limiting',
  severity: 'medium',
  description:
    'A remote administration service (SSH, RDP, VNC, web admin panels) is reachable from other hosts and no rule on its path limits new connections per source (ufw limit, -m recent/hashlimit/connlimit, nft meters). Tools such as fail2ban act outside the firewall dump and are not seen here.',
  remediation: 'Limit new connections per source (e.g. `ufw limit 22/tcp`), or run fail2ban/sshguard, and restrict the port to admin networks.',
  run(ctx) {
    const out: Finding[] = [];
    for (const svc of ctx.host.services) {
      if (!isRemote(svc.exposure) || svc.rateLimited) continue;
      if (!svc.service.risks.some((r) => r.class === 'remote-admin')) continue;
      out.push(
        serviceFinding(this, ctx, svc, {
          severity: isPublicExposure(svc.exposure) ? 'medium' : 'low',
          title: `${serviceName(svc)} accepts unlimited new connections (${svc.exposure})`,
          facts: ['no rate or connection limit on the path'],
          summary: `Limit new connections per source to ${svc.service.label}, e.g. 6 per minute.`,
          commands: commands(ctx, svc),
        }),
      );
    }
    return out;
  },
};
