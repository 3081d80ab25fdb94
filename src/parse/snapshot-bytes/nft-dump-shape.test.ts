import { describe, expect, it } from 'vitest';
import { escapedNftDumpShape, nftDumpShape } from './nft-dump-shape.js';

/** The shape read from the text, and from the literal the snapshot holds it in. */
function both(text: string) {
  const literal = Buffer.from(`{"content": ${JSON.stringify(text)}}`);
  const start = literal.indexOf(': "') + 3;
  return { text: nftDumpShape(text), bytes: escapedNftDumpShape(literal, start, literal.length - 2, literal.includes('\\u')) };
}

const table = (family: string, name: string) => `{"table": {"family": "${family}", "name": "${name}", "handle": 1}}`;
const rule = (table: string) => `{"rule": {"family": "ip", "table": "${table}", "chain": "INPUT", "handle": 2, "expr": [{"comment": "{\\"table\\": {x"}]}}`;

describe('the shape of an nft dump', () => {
  it('lists the declared tables of a whole document', () => {
    const text = `{"nftables": [{"metainfo": {"version": "1.0.6"}}, ${table('ip', 'filter')}, ${rule('filter')}, ${table('ip6', 'nat')}]}`;
    const r = both(text);
    expect(r.text).toEqual({ declared: ['ip filter', 'ip6 nat'], whole: true });
    expect(r.bytes).toEqual(r.text);
  });

  it('reads spaces and newlines of the text between the words', () => {
    const text = `\n {\n "nftables": [ {\t"table" :\n {\r\n "family": "inet",\n "name": "fw"}} ]\n}\n`;
    const r = both(text);
    expect(r.text).toEqual({ declared: ['inet fw'], whole: true });
    expect(r.bytes).toEqual(r.text);
  });

  it('says when a table object is not a declaration nft prints', () => {
    const text = `{"nftables": [{"table": {"name": "filter", "family": "ip"}}]}`;
    expect(both(text).text).toBeNull();
    // Read from the bytes: undecided, so the caller decodes the text.
    expect(both(text).bytes).toBeUndefined();
  });

  it('says when the document is cut short', () => {
    const text = `{"nftables": [${table('ip', 'filter')}, {"rule": `;
    const r = both(text);
    expect(r.text).toEqual({ declared: ['ip filter'], whole: false });
    expect(r.bytes).toEqual(r.text);
  });

  it('an escape that could spell a key leaves it to the text', () => {
    const text = `{"nftables": [{"\u0001table": {}}, ${table('ip', 'filter')}]}`;
    expect(both(text).bytes).toBeUndefined();
    expect(both(text).text).toEqual({ declared: ['ip filter'], whole: true });
  });

  it('a name with escapes is decoded', () => {
    const text = `{"nftables": [${table('ip', 'a/b\\tc')}]}`.replace('\\t', '\t');
    const r = both(text);
    expect(r.text).toEqual({ declared: ['ip a/b\tc'], whole: true });
    expect(r.bytes).toEqual(r.text);
  });

  it('a table object far from its brace is left to the text', () => {
    const text = `{"nftables": [{${' '.repeat(1000)}"table": {"family": "ip", "name": "filter"}}]}`;
    expect(both(text).text).toEqual({ declared: ['ip filter'], whole: true });
    expect(both(text).bytes).toBeUndefined();
  });
});
