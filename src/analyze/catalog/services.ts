/**
 * Service knowledge as data: which port or process is which service, and why it is risky
 * when reachable. Checks never hard-code a port; they read the risk classes here.
 *
 * Severities are for reachability from the world (or wide public ranges); checks lower them
 * for narrower exposure. Remote shells (SSH) are `high`, admin panels `critical`: SSH is
 * built to face the network, a web admin panel is not.
 *
 * @module
 */
import type { RiskClass, Severity } from '../audit/types.js';

export interface PortSpec {
  proto: 'tcp' | 'udp';
  from: number;
  /** Inclusive; equal to `from` when absent. */
  to?: number;
}

export interface RiskSpec {
  class: RiskClass;
  reason: string;
  alternative?: string;
  severity: Severity;
  /** A config line or command that removes the risk without closing the port. */
  fix?: string;
}

export interface ServiceEntry {
  id: string;
  label: string;
  ports: PortSpec[];
  /** Process names (the kernel's comm, at most 15 characters). */
  processes?: string[];
  /** Matched against the joined command line, for services run by an interpreter (perl, java, php). */
  cmdline?: RegExp;
  /** Chosen when the process matches but the port matches no entry of that process. */
  fallback?: boolean;
  risks: RiskSpec[];
  /** How to keep it on loopback. */
  localOnly?: string;
}

const tcp = (from: number, to?: number): PortSpec => (to === undefined ? { proto: 'tcp', from } : { proto: 'tcp', from, to });
const udp = (from: number, to?: number): PortSpec => (to === undefined ? { proto: 'udp', from } : { proto: 'udp', from, to });

const MAIL_STORES = ['dovecot', 'imap-login', 'pop3-login', 'cyrus-imapd', 'courier-imapd'];
const MTAS = ['master', 'smtpd', 'exim4', 'exim', 'sendmail', 'opensmtpd'];
const WEB_SERVERS = ['nginx', 'apache2', 'httpd', 'lighttpd', 'caddy', 'haproxy', 'traefik', 'envoy'];

function datastore(what: string, alternative: string): RiskSpec {
  return { class: 'unauthenticated-datastore', severity: 'critical', reason: what, alternative };
}

function amplification(factor: string, severity: Severity = 'high'): RiskSpec {
  return {
    class: 'amplification',
    severity,
    reason: `answers small spoofed UDP queries with large replies (${factor}), so attackers use it to flood third parties`,
    alternative: 'answer only the networks that need it (firewall allowlist) or turn the UDP service off',
  };
}

/**
 * Processes that only relay a port for something else (a container, a user namespace): their
 * name says nothing about the service, so the port decides.
 */
export const RELAY_PROCESSES: ReadonlySet<string> = new Set(['docker-proxy', 'rootlesskit', 'slirp4netns', 'pasta', 'containerd-shim', 'conmon']);

export const SERVICES: readonly ServiceEntry[] = [
  // Cleartext logins.
  {
    id: 'telnet', label: 'Telnet', ports: [tcp(23)], processes: ['telnetd', 'in.telnetd', 'utelnetd'],
    risks: [{ class: 'cleartext-credentials', severity: 'high', reason: 'sends the password and the whole session in clear text', alternative: 'SSH' }],
  },
  {
    id: 'ftp', label: 'FTP', ports: [tcp(20, 21)], processes: ['vsftpd', 'proftpd', 'pure-ftpd', 'in.ftpd', 'ftpd'],
    risks: [{ class: 'cleartext-credentials', severity: 'high', reason: 'sends user names and passwords in clear text (unless every client is forced to use FTPS)', alternative: 'SFTP (over SSH) or FTPS with ssl_enable=YES and force_local_logins_ssl=YES' }],
    localOnly: 'listen_address=127.0.0.1  # in vsftpd.conf',
  },
  {
    id: 'tftp', label: 'TFTP', ports: [udp(69)], processes: ['in.tftpd', 'tftpd', 'atftpd'],
    risks: [{ class: 'cleartext-credentials', severity: 'high', reason: 'has no authentication at all: anyone who reaches it reads (and often writes) its files', alternative: 'SFTP or HTTPS for file transfer; keep TFTP on the provisioning network only' }],
  },
  {
    id: 'rsh', label: 'rsh/rlogin/rexec', ports: [tcp(512, 514)], processes: ['in.rshd', 'in.rlogind', 'in.rexecd', 'rshd', 'rlogind', 'rexecd'],
    risks: [{ class: 'cleartext-credentials', severity: 'critical', reason: 'trusts host names (.rhosts) or sends passwords in clear text', alternative: 'SSH' }],
  },
  {
    id: 'http', label: 'HTTP', ports: [tcp(80), tcp(8080), tcp(8000), tcp(8008), tcp(8081), tcp(8888), tcp(3000), tcp(5000)], processes: WEB_SERVERS,
    risks: [{ class: 'cleartext-credentials', severity: 'low', reason: 'plain HTTP carries any login form, cookie or API token in clear text', alternative: 'HTTPS (redirect port 80 to 443; serve logins only over TLS)', fix: 'return 301 https://$host$request_uri;  # nginx: the port-80 server block (Apache: Redirect permanent / https://HOST/)' }],
  },
  { id: 'https', label: 'HTTPS', ports: [tcp(443), tcp(8443), udp(443)], processes: WEB_SERVERS, risks: [] },
  { id: 'web-server', label: 'Web server', ports: [], processes: WEB_SERVERS, fallback: true, risks: [] },
  {
    id: 'pop3', label: 'POP3', ports: [tcp(110)], processes: MAIL_STORES,
    risks: [{ class: 'cleartext-credentials', severity: 'high', reason: 'sends mailbox passwords in clear text unless every client uses STLS', alternative: 'POP3S on 995 (or require STLS: disable_plaintext_auth = yes in Dovecot)', fix: 'disable_plaintext_auth = yes  # in /etc/dovecot/conf.d/10-auth.conf' }],
  },
  {
    id: 'imap', label: 'IMAP', ports: [tcp(143)], processes: MAIL_STORES, fallback: true,
    risks: [{ class: 'cleartext-credentials', severity: 'high', reason: 'sends mailbox passwords in clear text unless every client uses STARTTLS', alternative: 'IMAPS on 993 (or require STARTTLS: disable_plaintext_auth = yes in Dovecot)', fix: 'disable_plaintext_auth = yes  # in /etc/dovecot/conf.d/10-auth.conf' }],
  },
  { id: 'pop3s', label: 'POP3S', ports: [tcp(995)], processes: MAIL_STORES, risks: [] },
  { id: 'imaps', label: 'IMAPS', ports: [tcp(993)], processes: MAIL_STORES, risks: [] },
  {
    id: 'smtp', label: 'SMTP', ports: [tcp(25)], processes: MTAS, fallback: true,
    risks: [{ class: 'cleartext-credentials', severity: 'info', reason: 'whether it offers STARTTLS (and refuses AUTH without it) cannot be known from the firewall and the sockets: check the server configuration', alternative: 'smtpd_tls_auth_only = yes (Postfix); submission on 587 with STARTTLS or 465 with TLS for clients', fix: 'postconf -e smtpd_tls_auth_only=yes' }],
  },
  { id: 'submission', label: 'SMTP submission', ports: [tcp(587), tcp(465)], processes: MTAS, risks: [] },
  {
    id: 'ldap', label: 'LDAP', ports: [tcp(389)], processes: ['slapd', 'ns-slapd'],
    risks: [{ class: 'cleartext-credentials', severity: 'medium', reason: 'simple binds send the password in clear text unless StartTLS is enforced', alternative: 'LDAPS on 636 or enforce StartTLS (olcSecurity: tls=1)', fix: 'olcSecurity: tls=1  # cn=config (ldapmodify), or security tls=1 in slapd.conf' }],
  },
  {
    id: 'cldap', label: 'CLDAP (LDAP over UDP)', ports: [udp(389)],
    risks: [amplification('about 50-70x')],
  },
  { id: 'ldaps', label: 'LDAPS', ports: [tcp(636)], risks: [] },
  {
    id: 'snmp', label: 'SNMP', ports: [udp(161, 162), tcp(161, 162)], processes: ['snmpd', 'snmptrapd'],
    risks: [
      { class: 'cleartext-credentials', severity: 'high', reason: 'SNMP v1/v2c community strings travel in clear text and often allow reading the whole device state', alternative: 'SNMPv3 with authPriv (createUser … SHA … AES)' },
      amplification('up to 6x with GetBulk'),
    ],
    localOnly: 'agentAddress udp:127.0.0.1:161  # in snmpd.conf',
  },
  {
    id: 'vnc', label: 'VNC', ports: [tcp(5900, 5910)], processes: ['Xvnc', 'x11vnc', 'vncserver', 'Xtigervnc', 'Xtightvnc', 'wayvnc'],
    risks: [
      { class: 'remote-admin', severity: 'critical', reason: 'a remote desktop: whoever guesses the (at most 8 character) VNC password controls the session', alternative: 'tunnel it over SSH (ssh -L 5901:localhost:5901) and bind VNC to localhost' },
      { class: 'cleartext-credentials', severity: 'high', reason: 'the classic VNC protocol does not encrypt the session and its DES challenge is easy to crack', alternative: 'VNC over SSH or a VeNCrypt/TLS-only server' },
    ],
    localOnly: 'vncserver -localhost yes  # or Xvnc -localhost',
  },

  // Data stores that answer without authentication by default.
  {
    id: 'redis', label: 'Redis', ports: [tcp(6379), tcp(16379)], processes: ['redis-server', 'valkey-server', 'keydb-server'],
    risks: [datastore('answers without a password by default; CONFIG SET lets a client write files on the host', 'bind 127.0.0.1 and requirepass (or ACLs), TLS for remote clients')],
    localOnly: 'bind 127.0.0.1 ::1  # in redis.conf',
  },
  {
    id: 'mongodb', label: 'MongoDB', ports: [tcp(27017, 27019)], processes: ['mongod', 'mongos'],
    risks: [datastore('older and misconfigured servers accept clients without authentication', 'security.authorization: enabled and net.bindIp: 127.0.0.1')],
    localOnly: 'net.bindIp: 127.0.0.1  # in mongod.conf',
  },
  {
    id: 'elasticsearch', label: 'Elasticsearch/OpenSearch', ports: [tcp(9200), tcp(9300)], cmdline: /org\.elasticsearch|org\.opensearch|elasticsearch|opensearch/i,
    risks: [datastore('the HTTP API reads and deletes every index when security is off (the default before 8.0)', 'xpack.security.enabled: true (or the OpenSearch security plugin) and network.host: 127.0.0.1')],
    localOnly: 'network.host: 127.0.0.1  # in elasticsearch.yml',
  },
  {
    id: 'memcached', label: 'memcached', ports: [tcp(11211)], processes: ['memcached'],
    risks: [datastore('has no authentication unless built with SASL: anyone reads and overwrites the cache', 'listen on 127.0.0.1 (-l 127.0.0.1) or enable SASL')],
    localOnly: '-l 127.0.0.1  # in /etc/memcached.conf',
  },
  {
    id: 'memcached-udp', label: 'memcached (UDP)', ports: [udp(11211)], processes: ['memcached'],
    risks: [
      datastore('has no authentication: anyone reads and overwrites the cache', 'disable UDP (-U 0) and listen on 127.0.0.1'),
      amplification('up to 51,000x, the largest known', 'critical'),
    ],
    localOnly: '-U 0 -l 127.0.0.1  # in /etc/memcached.conf',
  },
  {
    id: 'couchdb', label: 'CouchDB', ports: [tcp(5984), tcp(6984)], cmdline: /couchdb/i,
    risks: [datastore('versions before 3.0 start in "admin party" mode (every client is admin)', 'set an admin user and bind_address = 127.0.0.1')],
    localOnly: 'bind_address = 127.0.0.1  # in local.ini, [chttpd]',
  },
  {
    id: 'cassandra', label: 'Cassandra', ports: [tcp(9042), tcp(7000, 7001), tcp(7199)], cmdline: /cassandra/i,
    risks: [datastore('the default AllowAllAuthenticator accepts every client; port 7000 is unauthenticated node-to-node traffic', 'authenticator: PasswordAuthenticator, internode encryption, and a private listen_address')],
  },
  {
    id: 'etcd', label: 'etcd', ports: [tcp(2379, 2380)], processes: ['etcd'],
    risks: [
      datastore('without client certificates anyone reads every key, Kubernetes secrets included', '--client-cert-auth --trusted-ca-file and listen on private addresses only'),
    ],
  },
  {
    id: 'rabbitmq', label: 'RabbitMQ', ports: [tcp(5672), tcp(25672)], cmdline: /rabbit/i, fallback: true,
    risks: [
      datastore('the management API (15672) and AMQP (5672) accept the guest account on old versions and brute force on all', 'remove the guest user, use TLS (5671/15671) and bind to private addresses'),
    ],
  },
  {
    id: 'mysql', label: 'MySQL/MariaDB', ports: [tcp(3306), tcp(33060)], processes: ['mysqld', 'mariadbd', 'mysqld_safe'],
    risks: [datastore('a password prompt on the internet is brute-forced around the clock, and root@% accounts are common', 'bind-address = 127.0.0.1 and reach it through an SSH tunnel or a VPN')],
    localOnly: 'bind-address = 127.0.0.1  # in my.cnf, [mysqld]',
  },
  {
    id: 'postgresql', label: 'PostgreSQL', ports: [tcp(5432)], processes: ['postgres', 'postmaster'],
    risks: [datastore('a password prompt on the internet is brute-forced around the clock; "trust" lines in pg_hba.conf need no password at all', "listen_addresses = 'localhost' and reach it through an SSH tunnel or a VPN")],
    localOnly: "listen_addresses = 'localhost'  # in postgresql.conf",
  },

  // Container and cluster APIs: reaching them is root on the host.
  {
    id: 'docker-api', label: 'Docker Engine API', ports: [tcp(2375, 2376)], processes: ['dockerd'],
    risks: [{ class: 'container-api', severity: 'critical', reason: 'the Docker API starts privileged containers: reaching it is root on the host (2375 has no authentication at all)', alternative: 'the local socket (unix:///var/run/docker.sock) or SSH (DOCKER_HOST=ssh://host); TLS client certificates on 2376 at least' }],
    localOnly: '# remove -H tcp://0.0.0.0:2375 from the dockerd command line (systemctl edit docker) and "hosts" from /etc/docker/daemon.json',
  },
  {
    id: 'kubelet', label: 'kubelet API', ports: [tcp(10250), tcp(10255)], processes: ['kubelet'],
    risks: [{ class: 'container-api', severity: 'critical', reason: 'the kubelet runs commands in every pod of the node; 10255 is read-only but unauthenticated', alternative: 'authentication.anonymous.enabled: false, authorization.mode: Webhook, readOnlyPort: 0' }],
  },

  // Remote administration.
  {
    id: 'ssh', label: 'SSH', ports: [tcp(22)], processes: ['sshd', 'dropbear', 'sshd-session'],
    risks: [{ class: 'remote-admin', severity: 'high', reason: 'a login prompt for the whole host: brute-forced around the clock when open to the world', alternative: 'allow only the admin networks (or a VPN), keys only (PasswordAuthentication no)' }],
  },
  {
    id: 'rdp', label: 'RDP', ports: [tcp(3389), udp(3389)], processes: ['xrdp', 'gnome-remote-de', 'grdctl'],
    risks: [{ class: 'remote-admin', severity: 'critical', reason: 'a remote desktop login: a favourite of ransomware crews (brute force and pre-auth bugs)', alternative: 'reach it through a VPN or an SSH tunnel only' }],
  },
  {
    id: 'webmin', label: 'Webmin', ports: [tcp(10000)], processes: ['miniserv.pl'], cmdline: /webmin|miniserv/i,
    risks: [{ class: 'remote-admin', severity: 'critical', reason: 'root-level web administration of the host, with a history of pre-auth exploits', alternative: 'bind=127.0.0.1 in /etc/webmin/miniserv.conf and reach it over SSH' }],
    localOnly: 'bind=127.0.0.1  # in /etc/webmin/miniserv.conf',
  },
  {
    id: 'cockpit', label: 'Cockpit', ports: [tcp(9090)], processes: ['cockpit-ws', 'cockpit-tls'],
    risks: [{ class: 'remote-admin', severity: 'critical', reason: 'web administration of the host (terminal included) behind the system login', alternative: 'allow only admin networks, or ListenStream=127.0.0.1:9090 in a cockpit.socket drop-in' }],
    localOnly: 'ListenStream=127.0.0.1:9090  # systemctl edit cockpit.socket (after an empty ListenStream=)',
  },
  {
    id: 'phpmyadmin', label: 'phpMyAdmin', ports: [], cmdline: /phpmyadmin/i,
    risks: [{ class: 'remote-admin', severity: 'critical', reason: 'database administration over the web: brute-forced and exploited at scale', alternative: 'restrict it to admin networks in the web server (Require ip …) or remove it' }],
  },
  {
    id: 'netdata', label: 'Netdata', ports: [tcp(19999)], processes: ['netdata'],
    risks: [{ class: 'remote-admin', severity: 'critical', reason: 'an unauthenticated dashboard of every process, connection and metric of the host', alternative: 'bind to = 127.0.0.1 in netdata.conf ([web]) and a reverse proxy with authentication' }],
    localOnly: 'bind to = 127.0.0.1  # in netdata.conf, [web]',
  },
  {
    id: 'bacula', label: 'Bacula', ports: [tcp(9101, 9103)], processes: ['bacula-dir', 'bacula-fd', 'bacula-sd', 'bareos-dir', 'bareos-fd', 'bareos-sd'],
    risks: [{ class: 'remote-admin', severity: 'critical', reason: 'backup director and daemons read and restore every file of the host', alternative: 'allow only the backup server; TLS with certificates (TLS Require = yes)' }],
  },
  {
    id: 'rabbitmq-management', label: 'RabbitMQ management', ports: [tcp(15672)], cmdline: /rabbit/i,
    risks: [{ class: 'remote-admin', severity: 'critical', reason: 'web administration of the broker (the guest account works on old versions)', alternative: 'management.tcp.ip = 127.0.0.1 and remove the guest user' }],
  },

  // Infrastructure services that amplify.
  { id: 'dns', label: 'DNS', ports: [udp(53), tcp(53)], processes: ['named', 'dnsmasq', 'unbound', 'pdns_server', 'pdns_recursor', 'knotd', 'coredns', 'systemd-resolve'], risks: [amplification('up to 50x for open resolvers; ANY and DNSSEC answers')] },
  { id: 'ntp', label: 'NTP', ports: [udp(123)], processes: ['ntpd', 'chronyd', 'openntpd', 'systemd-timesyn'], risks: [amplification('up to 550x with monlist on old ntpd')] },
  { id: 'ssdp', label: 'SSDP (UPnP)', ports: [udp(1900)], processes: ['minissdpd', 'miniupnpd'], risks: [amplification('about 30x')] },
  { id: 'mdns', label: 'mDNS', ports: [udp(5353)], processes: ['avahi-daemon'], risks: [amplification('about 10x, and it leaks host and service names', 'medium')] },
  { id: 'chargen', label: 'chargen', ports: [udp(19), tcp(19)], risks: [amplification('about 350x')] },
  { id: 'qotd', label: 'QOTD', ports: [udp(17), tcp(17)], risks: [amplification('about 140x')] },
  { id: 'rpcbind', label: 'rpcbind', ports: [udp(111), tcp(111)], processes: ['rpcbind', 'portmap'], risks: [amplification('about 28x, and it lists every RPC service', 'medium')] },
];
