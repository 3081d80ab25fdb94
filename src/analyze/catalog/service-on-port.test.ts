import { describe, expect, it } from 'vitest';
import { SERVICES, type ServiceEntry, serviceOnPort } from './index.js';

/** What the index replaces: the first entry, in catalog order, with a port spec that covers the port. */
const scan = (proto: 'tcp' | 'udp', port: number): ServiceEntry | undefined =>
  SERVICES.find((e) => e.ports.some((p) => p.proto === proto && port >= p.from && port <= (p.to ?? p.from)));

describe('serviceOnPort', () => {
  it('answers as a scan of the catalog for every port of both protocols', () => {
    let known = 0;
    for (const proto of ['tcp', 'udp'] as const) {
      for (let port = 0; port < 65536; port++) {
        const want = scan(proto, port);
        if (serviceOnPort(proto, port) !== want) expect.fail(`${proto}/${port}: ${serviceOnPort(proto, port)?.id} instead of ${want?.id}`);
        if (want) known++;
      }
    }
    // The catalog knows dozens of ports: an index that found none would also agree with a broken scan.
    expect(known).toBeGreaterThan(40);
  });

  it('keeps the first entry in catalog order where two list the same port', () => {
    expect(serviceOnPort('tcp', 22)?.id).toBe('ssh');
    expect(serviceOnPort('udp', 11211)?.id).toBe('memcached-udp');
  });

  it('answers ports outside 0-65535 as the scan does (none)', () => {
    expect(serviceOnPort('tcp', 70000)).toBeUndefined();
    expect(serviceOnPort('tcp', -1)).toBeUndefined();
  });
});
