import { describe, expect, it } from 'vitest';
import { snapshotToReadEarly } from './early-snapshot.js';

const argv = (...args: string[]) => ['node', 'portcullis', ...args];

describe('snapshotToReadEarly', () => {
  it('names the one snapshot a command line gives, in either spelling', () => {
    expect(snapshotToReadEarly(argv('explain', '--snapshot', 'host.json', '--from', '203.0.113.7', '--port', '22/tcp'))).toBe('host.json');
    expect(snapshotToReadEarly(argv('audit', '--format', 'json', '--snapshot=/tmp/a b.json'))).toBe('/tmp/a b.json');
    expect(snapshotToReadEarly(argv('audit', '--snapshot', 'host.json'))).toBe('host.json');
  });

  it('names none for stdin, a list of snapshots, the option twice, a missing value, or after --', () => {
    expect(snapshotToReadEarly(argv('audit'))).toBeNull();
    expect(snapshotToReadEarly(argv('explain', '--snapshot', '-', '--from', 'x'))).toBeNull();
    expect(snapshotToReadEarly(argv('audit', '--snapshot', 'a.json', 'b.json'))).toBeNull();
    expect(snapshotToReadEarly(argv('audit', '--snapshot', 'a.json', '--snapshot', 'b.json'))).toBeNull();
    expect(snapshotToReadEarly(argv('audit', '--snapshot'))).toBeNull();
    expect(snapshotToReadEarly(argv('audit', '--snapshot', '--format', 'json'))).toBeNull();
    expect(snapshotToReadEarly(argv('audit', '--snapshot='))).toBeNull();
    expect(snapshotToReadEarly(argv('logs', '--', '--snapshot', 'a.json'))).toBeNull();
  });
});
