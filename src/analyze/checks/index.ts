/**
 * Every check, in report order. The SARIF renderer reads {@link CHECKS} (and
 * {@link ruleDescriptor}) for its rule table; a completeness test holds each one to a doc
 * entry, a fixture-based test and a descriptor.
 *
 * @module
 */
import type { ReportingDescriptor } from 'sarif';
import type { Severity } from '../audit/types.js';
import { adminNoRateLimit } from './admin-no-rate-limit.js';
import { amplificationVector } from './amplification-vector.js';
import { backendConflict } from './backend-conflict.js';
import { cleartextProtocol } from './cleartext-protocol.js';
import { dropsNotLogged } from './drops-not-logged.js';
import { dualStackMismatch } from './dual-stack-mismatch.js';
import { ephemeralPortListener } from './ephemeral-port-listener.js';
import { exceptionExpired } from './exception-expired.js';
import { exposedAdminService } from './exposed-admin-service.js';
import { exposedContainerApi } from './exposed-container-api.js';
import { exposedDatastore } from './exposed-datastore.js';
import { kernelHardening } from './kernel-hardening.js';
import { noInputFiltering } from './no-input-filtering.js';
import { restrictedCommonPorts } from './restricted-common-ports.js';
import { shadowedRule } from './shadowed-rule.js';
import { uncertainExposure } from './uncertain-exposure.js';
import { unlistedPublicService } from './unlisted-public-service.js';
import { cloudNaclEphemeralInbound } from './cloud-nacl-ephemeral-inbound.js';
import { cloudNaclReturnBlocked } from './cloud-nacl-return-blocked.js';
import { cloudOpenPort } from './cloud-open-port.js';
import type { Check } from './types.js';

export type { Check, CheckContext } from './types.js';

export const CHECKS: readonly Check[] = [
  exposedContainerApi,
  exposedDatastore,
  exposedAdminService,
  unlistedPublicService,
  cleartextProtocol,
  amplificationVector,
  restrictedCommonPorts,
  noInputFiltering,
  dualStackMismatch,
  backendConflict,
  adminNoRateLimit,
  exceptionExpired,
  kernelHardening,
  dropsNotLogged,
  ephemeralPortListener,
  shadowedRule,
  uncertainExposure,
  cloudOpenPort,
  cloudNaclEphemeralInbound,
  cloudNaclReturnBlocked,
];

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

/** SARIF levels: critical and high are errors, medium warnings, the rest notes. */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/**
 * GitHub code scanning reads `security-severity` (0-10) to rank alerts: critical ≥ 9,
 * high 7-8.9, medium 4-6.9, low 0.1-3.9.
 */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export function securitySeverity(severity: Severity): string {
  return SECURITY_SEVERITY[severity];
}

/** The SARIF `reportingDescriptor` (tool.driver.rules[]) of a check. */
export function ruleDescriptor(check: Check): ReportingDescriptor {
  return {
    id: check.id,
    name: check.id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: { text: check.remediation },
    defaultConfiguration: { level: sarifLevel(check.severity) },
    properties: { tags: ['security', 'network'], 'security-severity': securitySeverity(check.severity), severity: check.severity },
  };
}
