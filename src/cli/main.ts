/**
 * The command table and the one place errors become exit codes. Commands load lazily so
 * `portcullis --help` stays fast.
 *
 * @module
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, InputError } from './errors.js';
import { reportFailure } from './failure.js';
import { VERSION } from '../version.js';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command();
  let exitCode: number = ExitCode.ok;
  program
    .name('portcullis')
    .description('Which ports of this machine stick out into the world, from where, and why.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run portcullis --help for usage)');

  program
    .command('collect')
    .description('write a snapshot of this host (sockets, interfaces, firewall dumps, sysctls) as JSON')
    .option('--out <file>', 'write to FILE atomically instead of standard output')
    .option('--aws', 'fetch the AWS account\'s network (security groups, ACLs, routes, instances…) into the directory --out, as `audit --aws` reads it')
    .option('--profile <name>', 'with --aws: the AWS profile (default: the standard credential chain)')
    .option('--region <region>', 'with --aws: the AWS region (default: as the AWS CLI resolves it)')
    .option('--ssh [target...]', 'collect remote hosts agentless through the system ssh: [USER@]HOST[:PORT]…, one snapshot per host into the directory --out')
    .option('--inventory <file>', 'with --ssh: the hosts of an Ansible inventory (INI or YAML)')
    .option('--limit <pattern>', 'with --inventory: an Ansible host pattern (groups, hosts, globs, !exclude, &intersect)')
    .option('--parallel <n>', `with --ssh: hosts collected at once (default 10)`)
    .option('--sudo', 'with --ssh: run the collector as root through `sudo -n` (never prompts)')
    .option('--timeout <seconds>', 'with --ssh: per host, after which its ssh is killed (default 120)')
    .option('--ssh-config <file>', 'with --ssh: an ssh_config file for `ssh -F` (default: ~/.ssh/config)')
    .option('--imds', 'on an EC2 instance: record its instance id from the instance metadata service (IMDSv2), so audit --aws joins the snapshot by id')
    .option('--tool-timeout <seconds>', 'stop a firewall or system tool (nft, iptables-save, ss…) that runs longer than this (default 120; huge rulesets on a loaded host need more)')
    .option('--db <url>', 'also keep the snapshot (with --ssh: every host\'s) in this store: a folder (embedded PostgreSQL, created if missing), file:DIR, or postgres://…')
    .option('--name <host>', 'with --db: the host\'s key in the store (default: its host name)')
    .action(async (opts) => {
      if (opts.ssh !== undefined || opts.inventory !== undefined) {
        if (opts.aws) throw new InputError('collect: --aws and --ssh are different collections; give one');
        const { runCollectSsh } = await import('./commands/collect-ssh.js');
        exitCode = await runCollectSsh(opts);
        return;
      }
      if (opts.limit !== undefined || opts.parallel !== undefined || opts.sudo || opts.timeout !== undefined || opts.sshConfig !== undefined) {
        throw new InputError('collect: --limit, --parallel, --sudo, --timeout and --ssh-config go with --ssh or --inventory');
      }
      if (opts.aws) {
        const { runCollectAws } = await import('./commands/collect-aws.js');
        exitCode = await runCollectAws(opts);
        return;
      }
      const { runCollect } = await import('./commands/collect.js');
      exitCode = await runCollect(opts);
    });

  program
    .command('explain')
    .description('answer one flow (or many with --flows): open, closed or filtered, and the rules that decide it')
    .option('--from <addr>', 'source address of the flow')
    .option('--to <addr>', "destination address (default: the host's first non-loopback address of the source's family)")
    .option('--port <port/proto>', 'destination port and protocol, e.g. 22/tcp or 53/udp')
    .option('--sport <port>', 'source port (default: any)')
    .option('--iface <name>', 'input interface (default: any non-loopback interface)')
    .option('--flows <file>', 'JSON lines of {"from","to","port","proto"}; answers as JSON lines')
    .option('--snapshot <file>', 'analyse a snapshot instead of this host')
    .option('--iptables <file>', 'use this iptables-save dump instead of the snapshot\'s IPv4 rules')
    .option('--ip6tables <file>', 'use this ip6tables-save dump instead of the snapshot\'s IPv6 rules')
    .option('--nft <file>', 'use this `nft -j list ruleset` dump instead of the snapshot\'s nftables')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const { runExplain } = await import('./commands/explain.js');
      exitCode = await runExplain(opts);
    });

  program
    .command('audit')
    .description('every listener of the host, who can reach it, and what is wrong with that')
    .option('--snapshot <file...>', 'audit snapshots instead of this host (several give one report)')
    .option('--iptables <file>', 'use this iptables-save dump instead of the snapshot\'s IPv4 rules')
    .option('--ip6tables <file>', 'use this ip6tables-save dump instead of the snapshot\'s IPv6 rules')
    .option('--nft <file>', 'use this `nft -j list ruleset` dump instead of the snapshot\'s nftables')
    .option('--aws <dir>', 'audit an AWS account from the AWS CLI\'s JSON (a directory of describe-*.json, or one combined file); --snapshot files join their instances')
    .option('--terraform <plan.json>', 'audit the network a Terraform plan builds (`terraform show -json PLAN`); hosts named by aws_instance address')
    .option('--client-ports <from-to>', 'source ports of remote clients, for network ACL return traffic (default 1024-65535)')
    .option('--config <file>', 'policy file (YAML)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'html']).default('text'))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to FILE atomically')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .option('--db <url>', 'audit the newest snapshot of every host in this store (a folder, file:DIR or postgres://…) and keep the report there')
    .action(async (opts) => {
      const { runAudit } = await import('./commands/audit.js');
      exitCode = await runAudit(opts);
    });

  program
    .command('diff')
    .description('what changed in exposure between two snapshots (or audit JSON reports); exit 1 if anything got worse')
    .argument('[old]', 'the earlier snapshot or audit report')
    .argument('[new]', 'the later snapshot or audit report')
    .option('--config <file>', 'policy file (YAML)')
    .addOption(new Option('--format <format>', 'output format (sarif: with --terraform, the findings the plan adds)').choices(['text', 'json', 'sarif']).default('text'))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write to FILE atomically')
    .option('--terraform <plan.json>', 'instead of OLD NEW: what a Terraform plan (`terraform show -json PLAN`) newly exposes to the internet')
    .option('--db <url>', 'instead of OLD NEW: `diff --db URL HOST`, the host\'s newest stored snapshot against an earlier one')
    .option('--since <time>', 'with --db: against the snapshot in force at this time (ISO 8601, 7d, 24h, yesterday; default: the one before the newest)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 also when a new finding is at or above this severity (with --terraform: a finding the plan adds)').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .action(async (oldFile: string | undefined, newFile: string | undefined, opts) => {
      if (opts.db !== undefined) {
        if (oldFile === undefined || newFile !== undefined || opts.terraform) throw new InputError('diff --db URL takes one HOST (its key in the store), e.g. portcullis diff --db ./portcullis-db web-1 --since 7d');
        const { runDiffStored } = await import('./commands/diff-stored.js');
        exitCode = await runDiffStored(oldFile, opts);
        return;
      }
      if (opts.since !== undefined) throw new InputError('diff --since needs --db URL HOST: it picks a stored snapshot by time');
      if (opts.terraform) {
        if (oldFile !== undefined) throw new InputError('diff --terraform PLAN.json compares the plan\'s before and after: give no OLD NEW');
        const { runDiffTerraform } = await import('./commands/diff-terraform.js');
        exitCode = await runDiffTerraform(opts.terraform, opts);
        return;
      }
      if (oldFile === undefined || newFile === undefined) throw new InputError('diff needs OLD and NEW (snapshots or audit reports), or --terraform PLAN.json');
      if (opts.format === 'sarif') throw new InputError('diff --format sarif is for diff --terraform PLAN.json (the findings a plan adds)');
      const { runDiff } = await import('./commands/diff.js');
      exitCode = await runDiff(oldFile, newFile, opts);
    });

  program
    .command('history')
    .description('a host\'s stored snapshots and what changed in exposure from each to the next')
    .argument('<host>', 'the host\'s key in the store')
    .requiredOption('--db <url>', 'the store: a folder, file:DIR or postgres://…')
    .option('--since <time>', 'from this time (ISO 8601, 30d, 24h, yesterday), starting with the snapshot in force then (default: all)')
    .option('--config <file>', 'policy file (YAML)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write to FILE atomically')
    .addOption(new Option('--fail-on <severity>', 'a new finding at or above this severity marks a change as worse').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .action(async (host: string, opts) => {
      const { runHistory } = await import('./commands/history.js');
      exitCode = await runHistory(host, opts);
    });

  program
    .command('logs')
    .description("what the world tries against this host, from the firewall's drop log, joined with what is really exposed")
    .argument('[file...]', 'syslog files (plain or gzip, rotated ones in any order), or - for standard input (the default)')
    .option('--journal', 'read the kernel journal (journalctl -k -o json)')
    .option('--since <time>', 'only attempts from this time: ISO 8601, 24h, 7d, today, yesterday')
    .option('--until <time>', 'only attempts before this time')
    .option('--snapshot <file>', "join with this snapshot's exposure (default: this host's, for the journal or files under /var/log)")
    .option('--scan-ports <n>', 'distinct ports that make a scanner', '15')
    .option('--scan-window <seconds>', 'within this sliding window', '60')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--out <file>', 'write the report to FILE atomically')
    .option('--follow', 'keep reading (through rotation) and print new scanners and first contacts on exposed ports')
    .action(async (files: string[], opts) => {
      const { runLogs } = await import('./commands/logs/index.js');
      exitCode = await runLogs(files, opts);
    });

  program
    .command('probe')
    .description('check what really answers: scan, recognise services by protocol, judge them, compare with the firewall analysis')
    .argument('[targets...]', 'addresses, hostnames or CIDR blocks (only this host unless --allow-remote)')
    .option('--ports <spec>', 'ports: 22,80,443,6000-7000, top1000 (nmap\'s order) or all', 'top1000')
    .option('--udp', 'also probe the same ports over UDP')
    .option('--allow-remote', 'probe addresses that are not this host\'s (with their owner\'s permission)')
    .option('--concurrency <n>', 'connections in flight at most', '512')
    .option('--timeout <ms>', 'wait this long for an answer', '1000')
    .option('--rate <n>', 'new probes per second per target at most (0: no limit)', '0')
    .option('--retries <n>', 'further attempts after a timeout', '1')
    .option('--max-targets <n>', 'refuse more targets than this', '256')
    .option('--no-identify', 'ports and states only: do not talk to open ports')
    .option('--snapshot <file>', 'compare with the firewall analysis of this snapshot (default: this host, when every target is local)')
    .option('--no-compare', 'do not compare with the firewall analysis')
    .option('--config <file>', 'policy file (YAML): open ports it does not list as public are findings')
    .option('--nmap <file>', 'read an nmap XML report (-oX) instead of probing')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to FILE atomically')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .action(async (targets: string[], opts) => {
      const { runProbeCommand } = await import('./commands/probe.js');
      exitCode = await runProbeCommand(targets, opts);
    });

  program
    .command('watch')
    .description('audit this host, then again on every ruleset, address, route or listener change (and every --interval); print each widening')
    .option('--interval <seconds>', 'a full round at least this often', '60')
    .option('--socket-poll <seconds>', 'look for new listening sockets in /proc/net this often (0: only at the interval)', '1')
    .option('--no-monitor', 'do not follow nft monitor and ip monitor (rounds at the interval and socket changes only)')
    .option('--exec <command>', 'run COMMAND (with /bin/sh -c) for each event, the event as JSON on its standard input')
    .addOption(new Option('--format <format>', 'output format: one line per event, or JSON lines').choices(['text', 'json']).default('text'))
    .addOption(new Option('--fail-on <severity>', 'a new finding at or above this severity is an event').choices(['critical', 'high', 'medium', 'low', 'info', 'none']).default('high'))
    .option('--config <file>', 'policy file (YAML)')
    .option('--db <url>', 'keep each host\'s snapshot in this store (a folder, file:DIR or postgres://…) at the baseline and whenever its exposure-relevant state changed')
    .option('--ssh [target...]', 'watch remote hosts instead, collected over the system ssh each --interval: [USER@]HOST[:PORT]…')
    .option('--inventory <file>', 'watch the hosts of an Ansible inventory (INI or YAML), over ssh')
    .option('--limit <pattern>', 'with --inventory: an Ansible host pattern')
    .option('--parallel <n>', 'with --ssh: hosts collected at once (default 10)')
    .option('--sudo', 'with --ssh: run the collector as root through `sudo -n` (never prompts)')
    .option('--timeout <seconds>', 'with --ssh: per host and round, after which its ssh is killed (default 120)')
    .option('--ssh-config <file>', 'with --ssh: an ssh_config file for `ssh -F` (default: ~/.ssh/config)')
    .action(async (opts, cmd: Command) => {
      // The monitors and the socket poll follow this machine: say so rather than ignore them.
      if ((opts.ssh !== undefined || opts.inventory !== undefined) && (cmd.getOptionValueSource('socketPoll') === 'cli' || opts.monitor === false)) {
        throw new InputError('watch: --socket-poll and --no-monitor follow this machine; with --ssh or --inventory rounds run at --interval only');
      }
      const { runWatch } = await import('./commands/watch/index.js');
      exitCode = await runWatch(opts);
    });

  program
    .command('harden')
    .description('write the allowlist firewall the policy asks for (nft or iptables-restore, sysctl.conf, plan.json) and prove it; exit 1 if the proof fails')
    .option('--snapshot <file>', 'harden the host of this snapshot instead of this host')
    .option('--config <file>', 'policy file (YAML): public ports, allow entries, harden settings')
    .addOption(new Option('--format <format>', 'firewall file format').choices(['nft', 'iptables']).default('nft'))
    .option('--out <dir>', 'folder for the files', 'portcullis-harden')
    .option('--aws <dir>', 'with --snapshot: also write the security group changes (cloud-aws.sh, cloud.tf) for the instance in this AWS export')
    .option('--terraform <plan.json>', 'with --snapshot: the same for the network of a Terraform plan (`terraform show -json PLAN`)')
    .action(async (opts) => {
      const { runHarden } = await import('./commands/harden.js');
      exitCode = await runHarden(opts);
    });

  program
    .command('apply')
    .description('load a ruleset (harden\'s output, a ruleset.nft, rules.v4/rules.v6) with an automatic way back unless confirmed in time')
    .argument('[path]', 'ruleset.nft, rules.v4/rules.v6 (or their folder), or the folder portcullis harden wrote')
    .option('--confirm-within <seconds>', 'restore the previous rules unless confirmed within this time', '60')
    .option('--dry-run', 'check the file and show what would change; change nothing')
    .option('--state-dir <dir>', 'where the backup and the guard live (default $PORTCULLIS_STATE_DIR or /var/lib/portcullis)')
    .option('--confirm', 'keep the applied rules: the guard stands down')
    .option('--rollback', 'restore the saved rules now')
    .action(async (path: string | undefined, opts) => {
      const { runApply } = await import('./commands/apply.js');
      exitCode = await runApply(path, opts);
    });

  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.input;
    }
    return reportFailure(err);
  }
}
