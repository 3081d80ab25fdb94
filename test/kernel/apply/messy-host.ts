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

export function messyHost(): MessyHost {
  const ns = `pc-ap-${randomBytes(4).toString('hex')}`;
  trackNamespace(ns);
  run(['ip', 'netns', 'add', ns]);
  const work = mkdtempSync(join(tmpdir(), 'pc-apply-'));
  try {
    runIn(ns, ['ip', 'link', 'set', 'lo', 'up']);
    runIn(ns, ['nft', '-f', '-'], NFT_BEFORE);
    for (const argv of IPTABLES_NFT_COMMANDS) runIn(ns, argv);
    runIn(ns, ['nft', '-f', '-'], NFT_AFTER);
  } catch (err) {
    run(['ip', 'netns', 'del', ns]);
    untrackNamespace(ns);
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  return {
    ns,
    work,
    stateDir: join(work, 'state'),
    dispose() {
      try {
        run(['ip', 'netns', 'del', ns]);
      } catch {
        // already gone
      }
      untrackNamespace(ns);
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
