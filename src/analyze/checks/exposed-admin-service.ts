/**
 * A remote administration service (SSH, RDP, VNC, Webmin, Cockpit, Netdata, Bacula,
 * phpMyAdmin…) reachable from the world or wide public ranges and not listed as public.
 * SSH is high, the rest critical (the catalog says which).
 *
 * @module
 */
import { runRiskExposure } from './exposure-risk.js';
import type { Check } from './types.js';

export const exposedAdminService: Check = {
  id: 'exposed-admin-service',
  title: 'Remote administration service reachable from the internet',
  severity: 'critical',
  description:
    'A service that administers the host (remote shells, remote desktops, web admin panels, backup daemons) accepts connections from the world or from wide public ranges, and the policy does not list its port as public. SSH is reported as high, the others as critical.',
  remediation: 'Allow only admin networks or a VPN (name them as trusted lists in the policy); bind web admin panels to loopback and reach them through SSH.',
  run(ctx) {
    return runRiskExposure(this, ctx, { riskClass: 'remote-admin', respectPublicList: true, noun: 'Admin service' });
  },
};
