/**
 * A fleet of namespace hosts running the real Debian sshd, for `collect --ssh` tests and
 * bench/fleet-ssh.mjs (root). One client namespace holds a bridge; each host namespace
 * hangs off it with one address of 198.18.0.0/24 (RFC 2544 benchmark range) and runs its
 * own sshd with its own host key. Everything lives in a temp dir: the client key, a
 * known_hosts of every host key, and an ssh_config for `ssh -F` (IdentityAgent none, so
 * the caller's agent and ~/.ssh are never used). Host key checking stays on.
 *
 * Each sshd runs in a private mount namespace with a tmpfs /run (sshd needs /run/sshd),
 * and, with `users`, private copies of /etc/passwd, /etc/group, /etc/shadow and
 * /etc/sudoers bind-mounted over the real ones: users "fleet" (sudo needs a password) and
 * "fleetnp" (sudo without one) exist only there; the host's /etc is never written.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, trackChild, trackDir, trackNamespace, tryRun, untrackChild, untrackDir, untrackNamespace } from '../../audit-e2e/harness/exec.mjs';

export const FLEET_SUBNET = '198.18.0';
export const CLIENT_ADDRESS = `${FLEET_SUBNET}.1`;
/** An address of the subnet that no host holds: connections to it get no answer. */
export const ABSENT_ADDRESS = `${FLEET_SUBNET}.250`;

const ip = (ns, ...args) => run(['ip', '-n', ns, ...args]);

/** The script each sshd starts with: a private /run, the fleet's /etc files when given, then sshd. */
const SSHD_WRAPPER = [
  'set -e',
  'mount -t tmpfs tmpfs /run',
  'mkdir -m 755 /run/sshd',
  'if [ -n "$2" ]; then for f in passwd group shadow sudoers; do mount --bind "$2/$f" "/etc/$f"; done; fi',
  'exec /usr/sbin/sshd -D -e -f "$1"',
].join('\n');

function fleetEtc(dir) {
  const etc = join(dir, 'etc');
  run(['mkdir', '-p', etc, join(dir, 'home-fleet'), join(dir, 'home-fleetnp')]);
  const keep = (file, re) => readFileSync(file, 'utf8').split('\n').filter((l) => re.test(l)).join('\n') + '\n';
  writeFileSync(join(etc, 'passwd'), keep('/etc/passwd', /^(root|nobody|daemon|sshd):/) + `fleet:x:4242:4242::${dir}/home-fleet:/bin/sh\nfleetnp:x:4243:4243::${dir}/home-fleetnp:/bin/sh\n`);
  writeFileSync(join(etc, 'group'), keep('/etc/group', /^(root|nogroup|daemon):/) + 'fleet:x:4242:\nfleetnp:x:4243:\n');
  // "*": no password (not "!", which OpenSSH reads as a locked account).
  writeFileSync(join(etc, 'shadow'), 'root:*:19000:0:99999:7:::\nfleet:*:19000:0:99999:7:::\nfleetnp:*:19000:0:99999:7:::\n');
  writeFileSync(join(etc, 'sudoers'), ['Defaults env_reset', 'Defaults secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"', 'root ALL=(ALL:ALL) ALL', 'fleet ALL=(ALL:ALL) ALL', 'fleetnp ALL=(ALL:ALL) NOPASSWD: ALL', ''].join('\n'));
  chmodSync(join(etc, 'shadow'), 0o640);
  chmodSync(join(etc, 'sudoers'), 0o440);
  return etc;
}

/**
 * Why an SSH fleet test cannot run here (not root, a tool missing, the CLI not built), said
 * loudly on stderr; null when it can. Tools are looked up on PATH and in /usr/sbin.
 * @param {{ tools: string[], debian: string, bin: string, what: string }} o
 * @returns {string | null}
 */
export function sshFleetSkipReason({ tools, debian, bin, what }) {
  const has = (t) => spawnSync('sh', ['-c', 'command -v "$1" || test -x "/usr/sbin/$1"', 'sh', t], { stdio: 'ignore' }).status === 0;
  let reason = null;
  if (process.getuid?.() !== 0) reason = 'not root (network namespaces, sshd)';
  else if (!has('ip')) reason = 'iproute2 missing';
  else {
    const missing = tools.filter((t) => !has(t));
    if (missing.length > 0) reason = `missing tools: ${missing.join(', ')} (Debian: ${debian})`;
    else if (!existsSync(bin)) reason = `${bin} not built (run: npx tsc -p tsconfig.json)`;
  }
  if (reason) console.warn(`\n!!! ${what} SKIPPED: ${reason}\n`);
  return reason;
}

/**
 * Builds the fleet; `hosts` namespaces, `users` adds the fleet users. Returns
 * {id, client, dir, sshConfig, hosts: [{ns, address, daemon}], destroy()}; on failure it
 * removes what it made and rethrows.
 */
export async function createSshFleet({ hosts = 1, users = false } = {}) {
  if (hosts > 200) throw new Error('at most 200 hosts in 198.18.0.0/24');
  const id = randomBytes(3).toString('hex');
  const client = `pc-fl-${id}-c`;
  const dir = mkdtempSync(join(tmpdir(), `pc-fleet-${id}-`));
  chmodSync(dir, 0o755); // the fleet users' homes live here
  trackDir(dir);
  const made = [];
  const daemons = [];
  const destroy = () => {
    for (const d of daemons) {
      try {
        process.kill(-d.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      untrackChild(d.child);
    }
    for (const ns of made) {
      tryRun(['ip', 'netns', 'del', ns]);
      untrackNamespace(ns);
    }
    rmSync(dir, { recursive: true, force: true });
    untrackDir(dir);
  };
  try {
    const add = (ns) => {
      trackNamespace(ns);
      run(['ip', 'netns', 'add', ns]);
      made.push(ns);
      ip(ns, 'link', 'set', 'lo', 'up');
      // No duplicate address detection, no router advertisements: the link-local address
      // and its routes exist as soon as the link is up, so two collects see the same state.
      for (const kv of ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_ra=0', 'net.ipv6.conf.default.accept_ra=0']) {
        run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', kv]);
      }
    };
    add(client);
    ip(client, 'link', 'add', 'br0', 'type', 'bridge');
    ip(client, 'addr', 'add', `${CLIENT_ADDRESS}/24`, 'dev', 'br0');
    ip(client, 'link', 'set', 'br0', 'up');
    // A connection to an absent address gives up after ~3 s instead of ~2 min.
    run(['ip', 'netns', 'exec', client, 'sysctl', '-q', '-w', 'net.ipv4.tcp_syn_retries=1']);
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'portcullis-fleet-client', '-f', join(dir, 'id_ed25519')]);
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'portcullis-fleet-stranger', '-f', join(dir, 'stranger_ed25519')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_ed25519.pub')));
    const etc = users ? fleetEtc(dir) : '';
    const known = [];
    const list = [];
    for (let i = 0; i < hosts; i++) {
      const ns = `pc-fl-${id}-h${i}`;
      const address = `${FLEET_SUBNET}.${10 + i}`;
      add(ns);
      ip(client, 'link', 'add', `v${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip(client, 'link', 'set', `v${i}`, 'master', 'br0', 'up');
      ip(ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip(ns, 'link', 'set', 'eth0', 'up');
      const wd = join(dir, `h${i}`);
      run(['mkdir', '-p', wd]);
      const key = join(wd, 'host_ed25519');
      run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
      known.push(`${address} ${readFileSync(`${key}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`);
      const conf = join(wd, 'sshd_config');
      writeFileSync(conf, [`ListenAddress ${address}`, 'Port 22', `HostKey ${key}`, `PidFile ${wd}/sshd.pid`, 'UsePAM no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', `AuthorizedKeysFile ${dir}/authorized_keys`, 'StrictModes no', 'PermitRootLogin prohibit-password', 'MaxStartups 100:30:200', ''].join('\n'));
      const child = spawn('ip', ['netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', SSHD_WRAPPER, 'fleet-sshd', conf, etc], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-4096)));
      trackChild(child);
      const daemon = { child, stderr: () => stderr };
      daemons.push(daemon);
      list.push({ ns, address, daemon });
    }
    writeFileSync(join(dir, 'known_hosts'), known.join('\n') + '\n');
    writeFileSync(join(dir, 'empty_known_hosts'), '');
    const first = list[0]?.address ?? ABSENT_ADDRESS;
    const sshConfig = join(dir, 'ssh_config');
    writeFileSync(
      sshConfig,
      [
        // Aliases for the failure cases: a key the hosts do not know, a host key we do not know.
        'Host stranger-key',
        `  HostName ${first}`,
        `  IdentityFile ${dir}/stranger_ed25519`,
        'Host unknown-host-key',
        `  HostName ${first}`,
        `  UserKnownHostsFile ${dir}/empty_known_hosts`,
        // IdentityFile lines add up: the stranger alias must not also offer the fleet key.
        'Host * !stranger-key',
        `  IdentityFile ${dir}/id_ed25519`,
        'Host *',
        '  IdentitiesOnly yes',
        '  IdentityAgent none',
        `  UserKnownHostsFile ${dir}/known_hosts`,
        '  GlobalKnownHostsFile /dev/null',
        '  ConnectTimeout 10',
        '',
      ].join('\n'),
    );
    await waitSshd(list);
    /** Starts argv in a namespace as its own process group, stopped by destroy(). */
    const startIn = (ns, argv) => {
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: 'ignore' });
      trackChild(child);
      daemons.push({ child, stderr: () => '' });
      return child;
    };
    return { id, client, dir, sshConfig, hosts: list, startIn, destroy };
  } catch (err) {
    destroy();
    throw err;
  }
}

/** Waits until every sshd listens on its address; throws with the laggard's stderr. */
async function waitSshd(list, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (const h of list) {
    for (;;) {
      const out = tryRun(['ip', 'netns', 'exec', h.ns, 'ss', '-Hlnt', `src ${h.address}:22`]).stdout;
      if (out.includes(`${h.address}:22`)) break;
      if (h.daemon.child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd in ${h.ns} did not start: ${h.daemon.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
