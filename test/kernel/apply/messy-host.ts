/**
 * A namespace holding the kind of ruleset a real host collects over the years, built the way
 * the real tools build it (one command at a time, as Docker does, not from a restore file):
 * iptables-nft tables with Docker's chains, NAT and a comment match (which nft prints
 * lossily), ip6tables-nft rules, a legacy rule, a native nft table with a named set and a
 * counter before them and one after, so table order matters. And the normalised dumps a
 * test compares: every backend, counters and the date comments aside.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackNamespace, untrackNamespace } from '../harness/cleanup.js';
import { run, runIn } from '../harness/exec.js';

export interface MessyHost {
  ns: string;
  stateDir: string;
  work: string;
  dispose(): void;
}

const IPTABLES_NFT_COMMANDS = [
  ['iptables', '-N', 'DOCKER'],
  ['iptables', '-N', 'DOCKER-ISOLATION-STAGE-1'],
  ['iptables', '-N', 'DOCKER-USER'],
  ['iptables', '-A', 'DOCKER-USER', '-j', 'RETURN'],
  ['iptables', '-A', 'FORWARD', '-j', 'DOCKER-USER'],
  ['iptables', '-A', 'FORWARD', '-j', 'DOCKER-ISOLATION-STAGE-1'],
  ['iptables', '-A', 'FORWARD', '-o', 'docker0', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
  ['iptables', '-A', 'DOCKER', '-d', '172.17.0.2/32', '!', '-i', 'docker0', '-o', 'docker0', '-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'ACCEPT'],
  ['iptables', '-t', 'nat', '-N', 'DOCKER'],
  ['iptables', '-t', 'nat', '-A', 'PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'DOCKER'],
  ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '172.17.0.0/16', '!', '-o', 'docker0', '-j', 'MASQUERADE'],
  ['iptables', '-t', 'nat', '-A', 'DOCKER', '!', '-i', 'docker0', '-p', 'tcp', '-m', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '172.17.0.2:80'],
  ['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'ssh from anywhere', '-j', 'ACCEPT'],
  ['iptables', '-A', 'INPUT', '-s', '198.51.100.0/24', '-p', 'tcp', '--dport', '6379', '-j', 'ACCEPT'],
  ['ip6tables', '-A', 'INPUT', '-s', '2001:db8::/32', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
  ['iptables-legacy', '-A', 'INPUT', '-p', 'tcp', '--dport', '25', '-j', 'DROP'],
  ['ip6tables-legacy', '-A', 'INPUT', '-p', 'udp', '--dport', '53', '-j', 'ACCEPT'],
];

/** Native table created before iptables-nft's tables (it stays first) and one after. */
const NFT_BEFORE = `table inet early {
  set admins { type ipv4_addr; flags interval; elements = { 192.0.2.0/28, 203.0.113.7 } }
  chain input { type filter hook input priority -10; policy accept; ip saddr @admins tcp dport 9100 counter accept; }
}
`;
const NFT_AFTER = `table ip6 late {
  counter seen { }
  chain input { type filter hook input priority 10; policy accept; tcp dport 443 counter name "seen" accept; }
}
`;

/**
 * The messy host; with `client`, also a client namespace on a veth link (server 192.0.2.1/24,
 * client 192.0.2.10; 2001:db8:1::1/64 and ::10), so the host has a world-facing interface.
 */
export function messyHost(opts: { client?: boolean } = {}): MessyHost {
  const ns = `pc-ap-${randomBytes(4).toString('hex')}`;
  const clientNs = `${ns}-c`;
  trackNamespace(ns);
  run(['ip', 'netns', 'add', ns]);
  if (opts.client) {
    trackNamespace(clientNs);
    run(['ip', 'netns', 'add', clientNs]);
  }
  const work = mkdtempSync(join(tmpdir(), 'pc-apply-'));
  try {
    runIn(ns, ['ip', 'link', 'set', 'lo', 'up']);
    if (opts.client) {
      runIn(ns, ['ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', clientNs]);
      runIn(ns, ['ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'eth0']);
      runIn(ns, ['ip', '-6', 'addr', 'add', '2001:db8:1::1/64', 'dev', 'eth0', 'nodad']);
      runIn(ns, ['ip', 'link', 'set', 'eth0', 'up']);
      runIn(clientNs, ['ip', 'addr', 'add', '192.0.2.10/24', 'dev', 'eth0']);
      runIn(clientNs, ['ip', '-6', 'addr', 'add', '2001:db8:1::10/64', 'dev', 'eth0', 'nodad']);
      runIn(clientNs, ['ip', 'link', 'set', 'eth0', 'up']);
      runIn(ns, ['ip', 'route', 'add', 'default', 'via', '192.0.2.10']);
    }
    runIn(ns, ['nft', '-f', '-'], NFT_BEFORE);
    for (const argv of IPTABLES_NFT_COMMANDS) runIn(ns, argv);
    runIn(ns, ['nft', '-f', '-'], NFT_AFTER);
  } catch (err) {
    for (const n of opts.client ? [ns, clientNs] : [ns]) {
      run(['ip', 'netns', 'del', n]);
      untrackNamespace(n);
    }
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  return {
    ns,
    work,
    stateDir: join(work, 'state'),
    dispose() {
      for (const n of opts.client ? [ns, clientNs] : [ns]) {
        try {
          run(['ip', 'netns', 'del', n]);
        } catch {
          // already gone
        }
        untrackNamespace(n);
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

const DUMPS: [string, string[]][] = [
  ['nft', ['nft', 'list', 'ruleset']],
  ['iptables-nft', ['iptables-nft-save']],
  ['ip6tables-nft', ['ip6tables-nft-save']],
  ['iptables-legacy', ['iptables-legacy-save']],
  ['ip6tables-legacy', ['ip6tables-legacy-save']],
];

/** Every backend's dump in `ns`, counters zeroed and iptables-save's date comments removed. */
export function rulesOf(ns: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, argv] of DUMPS) {
    const text = runIn(ns, argv);
    out[name] = text
      .split('\n')
      .filter((l) => !/^# (Generated|Completed) (by|on) /.test(l))
      .join('\n')
      .replace(/packets \d+ bytes \d+/g, 'packets 0 bytes 0')
      .replace(/^(:\S+ \S+) \[\d+:\d+\]$/gm, '$1 [0:0]');
  }
  return out;
}
