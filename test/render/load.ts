/** Fixture loading and schema validators shared by the render tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { AuditReport } from '../../src/analyze/audit/types.js';
import type { FlowAnswer } from '../../src/analyze/types.js';
import type { ExposureDiff } from '../../src/analyze/audit/diff.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(root + relative, 'utf8')) as T;
}

export const report = (): AuditReport => readJson<AuditReport>('test/fixtures/reports/ufw-web.audit.json');
export const EXPLAIN_FIXTURES = ['explain-ssh-office', 'explain-docker-8080', 'explain-mark-uncertain', 'explain-v6-filtered'] as const;
export const answer = (name: (typeof EXPLAIN_FIXTURES)[number]): FlowAnswer => readJson<FlowAnswer>(`test/fixtures/reports/${name}.json`);
export const diff = (): ExposureDiff => readJson<ExposureDiff>('test/fixtures/reports/web-1.diff.json');

/** A validator for one of our schemas (draft-07, strict). */
export function validator(schemaFile: 'audit' | 'explain' | 'diff' | 'logs' | 'watch') {
  const ajv = new Ajv.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(readJson<object>(`schemas/${schemaFile}.schema.json`));
}

/** The official SARIF 2.1.0 schema (schemas/external/README.md says where it comes from). */
export function sarifValidator() {
  // unicodeRegExp off: the schema's `language` pattern is not valid with the u flag.
  const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(readJson<object>('schemas/external/sarif-2.1.0-rtm.5.json'));
}

/** A report whose host name and rule text try to break out of the markup. */
export function hostileReport(): AuditReport {
  const r = report();
  const evil = `web"><img src=x onerror="window.__pwned=1">`;
  for (const f of r.findings) if (f.host === 'web-1') f.host = evil;
  r.hosts[0]!.name = evil;
  r.hosts[0]!.services[0]!.decisions[0]!.rule.text = `-A INPUT -m comment --comment "</code></pre><script>window.__pwned=2</script>" -j ACCEPT`;
  r.hosts[0]!.services[0]!.process!.name = `redis'"><svg onload=window.__pwned=3>`;
  return r;
}

/** `report` with every host's services repeated `times` times: a page of many chunks. */
export function manyServices(base: AuditReport, times: number): AuditReport {
  return { ...base, hosts: base.hosts.map((x) => ({ ...x, services: Array.from({ length: times }, () => x.services).flat() })) };
}

/** `x` with `onRead` called when its property `key` is first read: when a renderer reaches that part. */
export function watchFirstRead<T extends object>(x: T, key: string, onRead: () => void): T {
  let seen = false;
  return new Proxy(x, {
    get(target, k, receiver) {
      if (k === key && !seen) {
        seen = true;
        onRead();
      }
      return Reflect.get(target, k, receiver) as unknown;
    },
  });
}
