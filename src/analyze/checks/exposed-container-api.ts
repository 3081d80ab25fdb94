/**
 * The Docker Engine API or a kubelet reachable from the world or wide public ranges:
 * whoever reaches it is root on the host.
 *
 * @module
 */
import { runRiskExposure } from './exposure-risk.js';
import type { Check } from './types.js';

export const exposedContainerApi: Check = {
  id: 'exposed-container-api',
  title: 'Container API reachable from the internet',
  severity: 'critical',
  description: 'The Docker Engine API (2375/2376) or a kubelet (10250/10255) accepts connections from the world or wide public ranges. Reaching it means running privileged containers, i.e. root on the host.',
  remediation: 'Use the local Docker socket or SSH (DOCKER_HOST=ssh://host); remove `-H tcp://0.0.0.0:2375`; for kubelets disable anonymous auth and the read-only port.',
  run(ctx) {
    return runRiskExposure(this, ctx, { riskClass: 'container-api', respectPublicList: false, noun: 'Container API' });
  },
};
