/**
 * Typed reads out of parsed JSON that record, instead of throwing, what was wrong and
 * where (the JSON path), so one damaged element costs that element only.
 *
 * @module
 */
import { type Diagnostic, excerpt } from '../../model/diagnostics.js';
import { findJsonSyntaxError } from '../json-error-position.js';

export type JsonObject = Record<string, unknown>;

export class JsonReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly code: string,
  ) {}

  error(path: string, message: string, expected: string, value?: unknown): void {
    const d: Diagnostic = { code: this.code, severity: 'error', message, location: { file: this.file, path }, expected };
    if (value !== undefined) d.input = excerpt(JSON.stringify(value) ?? String(value));
    this.diagnostics.push(d);
  }

  warn(path: string, code: string, message: string): void {
    this.diagnostics.push({ code, severity: 'warning', message, location: { file: this.file, path } });
  }

  object(value: unknown, path: string): JsonObject | null {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
    this.error(path, 'not an object', 'a JSON object', value);
    return null;
  }

  /** An array member; absent counts as empty (the AWS CLI leaves out empty lists at times). */
  array(parent: JsonObject, key: string, path: string): unknown[] {
    const value = parent[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.error(`${path}.${key}`, `${key} is not a list`, 'a JSON array', value);
    return [];
  }

  string(parent: JsonObject, key: string, path: string): string | null {
    const value = parent[key];
    if (typeof value === 'string' && value !== '') return value;
    this.error(`${path}.${key}`, value === undefined ? `${key} is missing` : `${key} is not a string`, `a non-empty string`, value);
    return null;
  }

  optionalString(parent: JsonObject, key: string, path: string): string | null {
    const value = parent[key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    this.error(`${path}.${key}`, `${key} is not a string`, 'a string', value);
    return null;
  }

  integer(parent: JsonObject, key: string, path: string, min: number, max: number): number | null {
    const value = parent[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.error(`${path}.${key}`, value === undefined ? `${key} is missing` : `${key} is out of range`, `an integer from ${min} to ${max}`, value);
    return null;
  }

  optionalInteger(parent: JsonObject, key: string, path: string, min: number, max: number): number | null {
    if (parent[key] === undefined || parent[key] === null) return null;
    return this.integer(parent, key, path, min, max);
  }

  boolean(parent: JsonObject, key: string, path: string, fallback: boolean): boolean {
    const value = parent[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.error(`${path}.${key}`, `${key} is not a boolean`, 'true or false', value);
    return fallback;
  }
}

/** JSON text → value, or a located syntax error. */
export function parseJsonText(text: string, file: string, code: string): { value: unknown; diagnostics: Diagnostic[] } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { value: JSON.parse(body), diagnostics: [] };
  } catch (err) {
    const at = findJsonSyntaxError(body);
    const line = at ? (body.split('\n')[at.line - 1] ?? '') : body;
    return {
      value: undefined,
      diagnostics: [
        {
          code,
          severity: 'error',
          message: at ? `not valid JSON (line ${at.line}, column ${at.column})` : `not valid JSON: ${excerpt((err as Error).message)}`,
          location: { file, line: at?.line ?? 1 },
          expected: at?.expected ?? 'JSON as the AWS CLI prints it (--output json)',
          input: excerpt(at ? line.slice(Math.max(0, at.column - 40)) : line),
        },
      ],
    };
  }
}
