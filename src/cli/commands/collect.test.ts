import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../model/snapshot.js';
import { collectSummary } from './collect.js';

const snap = (root: boolean, unreadable: Snapshot['unreadable']) => ({ privileges: { uid: root ? 0 : 1000, euid: root ? 0 : 1000, root }, unreadable }) as Snapshot;

describe('collectSummary', () => {
  it('is empty for a complete snapshot', () => {
    expect(collectSummary(snap(true, []))).toBe('');
  });
  it('groups what needs root in one "not root" line, then the rest', () => {
    const text = collectSummary(
      snap(false, [
        { what: 'processes of sockets', reason: 'not root: …', hint: 'run as root' },
        { what: 'nft -j list ruleset', reason: 'permission denied: run as root', hint: 'run as root' },
        { what: 'ipset save', reason: 'not installed' },
      ]),
    );
    expect(text).toBe(
      'portcullis collect: not root: could not read processes of sockets, nft -j list ruleset; run as root for a full snapshot\n' +
        'portcullis collect: could not read ipset save: not installed\n',
    );
  });
  it('caps the list', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ what: `sysctl s${i}`, reason: 'not present' }));
    const lines = collectSummary(snap(true, many)).trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[12]).toContain('8 more');
  });
});
