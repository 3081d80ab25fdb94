import { describe, expect, it } from 'vitest';
import { effectiveUidOfStatus, parsePasswd } from './passwd.js';

describe('passwd', () => {
  it('maps uids to the first name', () => {
    const m = parsePasswd('root:x:0:0:root:/root:/bin/bash\n#comment\nnobody:x:65534:65534::/:/usr/sbin/nologin\ntoor:x:0:0::/:/bin/sh\nbroken\n');
    expect([...m]).toEqual([
      [0, 'root'],
      [65534, 'nobody'],
    ]);
  });
  it('reads the effective uid from /proc/<pid>/status', () => {
    expect(effectiveUidOfStatus('Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t1\t1\t1\t1\n')).toBe(0);
    expect(effectiveUidOfStatus('Name:\tx\n')).toBeNull();
  });
});
