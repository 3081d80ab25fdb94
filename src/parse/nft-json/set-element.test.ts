import { describe, expect, it } from 'vitest';
import { parseNftJson } from './parse.js';
import { SetElement } from './set-element.js';

describe('set elements', () => {
  it('spell their JSON path when asked, and hold no data or timeout unless given', () => {
    const e = new SetElement('192.0.2.1', '$.nftables[3].set', 7);
    expect(e.path).toBe('$.nftables[3].set.elem[7]');
    expect(Object.keys(e)).toEqual(['key']);
    expect(e.data).toBeUndefined();
  });

  it('keep the paths of a parsed set, wrapped and bare, and bad map elements are named by path', () => {
    const doc = {
      nftables: [
        { table: { family: 'inet', name: 't' } },
        { set: { family: 'inet', table: 't', name: 's', type: 'ipv4_addr', elem: ['192.0.2.1', { elem: { val: '192.0.2.2', timeout: 60 } }] } },
        { map: { family: 'inet', table: 't', name: 'm', type: 'ifname', map: 'verdict', elem: [['lo', { accept: null }], 'bad'] } },
      ],
    };
    const r = parseNftJson(JSON.stringify(doc), 'f');
    const [s, m] = r.value.sets;
    expect(s!.elem.map((e) => [e.key, e.path, e.timeout])).toEqual([
      ['192.0.2.1', '$.nftables[1].set.elem[0]', undefined],
      ['192.0.2.2', '$.nftables[1].set.elem[1]', 60],
    ]);
    expect(m!.elem.map((e) => [e.key, e.data, e.path])).toEqual([['lo', { accept: null }, '$.nftables[2].map.elem[0]']]);
    expect(r.diagnostics.map((d) => d.location?.path)).toEqual(['$.nftables[2].map.elem[1]']);
  });
});
