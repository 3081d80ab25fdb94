/**
 * How the snapshot schema is compiled, shared by the ahead-of-time validator
 * (scripts/build-snapshot-validator.mjs) and the fallback that compiles it at run time, so
 * both report the same errors.
 *
 * @module
 */
import { createHash } from 'node:crypto';

// strictRequired would reject the `required` inside if/then/else.
export const SNAPSHOT_VALIDATOR_OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true } as const;
export const SNAPSHOT_FORMATS = ['date-time', 'ipv4', 'ipv6'] as const;

/** Identity of a schema's content: the generated validator is used only for the schema it was built from. */
export function schemaHash(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}
