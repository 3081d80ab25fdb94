import { describe, expect, it } from 'vitest';
import { ids, loadAnalysis, runCheck } from '../../../test/fixtures/analysis/load.js';
import { loadPolicy } from '../../../test/fixtures/analysis/load.js';
import { exceptionExpired as check } from './exception-expired.js';

describe('exception-expired', () => {
  it('an exception past its date (full.yaml: the Docker API one ran out on 2026-01-31)', () => {
    const out = runCheck(check, 'docker-host', loadPolicy('full'));
    expect(out.map((f) => [f.id, f.severity, f.title])).toEqual([
      ['exception-expired:docker-1:exposed-container-api:*:2026-01-31', 'medium', 'Exception expired on 2026-01-31 (exposed-container-api, any service)'],
    ]);
    expect(out[0]!.remediation.commands[0]).toMatch(/^# test\/fixtures\/policy\/full\.yaml:22:/);
  });
  it('not for other hosts, not before the date, not without a policy', () => {
    expect(runCheck(check, 'ufw-host', loadPolicy('full'))).toEqual([]);
    expect(runCheck(check, 'docker-host', loadPolicy('full'), new Date('2026-01-31T12:00:00Z'))).toEqual([]);
    expect(runCheck(check, 'docker-host')).toEqual([]);
  });
  it('names the service when the exception had one', () => {
    const out = runCheck(check, 'docker-host', loadPolicy('docker-office'), new Date('2026-11-22T00:00:00Z'));
    expect(out[0]!.service).toEqual({ proto: 'tcp', port: 6379 });
  });
});
