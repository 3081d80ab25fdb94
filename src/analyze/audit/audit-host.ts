/**
 * One host's analysis made ready for judgement: every service gets its exposure class, its
 * identity from the catalog, and what the policy says about it.
 *
 * @module
 */
import { identifyService } from '../catalog/index.js';
import type { HostAnalysis } from '../types.js';
import { serviceExposure } from './exposure.js';
import type { PolicyView } from './policy-view.js';
import type { AuditedHost, AuditedService } from './types.js';

export function auditHost(analysis: HostAnalysis, policy: PolicyView): AuditedHost {
  const services: AuditedService[] = analysis.services.map((svc) => {
    const { exposure, byFamily } = serviceExposure(svc);
    return {
      ...svc,
      exposure,
      exposureByFamily: byFamily,
      service: identifyService(svc.proto, svc.port, svc.process),
      listedPublic: policy.isPublic(analysis.name, svc.proto, svc.port),
      trustedBy: policy.trustedBy(svc.sources),
    };
  });
  return { ...analysis, services };
}
