/**
 * An audit JSON report given to `diff`: validated against schemas/audit.schema.json before
 * use, so a damaged or hostile report is an input error with its JSON path (issue 9), not a
 * crash inside the comparison.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { AuditReport } from '../analyze/audit/types.js';
import { InputError } from './errors.js';

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/audit.schema.json', import.meta.url)), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats.default(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** The report in `data` (parsed JSON of `file`), or an InputError naming where it is wrong. */
export function auditReportOf(data: unknown, file: string): AuditReport {
  const check = validate();
  if (check(data)) return data as AuditReport;
  const e = check.errors?.[0];
  const path = '$' + (e?.instancePath ?? '').split('/').slice(1).map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k.replace(/~1/g, '/').replace(/~0/g, '~')}`)).join('');
  throw new InputError(`${file} at ${path}: not a valid Portcullis audit report (${e?.message ?? 'schema violation'}); expected the output of \`portcullis audit --format json\``);
}
