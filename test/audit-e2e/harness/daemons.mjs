/**
 * Real Debian daemons started inside a namespace from config files in a temp dir (no
 * systemd, nothing under /etc written), each in its own process group so that stopping it
 * also stops its workers and forks.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, trackChild, tryRun, untrackChild } from './exec.mjs';

/** Starts argv in namespace `ns`; returns {name, ports it must open, child (`ip netns exec …`), stderr(): its recent output}. */
function start(ns, name, argv, ports) {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both streams, last 8 KiB: redis logs to stdout, the others to stderr; shown when a daemon fails to start.
  let stderr = '';
  const keep = (d) => {
    stderr = (stderr + d).slice(-8192);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  trackChild(child);
  return { name, ports, child, stderr: () => stderr };
}

/** Stops a daemon and its process group. */

/** An nginx.conf that keeps every file nginx writes under `wd`, with one server block. */
function nginxConf(wd, server) {
  return [
    'user nobody nogroup;',
    'worker_processes 1;',
    `pid ${wd}/nginx.pid;`,
    `error_log ${wd}/error.log;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${wd}/body; proxy_temp_path ${wd}/proxy; fastcgi_temp_path ${wd}/fastcgi; uwsgi_temp_path ${wd}/uwsgi; scgi_temp_path ${wd}/scgi;`,
    `  ${server}`,
    '}',
    '',
  ].join('\n');
}

export function stopDaemon(d) {
  try {
    process.kill(-d.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  untrackChild(d.child);
}

/** `ss` in the namespace: the set of "tcp/PORT" and "udp/PORT" with a listening socket. */
export function listeningPorts(ns) {
  const out = tryRun(['ip', 'netns', 'exec', ns, 'ss', '-Hlntu']).stdout;
  const ports = new Set();
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const m = /:(\d+)$/.exec(f[4]);
    if (m) ports.add(`${f[0]}/${m[1]}`);
    // Also with the bound address ("udp/192.0.2.1:53"), for daemons sharing a port on different addresses.
    ports.add(`${f[0]}/${f[4]}`);
  }
  return ports;
}

/** Waits until every daemon's ports listen; throws naming the laggard and its stderr. */
export async function waitListening(ns, daemons, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = listeningPorts(ns);
    const missing = daemons.flatMap((d) => d.ports.filter((p) => !open.has(p)).map((p) => ({ d, p })));
    if (missing.length === 0) return;
    const dead = missing.find(({ d }) => d.child.exitCode !== null || d.child.signalCode !== null);
    if (dead || Date.now() > deadline) {
      const { d, p } = dead ?? missing[0];
      throw new Error(`daemon ${d.name} did not open ${p} in ${ns}${dead ? ' (exited)' : ''}:\n${d.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Daemon factories: each takes (ns, dir, options) and returns a started daemon.
 * `dir` is the scenario's temp dir (config files, pid files, logs).
 */
export const DAEMONS = {
  /** redis-server, `bind` e.g. "0.0.0.0" or "127.0.0.1"; protected-mode off as asked. */
  redis(ns, dir, { port, bind, password = null, protectedMode = false }) {
    const wd = join(dir, `redis-${port}`);
    run(['mkdir', '-p', wd]);
    const conf = join(wd, 'redis.conf');
    writeFileSync(conf, [`port ${port}`, `bind ${bind}`, `protected-mode ${protectedMode ? 'yes' : 'no'}`, ...(password ? [`requirepass ${password}`] : []), 'daemonize no', 'save ""', 'appendonly no', `dir ${wd}`, `pidfile ${wd}/redis.pid`, 'logfile ""', ''].join('\n'));
    return start(ns, `redis-${port}`, ['redis-server', conf], [`tcp/${port}`]);
  },
  /** memcached on TCP and UDP (`-U`), as Debian's memcached before 1.5.6 defaulted to. */
  memcached(ns, dir, { port = 11211, bind = '0.0.0.0' } = {}) {
    return start(ns, 'memcached', ['memcached', '-u', 'nobody', '-l', bind, '-p', String(port), '-U', String(port)], [`tcp/${port}`, `udp/${port}`]);
  },
  /** vsftpd, standalone, IPv4, anonymous off (or on, read-only, in an empty directory). */
  vsftpd(ns, dir, { port = 21, anonymous = false } = {}) {
    const conf = join(dir, `vsftpd-${port}.conf`);
    const anonRoot = join(dir, `ftp-anon-${port}`);
    if (anonymous) run(['mkdir', '-p', anonRoot]);
    writeFileSync(
      conf,
      ['listen=YES', 'listen_ipv6=NO', `listen_port=${port}`, 'background=NO', anonymous ? 'anonymous_enable=YES' : 'anonymous_enable=NO', ...(anonymous ? [`anon_root=${anonRoot}`, 'no_anon_password=NO'] : []), 'local_enable=YES', 'write_enable=NO', 'pam_service_name=vsftpd', 'secure_chroot_dir=/var/run/vsftpd/empty', `xferlog_enable=NO`, ''].join('\n'),
    );
    return start(ns, `vsftpd-${port}`, ['vsftpd', conf], [`tcp/${port}`]);
  },
  /** nginx-light on 80 and 443 (plain HTTP on 443: no certificate needed for the audit), both families. */
  nginx(ns, dir, { ports = [80, 443] } = {}) {
    const wd = join(dir, 'nginx');
    run(['mkdir', '-p', wd]);
    const conf = join(wd, 'nginx.conf');
    const listens = ports.flatMap((p) => [`listen 0.0.0.0:${p};`, `listen [::]:${p};`]).join(' ');
    writeFileSync(
      conf,
      nginxConf(wd, `server { ${listens} location / { return 200 "portcullis-e2e\\n"; } }`),
    );
    return start(ns, 'nginx', ['nginx', '-c', conf, '-g', 'daemon off;'], ports.map((p) => `tcp/${p}`));
  },
  /**
   * OpenSSH sshd with a throwaway host key. sshd insists on /run/sshd (privilege
   * separation): a private mount namespace gets a tmpfs /run, so the host's /run is untouched.
   */
  sshd(ns, dir, { port = 22, password = false } = {}) {
    const wd = join(dir, `sshd-${port}`);
    run(['mkdir', '-p', wd]);
    const key = join(wd, 'host_ed25519');
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const conf = join(wd, 'sshd_config');
    writeFileSync(conf, [`Port ${port}`, 'ListenAddress 0.0.0.0', 'ListenAddress ::', `HostKey ${key}`, `PidFile ${wd}/sshd.pid`, 'UsePAM no', `PasswordAuthentication ${password ? 'yes' : 'no'}`, 'KbdInteractiveAuthentication no', ''].join('\n'));
    const script = 'mount -t tmpfs tmpfs /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd -D -e -f "$1"';
    return start(ns, `sshd-${port}`, ['unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'sshd-in-netns', conf], [`tcp/${port}`]);
  },
  /**
   * nginx-light serving HTTPS with a throwaway self-signed certificate valid `days` days:
   * `protocols` is nginx's ssl_protocols; a legacy list (TLSv1, TLSv1.1) also lowers the
   * OpenSSL security level so that those handshakes can complete at all.
   */
  nginxTls(ns, dir, { port = 443, protocols = 'TLSv1.2 TLSv1.3', days = 365, name = `nginx-tls-${port}` } = {}) {
    const wd = join(dir, name);
    run(['mkdir', '-p', wd]);
    const key = join(wd, 'key.pem');
    const cert = join(wd, 'cert.pem');
    run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/CN=${name}.example`]);
    const legacy = /TLSv1(\.1)?\b(?!\.[23])/.test(protocols);
    const conf = join(wd, 'nginx.conf');
    writeFileSync(
      conf,
      nginxConf(wd, `server { listen 0.0.0.0:${port} ssl; ssl_certificate ${cert}; ssl_certificate_key ${key}; ssl_protocols ${protocols};${legacy ? ' ssl_ciphers DEFAULT:@SECLEVEL=0;' : ''} location / { return 200 "portcullis-e2e\\n"; } }`),
    );
    return start(ns, name, ['nginx', '-c', conf, '-g', 'daemon off;'], [`tcp/${port}`]);
  },
  /**
   * PostgreSQL (Debian's server binaries, run as the postgres user) on its own throwaway
   * cluster: `auth` is the pg_hba method for every remote client ("trust" lets anyone in,
   * "scram-sha-256" asks for a password). No TLS: SSLRequest is answered N.
   */
  postgres(ns, dir, { port = 5432, auth = 'scram-sha-256' } = {}) {
    const version = readdirSync('/usr/lib/postgresql').sort().pop();
    const bin = `/usr/lib/postgresql/${version}/bin`;
    const wd = join(dir, `postgres-${port}`);
    run(['mkdir', '-p', wd]);
    chmodSync(dir, 0o755);
    run(['chown', 'postgres:postgres', wd]);
    run(['runuser', '-u', 'postgres', '--', `${bin}/initdb`, '-D', `${wd}/data`, '-A', 'trust', '--username=postgres', '--no-sync', '-E', 'UTF8']);
    writeFileSync(`${wd}/data/pg_hba.conf`, `local all all trust\nhost all all 0.0.0.0/0 ${auth}\nhost all all ::/0 ${auth}\n`);
    return start(ns, `postgres-${port}`, ['runuser', '-u', 'postgres', '--', `${bin}/postgres`, '-D', `${wd}/data`, '-p', String(port), '-k', wd, '-c', 'listen_addresses=0.0.0.0', '-c', 'ssl=off'], [`tcp/${port}`]);
  },
  /**
   * MariaDB (Debian's mariadbd) on a throwaway data directory, as the mysql user. One remote
   * account `app`@`%` with a random password exists (without any, the server answers a
   * non-local client "Host … is not allowed to connect" instead of its handshake); no
   * reverse DNS of clients (a lookup would leave the namespace and delay the handshake); `tls`
   * gives it a self-signed certificate, so the handshake offers CLIENT_SSL.
   */
  mariadb(ns, dir, { port = 3306, tls = false }) {
    const wd = join(dir, `mariadb-${port}`);
    run(['mkdir', '-p', wd]);
    chmodSync(dir, 0o755);
    const small = ['--innodb-buffer-pool-size=8M', '--innodb-log-file-size=4M'];
    run(['mariadb-install-db', '--no-defaults', `--datadir=${wd}/data`, '--user=mysql', '--auth-root-authentication-method=socket', '--skip-test-db', ...small]);
    const init = join(wd, 'init.sql');
    writeFileSync(init, `CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY '${randomBytes(12).toString('hex')}';\n`);
    const tlsArgs = [];
    if (tls) {
      run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${wd}/key.pem`, '-out', `${wd}/cert.pem`, '-days', '30', '-subj', `/CN=mariadb-${port}.example`]);
      tlsArgs.push(`--ssl-cert=${wd}/cert.pem`, `--ssl-key=${wd}/key.pem`);
    }
    run(['chown', '-R', 'mysql:mysql', wd]);
    const argv = ['mariadbd', '--no-defaults', '--user=mysql', `--datadir=${wd}/data`, `--port=${port}`, '--bind-address=0.0.0.0', `--socket=${wd}/mysqld.sock`, `--pid-file=${wd}/mysqld.pid`, `--init-file=${init}`, '--skip-name-resolve', ...small, ...tlsArgs];
    return start(ns, `mariadb-${port}`, argv, [`tcp/${port}`]);
  },
  /**
   * unbound as a recursive resolver on `address`:53 (UDP), answering everyone (`access`
   * "allow") or refusing everyone ("refuse"). It never sends a query anywhere:
   * do-not-query-address covers every address, and its root hints name a documentation
   * address, so a recursive query ends in SERVFAIL at once, as an open resolver cut off upstream.
   */
  unbound(ns, dir, { address, access }) {
    const wd = join(dir, `unbound-${address}`);
    run(['mkdir', '-p', wd]);
    writeFileSync(join(wd, 'root.hints'), '. 3600 IN NS a.root.test.\na.root.test. 3600 IN A 192.0.2.53\n');
    const conf = join(wd, 'unbound.conf');
    writeFileSync(
      conf,
      ['server:', `  interface: ${address}`, '  port: 53', '  do-tcp: no', '  chroot: ""', '  username: ""', `  directory: "${wd}"`, `  pidfile: "${wd}/unbound.pid"`, '  use-syslog: no', '  logfile: ""', `  access-control: 0.0.0.0/0 ${access}`, `  access-control: ::/0 ${access}`, '  do-not-query-address: 0.0.0.0/0', '  do-not-query-address: ::/0', '  do-not-query-localhost: yes', `  root-hints: "${wd}/root.hints"`, 'remote-control:', '  control-enable: no', ''].join('\n'),
    );
    return start(ns, `unbound-${address}`, ['unbound', '-d', '-c', conf], [`udp/${address}:53`]);
  },
  /**
   * inetutils telnetd, started per connection by socat as inetd would (the socket as its
   * stdin/stdout). telnetd always looks the client's name up: a private mount namespace
   * gives it an nsswitch.conf with "hosts: files", so no DNS query leaves the namespace.
   */
  telnetd(ns, dir, { port = 23 } = {}) {
    const nsswitch = join(dir, `telnetd-${port}-nsswitch.conf`);
    writeFileSync(nsswitch, 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n');
    const script = 'mount --bind "$1" /etc/nsswitch.conf && exec socat "TCP4-LISTEN:$2,reuseaddr,fork" EXEC:/usr/sbin/telnetd,nofork';
    return start(ns, `telnetd-${port}`, ['unshare', '-m', '--propagation', 'private', 'sh', '-c', script, 'telnetd-in-netns', nsswitch, String(port)], [`tcp/${port}`]);
  },
  /**
   * Exim (Debian's exim4-daemon-light, GnuTLS) accepting SMTP on `port` with STARTTLS and a
   * throwaway certificate, refusing every recipient (nothing is ever queued or delivered).
   * `gnutlsPriority` is its tls_require_ciphers (default: Debian's, which still takes TLS 1.0
   * and 1.1). No host or ident lookups: nothing leaves the namespace.
   */
  exim(ns, dir, { port = 25, gnutlsPriority = null } = {}) {
    const wd = join(dir, `exim-${port}`);
    run(['mkdir', '-p', `${wd}/spool`, `${wd}/log`]);
    chmodSync(dir, 0o755);
    run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${wd}/key.pem`, '-out', `${wd}/cert.pem`, '-days', '30', '-subj', `/CN=mail-${port}.example`]);
    const conf = join(wd, 'exim.conf');
    writeFileSync(
      conf,
      ['primary_hostname = mail.example', `daemon_smtp_ports = ${port}`, 'local_interfaces = 0.0.0.0', 'host_lookup =', 'rfc1413_hosts =', 'tls_advertise_hosts = *', `tls_certificate = ${wd}/cert.pem`, `tls_privatekey = ${wd}/key.pem`, ...(gnutlsPriority ? [`tls_require_ciphers = ${gnutlsPriority}`] : []), `spool_directory = ${wd}/spool`, `log_file_path = ${wd}/log/%slog`, 'acl_smtp_rcpt = acl_check_rcpt', 'begin acl', 'acl_check_rcpt:', '  deny', ''].join('\n'),
    );
    // Exim insists on a root-owned configuration; the rest belongs to its user.
    run(['chown', '-R', 'Debian-exim:Debian-exim', `${wd}/spool`, `${wd}/log`, `${wd}/key.pem`, `${wd}/cert.pem`]);
    return start(ns, `exim-${port}`, ['/usr/sbin/exim4', '-C', conf, '-bdf'], [`tcp/${port}`]);
  },
  /**
   * socat answering "pong" on a TCP port: `listen` is "tcp4" (IPv4 only) or "dual"
   * (one IPv6 socket taking IPv4 too, as most daemons bind "::").
   */
  socat(ns, dir, { port, listen = 'tcp4', name = `socat-${port}` }) {
    const addr = listen === 'dual' ? `TCP6-LISTEN:${port},ipv6only=0,reuseaddr,fork` : `TCP4-LISTEN:${port},reuseaddr,fork`;
    return start(ns, name, ['socat', addr, 'SYSTEM:echo pong'], [`tcp/${port}`]);
  },
};
