/**
 * Snapshot JSON text → a validated {@link Snapshot}. Every schema violation becomes a
 * diagnostic with its JSON path, what was expected and the value found; damaged JSON gives
 * line and column; a snapshot from another tool or a newer Portcullis says which versions
 * this one reads.
 *
 * @module
 */
import type { ErrorObject } from 'ajv';
import { createRequire } from 'node:module';
import { type Diagnostic, type Parsed, excerpt } from '../model/diagnostics.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from '../model/snapshot.js';
import { excessiveNesting, tooDeep, valueNestsDeeper } from './json-depth.js';
import { cutLongStrings } from './long-strings.js';
import { findJsonSyntaxError } from './json-error-position.js';
import { SNAPSHOT_SCHEMA } from './snapshot-schema.js';
import { SCHEMA_HASH, validate as precompiled } from './snapshot-validator.generated.js';
import { SNAPSHOT_FORMATS, SNAPSHOT_VALIDATOR_OPTIONS, schemaHash } from './snapshot-validator-options.js';

/** Diagnostics past this many are summed up in one, so a wrong file does not flood the terminal. */
const MAX_DIAGNOSTICS = 50;

interface SnapshotValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

let validator: SnapshotValidator | undefined;
let validatorPrecompiled = false;
/**
 * The schema's validator compiled ahead of time (scripts/build-snapshot-validator.mjs), so a
 * command does not load ajv and compile the schema first; compiled here only when the schema
 * changed since (its hash differs), with the same options.
 */
export function snapshotValidator(): { check: SnapshotValidator; precompiled: boolean } {
  if (!validator) {
    validatorPrecompiled = SCHEMA_HASH === schemaHash(SNAPSHOT_SCHEMA);
    if (validatorPrecompiled) validator = precompiled as SnapshotValidator;
    else {
      // ajv is CommonJS: required only on this path, so the usual start does not load it.
      const require = createRequire(import.meta.url);
      const { Ajv } = require('ajv') as typeof import('ajv');
      const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
      const ajv = new Ajv(SNAPSHOT_VALIDATOR_OPTIONS);
      addFormats(ajv, [...SNAPSHOT_FORMATS]);
      validator = ajv.compile(SNAPSHOT_SCHEMA);
    }
  }
  return { check: validator, precompiled: validatorPrecompiled };
}

const READS = `this Portcullis reads "${SNAPSHOT_FORMAT}" version ${SNAPSHOT_VERSION}`;

/** Parse and validate a snapshot; the value is null when anything is wrong. */
export function parseSnapshot(text: string, file: string): Parsed<Snapshot | null> {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    const deep = excessiveNesting(body);
    if (deep) return fail(tooDeep('parse.snapshot.depth', deep, file));
    const at = findJsonSyntaxError(body);
    const line = at ? (body.split('\n')[at.line - 1] ?? '') : body;
    return fail({
      code: 'parse.snapshot.json',
      severity: 'error',
      // V8's own message quotes the whole input; ours names the place instead.
      message: at ? `not valid JSON (line ${at.line}, column ${at.column})` : `not valid JSON: ${excerpt((err as Error).message)}`,
      location: { file, line: at?.line ?? 1 },
      expected: at?.expected ?? 'JSON written by `portcullis collect`',
      input: excerpt(at ? line.slice(Math.max(0, at.column - 40)) : line),
    });
  }
  if (valueNestsDeeper(data)) {
    const deep = excessiveNesting(body);
    if (deep) return fail(tooDeep('parse.snapshot.depth', deep, file));
  }
  const header = checkHeader(data, file);
  if (header) return fail(header);
  const cut = cutLongStrings(data, file);
  const check = snapshotValidator().check;
  if (check(data)) return { value: data as Snapshot, diagnostics: cut };
  const errors = relevantErrors(check.errors ?? []);
  const diagnostics = errors.slice(0, MAX_DIAGNOSTICS).map((e) => schemaDiagnostic(e, data, file));
  if (errors.length > MAX_DIAGNOSTICS) {
    diagnostics.push({
      code: 'parse.snapshot.schema',
      severity: 'error',
      message: `… and ${errors.length - MAX_DIAGNOSTICS} more schema violations`,
      location: { file, path: '$' },
    });
  }
  return { value: null, diagnostics };
}

function fail(d: Diagnostic): Parsed<null> {
  return { value: null, diagnostics: [d] };
}

/** Another tool's JSON or a newer snapshot: one clear error instead of a page of schema noise. */
function checkHeader(data: unknown, file: string): Diagnostic | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      code: 'parse.snapshot.format',
      severity: 'error',
      message: `not a Portcullis snapshot (the JSON is ${Array.isArray(data) ? 'an array' : typeof data === 'object' ? 'null' : `a ${typeof data}`}); ${READS}`,
      location: { file, path: '$' },
      expected: `an object with "format": "${SNAPSHOT_FORMAT}"`,
      input: show(data),
    };
  }
  const { format, version } = data as Record<string, unknown>;
  if (format !== SNAPSHOT_FORMAT) {
    return {
      code: 'parse.snapshot.format',
      severity: 'error',
      message: `not a Portcullis snapshot (format ${format === undefined ? 'missing' : show(format)}); ${READS}`,
      location: { file, path: '$.format' },
      expected: JSON.stringify(SNAPSHOT_FORMAT),
      input: show(format),
    };
  }
  if (typeof version === 'number' && version > SNAPSHOT_VERSION) {
    return {
      code: 'parse.snapshot.version',
      severity: 'error',
      message: `snapshot version ${version} is newer than this Portcullis understands; ${READS} (upgrade Portcullis, or collect again with this one)`,
      location: { file, path: '$.version' },
      expected: String(SNAPSHOT_VERSION),
      input: show(version),
    };
  }
  return null;
}

/** `if` only wraps the then/else error that says what is wrong. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'if');
}

function schemaDiagnostic(e: ErrorObject, data: unknown, file: string): Diagnostic {
  const segments = pointerSegments(e.instancePath);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') segments.push(String(params['missingProperty']));
  if (e.keyword === 'additionalProperties') segments.push(String(params['additionalProperty']));
  const forbidden = e.keyword === 'not' ? (e.schema as { required?: string[] }).required : undefined;
  if (forbidden?.length === 1) segments.push(forbidden[0]!);
  const path = jsonPath(segments);
  const found = valueAt(data, segments);
  const d: Diagnostic = {
    code: 'parse.snapshot.schema',
    severity: 'error',
    message: MESSAGES[e.keyword] ?? `invalid value: ${e.message ?? e.keyword}`,
    location: { file, path },
    expected: expectedText(e),
  };
  if (e.keyword !== 'required') d.input = show(found);
  return d;
}

function expectedText(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return String(p['type']).split(',').join(' or ');
    case 'const':
      return JSON.stringify(p['allowedValue']);
    case 'enum':
      return 'one of ' + (p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    case 'required':
      return `property "${String(p['missingProperty'])}"`;
    case 'additionalProperties': {
      const props = Object.keys(((e.parentSchema ?? {}) as { properties?: object }).properties ?? {});
      return `only the properties ${props.map((k) => `"${k}"`).join(', ')}`;
    }
    case 'format':
      return FORMAT_WORDS[String(p['format'])] ?? `format ${String(p['format'])}`;
    case 'minimum':
    case 'maximum':
      return `a number ${String(p['comparison'])} ${String(p['limit'])}`;
    case 'not': {
      const req = (e.schema as { required?: string[] }).required;
      return req ? `no property ${req.map((k) => `"${k}"`).join(', ')} here (a source that is not "ok" has no content)` : 'a different value';
    }
    default:
      return e.message ?? e.keyword;
  }
}

const MESSAGES: Record<string, string> = {
  required: 'missing property',
  additionalProperties: 'unknown property',
  type: 'wrong type',
  format: 'malformed value',
  enum: 'value not allowed',
  const: 'value not allowed',
  minimum: 'out of range',
  maximum: 'out of range',
  not: 'property not allowed here',
};

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time such as "2026-01-31T12:00:00.000Z"',
  ipv4: 'an IPv4 address such as "192.0.2.1"',
  ipv6: 'an IPv6 address such as "2001:db8::1"',
};

/** "/sockets/3/port" → ["sockets", "3", "port"] (RFC 6901 unescaping). */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** ["sockets", "3", "port"] → "$.sockets[3].port"; odd keys in brackets: $.sysctls["net.ipv4.ip_forward"]. */
export function jsonPath(segments: readonly string[]): string {
  let out = '$';
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let cur = data;
  for (const s of segments) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function show(v: unknown): string {
  return v === undefined ? '(nothing)' : excerpt(JSON.stringify(v) ?? String(v));
}
