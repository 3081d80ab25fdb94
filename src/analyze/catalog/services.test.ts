import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../model/snapshot.js';
import { SERVICES, identifyService } from './index.js';

const proc = (name: string, ...cmdline: string[]): ProcessInfo => ({ pid: 1, name, cmdline: cmdline.length ? cmdline : [name], user: null });
const id = (proto: 'tcp' | 'udp', port: number, p: ProcessInfo | null = null) => identifyService(proto, port, p);

describe('identifyService by port', () => {
  const cases: [string, 'tcp' | 'udp', number][] = [
    ['telnet', 'tcp', 23], ['ftp', 'tcp', 20], ['ftp', 'tcp', 21], ['http', 'tcp', 80], ['http', 'tcp', 8080], ['http', 'tcp', 8000],
    ['pop3', 'tcp', 110], ['imap', 'tcp', 143], ['smtp', 'tcp', 25], ['ldap', 'tcp', 389], ['snmp', 'udp', 161], ['snmp', 'udp', 162],
    ['rsh', 'tcp', 512], ['rsh', 'tcp', 513], ['rsh', 'tcp', 514], ['vnc', 'tcp', 5900], ['vnc', 'tcp', 5901], ['tftp', 'udp', 69],
    ['redis', 'tcp', 6379], ['mongodb', 'tcp', 27017], ['elasticsearch', 'tcp', 9200], ['elasticsearch', 'tcp', 9300],
    ['memcached', 'tcp', 11211], ['memcached-udp', 'udp', 11211], ['couchdb', 'tcp', 5984], ['cassandra', 'tcp', 9042], ['cassandra', 'tcp', 7000],
    ['etcd', 'tcp', 2379], ['etcd', 'tcp', 2380], ['docker-api', 'tcp', 2375], ['docker-api', 'tcp', 2376], ['kubelet', 'tcp', 10250], ['kubelet', 'tcp', 10255],
    ['rabbitmq-management', 'tcp', 15672], ['rabbitmq', 'tcp', 5672], ['mysql', 'tcp', 3306], ['postgresql', 'tcp', 5432],
    ['ssh', 'tcp', 22], ['rdp', 'tcp', 3389], ['netdata', 'tcp', 19999], ['bacula', 'tcp', 9101], ['bacula', 'tcp', 9103], ['webmin', 'tcp', 10000], ['cockpit', 'tcp', 9090],
    ['dns', 'udp', 53], ['ntp', 'udp', 123], ['ssdp', 'udp', 1900], ['cldap', 'udp', 389], ['chargen', 'udp', 19], ['qotd', 'udp', 17], ['mdns', 'udp', 5353],
  ];
  it.each(cases)('%s on %s/%i', (name, proto, port) => {
    const out = id(proto, port);
    expect(out.name).toBe(name);
    expect(out.by).toBe('port');
  });

  it('9200 is Elasticsearch, never "wap-wsp"', () => expect(id('tcp', 9200).label).toBe('Elasticsearch/OpenSearch'));
});

describe('identifyService by process', () => {
  it('redis-server on 7000 is Redis, not Cassandra', () => expect(id('tcp', 7000, proc('redis-server'))).toMatchObject({ name: 'redis', by: 'process' }));
  it('sshd on 2222 is SSH', () => expect(id('tcp', 2222, proc('sshd'))).toMatchObject({ name: 'ssh', by: 'process' }));
  it('nginx on 80 is HTTP, on 443 HTTPS, elsewhere a web server', () => {
    expect(id('tcp', 80, proc('nginx')).name).toBe('http');
    expect(id('tcp', 443, proc('nginx')).name).toBe('https');
    expect(id('tcp', 9443, proc('nginx')).name).toBe('web-server');
  });
  it.each([
    ['apache2', 'web-server'], ['httpd', 'web-server'], ['vsftpd', 'ftp'], ['proftpd', 'ftp'], ['memcached', 'memcached'], ['mongod', 'mongodb'],
    ['mysqld', 'mysql'], ['mariadbd', 'mysql'], ['postgres', 'postgresql'], ['etcd', 'etcd'], ['dockerd', 'docker-api'], ['kubelet', 'kubelet'],
  ])('%s on an unusual port is %s', (name, service) => {
    expect(id('tcp', 40001, proc(name)).name).toBe(service);
  });
  it('memcached over UDP stays the UDP entry', () => expect(id('udp', 11311, proc('memcached')).name).toBe('memcached-udp'));
  it('dovecot on 110 is POP3, on 993 IMAPS, elsewhere IMAP', () => {
    expect(id('tcp', 110, proc('dovecot')).name).toBe('pop3');
    expect(id('tcp', 993, proc('dovecot')).name).toBe('imaps');
    expect(id('tcp', 1143, proc('dovecot')).name).toBe('imap');
  });
  it('interpreters by command line: java running Elasticsearch, perl running Webmin, beam running RabbitMQ', () => {
    expect(id('tcp', 9201, proc('java', '/usr/bin/java', 'org.elasticsearch.bootstrap.Elasticsearch')).name).toBe('elasticsearch');
    expect(id('tcp', 10001, proc('perl', '/usr/bin/perl', '/usr/share/webmin/miniserv.pl', '/etc/webmin/miniserv.conf')).name).toBe('webmin');
    expect(id('tcp', 15672, proc('beam.smp', '/usr/lib/erlang/erts/bin/beam.smp', '--', '-root', '/usr/lib/erlang', '-s', 'rabbit', 'boot')).name).toBe('rabbitmq-management');
    expect(id('tcp', 5672, proc('beam.smp', 'beam.smp', '-s', 'rabbit', 'boot')).name).toBe('rabbitmq');
  });
  it('docker-proxy relays a container port: the port decides', () => {
    expect(id('tcp', 6379, proc('docker-proxy', '/usr/bin/docker-proxy', '-proto', 'tcp'))).toMatchObject({ name: 'redis', by: 'port' });
  });
  it('a known process on a port of another service wins over the port', () => {
    expect(id('tcp', 3306, proc('redis-server')).name).toBe('redis');
  });
});

describe('unknown services are kept', () => {
  it('by port, with the process name as label', () => {
    expect(id('tcp', 45000, proc('node'))).toEqual({ name: 'unknown', label: 'node', by: 'unknown', risks: [] });
    expect(id('udp', 45000)).toEqual({ name: 'unknown', label: 'Unknown service', by: 'unknown', risks: [] });
  });
});

describe('the table', () => {
  it('has unique ids and every risk has a reason and a severity', () => {
    const ids = SERVICES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SERVICES) {
      for (const r of s.risks) {
        expect(r.reason.length, s.id).toBeGreaterThan(10);
        expect(['critical', 'high', 'medium', 'low', 'info']).toContain(r.severity);
        if (r.class !== 'amplification') expect(r.alternative, `${s.id} ${r.class}`).toBeTruthy();
      }
    }
  });
  it('no two entries claim the same port (the first would silently win)', () => {
    const seen = new Map<string, string>();
    for (const s of SERVICES) {
      for (const p of s.ports) {
        for (let port = p.from; port <= (p.to ?? p.from); port++) {
          const key = `${port}/${p.proto}`;
          expect(seen.get(key), `${key}: ${s.id} and ${seen.get(key)}`).toBeUndefined();
          seen.set(key, s.id);
        }
      }
    }
  });
  it('the risk classes the checks read', () => {
    expect(id('tcp', 25).risks[0]).toMatchObject({ class: 'cleartext-credentials', severity: 'info' });
    expect(id('tcp', 25).risks[0]!.reason).toMatch(/cannot be known/);
    expect(id('tcp', 23).risks[0]).toMatchObject({ class: 'cleartext-credentials', alternative: 'SSH' });
    expect(id('tcp', 6379).risks.map((r) => r.class)).toEqual(['unauthenticated-datastore']);
    expect(id('udp', 11211).risks.map((r) => r.class)).toEqual(['unauthenticated-datastore', 'amplification']);
    expect(id('tcp', 2375).risks.map((r) => r.class)).toEqual(['container-api']);
    expect(id('tcp', 22).risks[0]).toMatchObject({ class: 'remote-admin', severity: 'high' });
    expect(id('tcp', 3389).risks[0]).toMatchObject({ class: 'remote-admin', severity: 'critical' });
    expect(id('udp', 161).risks.map((r) => r.class)).toEqual(['cleartext-credentials', 'amplification']);
    expect(id('tcp', 6379).localOnly).toMatch(/^bind 127\.0\.0\.1/);
  });
});
