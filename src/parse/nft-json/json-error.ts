/**
 * Where JSON text stops being valid. V8's JSON.parse messages only sometimes carry a
 * position ("Unexpected token '}', … is not valid JSON" does not), so a small scanner
 * finds the first offending offset to report a line and column.
 *
 * @module
 */

export interface JsonErrorPlace {
  /** 0-based offset of the first character that cannot continue valid JSON (text length when it ended early). */
  offset: number;
  line: number;
  column: number;
  /** The text ended while a value was still open: a truncated dump. */
  truncated: boolean;
}

const WS = new Set([' ', '\t', '\n', '\r']);

/** Scan `text` (known to be invalid JSON) for the place where it goes wrong. */
export function locateJsonError(text: string): JsonErrorPlace {
  const offset = scan(text);
  return { offset, ...lineColumn(text, offset), truncated: offset >= text.length };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let k = 0; k < end; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Iterative recursive-descent check (an explicit stack, so deep nesting cannot overflow).
 * Returns the offset of the first error, or text.length when the text ends too soon.
 */
function scan(s: string): number {
  let i = 0;
  // Container stack: '{' or '['; `expect` says what may come next.
  const stack: string[] = [];
  type Expect = 'value' | 'key' | 'colon' | 'commaOrEnd' | 'valueOrEnd' | 'keyOrEnd';
  let expect: Expect = 'value' as Expect;
  const skipWs = (): void => {
    while (i < s.length && WS.has(s[i]!)) i++;
  };
  for (;;) {
    skipWs();
    if (i >= s.length) return s.length;
    const c = s[i]!;
    if (stack.length === 0 && expect === 'commaOrEnd') return i; // trailing garbage
    switch (expect) {
      case 'colon':
        if (c !== ':') return i;
        i++;
        expect = 'value';
        continue;
      case 'commaOrEnd': {
        const top = stack[stack.length - 1];
        if (c === ',') {
          i++;
          expect = top === '{' ? 'key' : 'value';
          continue;
        }
        if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
          i++;
          stack.pop();
          expect = 'commaOrEnd' as Expect;
          continue;
        }
        return i;
      }
      case 'key':
      case 'keyOrEnd':
        if (c === '}' && expect === 'keyOrEnd') {
          i++;
          stack.pop();
          expect = 'commaOrEnd' as Expect;
          continue;
        }
        if (c !== '"') return i;
        {
          const end = scanString(s, i);
          if (end < 0) return -end - 1;
          i = end;
        }
        expect = 'colon';
        continue;
      case 'value':
      case 'valueOrEnd': {
        if (c === ']' && expect === 'valueOrEnd') {
          i++;
          stack.pop();
          expect = 'commaOrEnd' as Expect;
          continue;
        }
        if (c === '{') {
          stack.push('{');
          i++;
          expect = 'keyOrEnd';
          continue;
        }
        if (c === '[') {
          stack.push('[');
          i++;
          expect = 'valueOrEnd';
          continue;
        }
        if (c === '"') {
          const end = scanString(s, i);
          if (end < 0) return -end - 1;
          i = end;
          expect = 'commaOrEnd' as Expect;
          continue;
        }
        const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(s.slice(i, i + 400));
        if (!lit) {
          // A literal cut off by the end of the text ("tru", "-") is truncation, not a wrong token.
          const rest = s.slice(i);
          if (/^(?:t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?|-)$/.test(rest)) return s.length;
          return i;
        }
        i += lit[0].length;
        expect = 'commaOrEnd' as Expect;
        continue;
      }
    }
  }
}

/** Offset after the closing quote, or -(errorOffset + 1). */
function scanString(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const n = s[i + 1];
      if (n === undefined) return -(s.length + 1);
      if (n === 'u') {
        const hex = s.slice(i + 2, i + 6);
        if (hex.length < 4) return /^[0-9a-fA-F]*$/.test(hex) && i + 6 > s.length ? -(s.length + 1) : -(i + 1);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return -(i + 1);
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(n)) return -(i + 1);
      i += 2;
      continue;
    }
    if (c < 32) return -(i + 1);
    i++;
  }
  return -(s.length + 1);
}
