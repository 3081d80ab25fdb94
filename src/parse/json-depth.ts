/**
 * Nesting depth of JSON text, found before JSON.parse: a hostile file nested 10,000 deep
 * parses, and then overflows the stack of whatever walks it (schema checks, stringify).
 * Real snapshots and nft dumps nest a few dozen levels at most.
 *
 * @module
 */

import type { Diagnostic } from '../model/diagnostics.js';

/** Deeper than this is refused as input (exit 2), with the JSON path where it happens. */
export const MAX_JSON_DEPTH = 256;

interface Frame {
  array: boolean;
  index: number;
  key: string | null;
  expectKey: boolean;
}

/** Where JSON text first nests deeper than `max` (path and line), or null. Linear; malformed text is left to JSON.parse. */
export function excessiveNesting(text: string, max = MAX_JSON_DEPTH): { path: string; line: number } | null {
  const stack: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      // A string: skip to its closing quote; an object's key is remembered for the path.
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        top.key = decodeKey(text.slice(start + 1, i));
        top.expectKey = false;
      }
    } else if (ch === 0x7b || ch === 0x5b) {
      stack.push({ array: ch === 0x5b, index: 0, key: null, expectKey: ch === 0x7b });
      if (stack.length > max) return { path: pathOf(stack.slice(0, -1)), line };
    } else if (ch === 0x7d || ch === 0x5d) stack.pop();
    else if (ch === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else if (top) top.expectKey = true;
    } else if (ch === 0x0a) line++;
  }
  return null;
}

function decodeKey(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

function pathOf(frames: readonly Frame[]): string {
  let path = '$';
  for (const f of frames) path += f.array ? `[${f.index}]` : /^[A-Za-z_$][\w$]*$/.test(f.key ?? '') ? `.${f.key}` : `[${JSON.stringify(f.key ?? '')}]`;
  return path.length > 200 ? `${path.slice(0, 100)}…${path.slice(-100)}` : path;
}

/**
 * True when a parsed JSON value nests deeper than `max`. V8's JSON.parse itself does not
 * recurse, so big input can be parsed first and checked here, on the tree (a snapshot's tree
 * is small: its dumps are strings), instead of scanning every character of the text; only a
 * value found too deep is scanned again by {@link excessiveNesting} for its path and line.
 */
export function valueNestsDeeper(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const v = stack.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    if (Array.isArray(v)) for (const x of v) {
      stack.push(x);
      depths.push(depth + 1);
    }
    else for (const k in v) {
      stack.push((v as Record<string, unknown>)[k]);
      depths.push(depth + 1);
    }
  }
  return false;
}

/** The input error for {@link excessiveNesting}'s finding. */
export function tooDeep(code: string, at: { path: string; line: number }, file: string): Diagnostic {
  return {
    code,
    severity: 'error',
    message: `JSON nested more than ${MAX_JSON_DEPTH} levels deep (line ${at.line})`,
    location: { file, path: at.path },
    expected: `at most ${MAX_JSON_DEPTH} levels of arrays and objects`,
  };
}
