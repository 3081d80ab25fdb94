/**
 * Checks the state files a real apply wrote against schemas/apply-state.schema.json, with a
 * validator of the test's own (the code under test validates what it reads, not what it writes).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('../../../schemas/apply-state.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const check = ajv.compile(schema);

/** The schema's complaints about `file` (empty when it conforms), and its parsed content. */
export function stateFileProblems(file: string): { problems: string[]; data: unknown } {
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  check(data);
  return { problems: (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`), data };
}
