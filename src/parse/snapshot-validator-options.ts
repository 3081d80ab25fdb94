/**
 * How the snapshot schema is compiled, shared by the ahead-of-time validator
 * (scripts/build-snapshot-validator.mjs) and the fallback that compiles it at run time, so
 * both report the same errors.
 *
 * @module
 */
// strictRequired would reject the `required` inside if/then/else.
export const SNAPSHOT_VALIDATOR_OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true } as const;
export const SNAPSHOT_FORMATS = ['date-time', 'ipv4', 'ipv6'] as const;

/**
 * Identity of a schema's content: the generated validator is used only for the schema it was
 * built from. Two 32-bit FNV-1a lanes over its JSON, not sha256: it guards against a schema
 * edited without regenerating, not against an adversary, and loading node:crypto cost every
 * command that reads a snapshot ~12 ms of CPU (issue 8).
 */
export function schemaHash(schema: unknown): string {
  const text = JSON.stringify(schema);
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 15);
  }
  return `fnv1a-${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}
