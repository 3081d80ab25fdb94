import { describe, expect, it } from 'vitest';
import { parseStoreLocation, redactUrl } from './db-url.js';
import { StoreError } from './errors.js';

describe('--db values', () => {
  it('a path or file: is an embedded store folder', () => {
    expect(parseStoreLocation('./portcullis-db')).toEqual({ kind: 'embedded', folder: './portcullis-db', display: './portcullis-db' });
    expect(parseStoreLocation('file:state/db')).toMatchObject({ kind: 'embedded', folder: 'state/db' });
    expect(parseStoreLocation('file:///var/lib/portcullis')).toMatchObject({ kind: 'embedded', folder: '/var/lib/portcullis' });
  });

  it('postgres:// and postgresql:// are servers, the password kept out of messages', () => {
    expect(parseStoreLocation('postgres://app:s3cret@db.example:5433/fleet')).toEqual({ kind: 'server', url: 'postgres://app:s3cret@db.example:5433/fleet', display: 'postgres://app:***@db.example:5433/fleet' });
    expect(parseStoreLocation('postgresql:///fleet?host=/run/postgresql')).toMatchObject({ kind: 'server', display: 'postgresql:///fleet?host=/run/postgresql' });
    // A socket URL with credentials, which WHATWG URL rejects: still redacted.
    expect(redactUrl('postgresql://app:s3cret@/fleet?host=/run/postgresql')).toBe('postgresql://app:***@/fleet?host=/run/postgresql');
  });

  it('anything else is refused with what is expected', () => {
    for (const bad of ['', '  ', 'file:', 'mysql://x/y', 'https://example.com/db']) {
      expect(() => parseStoreLocation(bad), bad).toThrow(StoreError);
    }
    expect(() => parseStoreLocation('mysql://u:pw@x/y')).toThrow(/unsupported scheme; expected a folder .* or postgres:\/\/user@host\/database/);
    expect(() => parseStoreLocation('mysql://u:pw@x/y')).not.toThrow(/pw/);
  });
});
