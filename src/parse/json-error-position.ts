/**
 * Where JSON text first goes wrong, as line and column. V8's JSON.parse messages give a
 * position only for some errors ("Unexpected token '}', … is not valid JSON" has none), so
 * we scan for it ourselves (RFC 8259 grammar), only after JSON.parse has failed.
 *
 * @module
 */

export interface JsonSyntaxError {
  /** 0-based offset into the text. */
  offset: number;
  /** 1-based line and column. */
  line: number;
  column: number;
  /** What the grammar allowed at that point. */
  expected: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {}
}

/** The first syntax error of `text`, or null when it is valid JSON. Iterative depth is bounded by the input. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`"${word}"`);
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('a closing \'"\'');
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail('no control character inside a string (escape it)');
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('4 hex digits after \\u');
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail('an escape such as \\n, \\" or \\u00e9');
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail('a number');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail('a value');
    else if (c === '{') container('}', true);
    else if (c === '[') container(']', false);
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else fail('a value (object, array, string, number, true, false or null)');
  };
  const container = (close: string, isObject: boolean): void => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      ws();
      if (isObject) {
        if (text[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail("':' after the property name");
        i++;
      }
      value();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) return void i++;
      fail(`',' or '${close}'`);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the input after the JSON value');
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) {
      // Nesting too deep for the stack: report at the start rather than crash.
      return { offset: 0, line: 1, column: 1, expected: 'JSON nested less deeply' };
    }
    return { ...lineColumn(text, err.offset), offset: err.offset, expected: err.expected };
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      start = k + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
