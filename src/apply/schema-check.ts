/**
 * Validation of the JSON apply reads (its own state files, harden's plan.json) against the
 * schemas in schemas/, with the first complaint as a JSON path ("$.dumps[0].sha256").
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const validators = new Map<string, ValidateFunction>();

function validatorOf(schemaFile: string): ValidateFunction {
  let v = validators.get(schemaFile);
  if (!v) {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL(`../../schemas/${schemaFile}`, import.meta.url)), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats.default(ajv);
    v = ajv.compile(schema);
    validators.set(schemaFile, v);
  }
  return v;
}

/** Null when `data` conforms to schemas/`schemaFile`; otherwise where and what is wrong. */
export function schemaProblem(schemaFile: string, data: unknown): { path: string; message: string } | null {
  const check = validatorOf(schemaFile);
  if (check(data)) return null;
  const e = check.errors?.find((x) => x.instancePath !== '') ?? check.errors?.[0];
  const path = '$' + (e?.instancePath ?? '').split('/').slice(1).map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k.replace(/~1/g, '/').replace(/~0/g, '~')}`)).join('');
  return { path, message: e?.message ?? 'schema violation' };
}
