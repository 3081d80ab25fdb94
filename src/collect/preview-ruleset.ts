/**
 * Load generated firewall files into a scratch network namespace and read them back as the
 * kernel holds them: the proof's view of "the new rules" is the kernel's own dump, never our
 * text. As root the namespace is `ip netns add pc-harden-<random>`, deleted in `finally`,
 * whatever happened (only a SIGKILL between creation and deletion can leave one behind, named
 * so). A user without root gets a user namespace instead (src/collect/user-namespace.ts),
 * which ends with its holder process: no root is needed to prove a ruleset.
 *
 * Steps: (1) the tool's own check (`nft -c -f`, `iptables-restore --test`), (2) load (nft:
 * twice, since the file must be harmless to load again), (3) dump (`nft -j list ruleset`,
 * `iptables-save`, `ip6tables-save`). Argv only, no shell.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecResult, HostIO } from './host-io.js';
import { type UserNamespace, startUserNamespace } from './user-namespace.js';

/** The generated files, as text. */
export type RulesetFiles = { format: 'nft'; nft: string } | { format: 'iptables'; rulesV4: string; rulesV6: string };

export type PreviewStage = 'namespace' | 'check' | 'load' | 'dump';

/** What the kernel made of the files; on failure, the stage and the tool's message. */
export type RulesetPreview =
  | { ok: true; nftJson?: string; iptablesSave?: string; ip6tablesSave?: string }
  | { ok: false; stage: PreviewStage; command: string; message: string };

type Exec = HostIO['exec'];

function failure(res: ExecResult): string | null {
  if (!res.ok) return `${res.error}: ${res.message}`;
  if (res.code !== 0) return (res.stderr.trim() || res.stdout.trim() || `exit status ${res.code}`).slice(0, 4000);
  return null;
}

/** How the steps enter the scratch namespace: a named one (root) or a user namespace (anyone). */
export type ScratchNamespaceKind = 'named' | 'user';

/**
 * Check, load and dump `files` in a fresh namespace: a named one as root, a user namespace
 * otherwise (`kind` forces one; the default picks by the effective uid). Where the kernel
 * refuses both, the result says so at stage `namespace`.
 */
export async function previewRuleset(files: RulesetFiles, exec: Exec, kind: ScratchNamespaceKind = process.geteuid?.() === 0 ? 'named' : 'user'): Promise<RulesetPreview> {
  const dir = await mkdtemp(join(tmpdir(), 'portcullis-preview-'));
  const ns = `pc-harden-${randomBytes(4).toString('hex')}`;
  let created = false;
  let userNs: UserNamespace | null = null;
  try {
    const paths: Record<string, string> = {};
    const texts: Record<string, string> = files.format === 'nft' ? { nft: files.nft } : { v4: files.rulesV4, v6: files.rulesV6 };
    for (const [name, text] of Object.entries(texts)) {
      paths[name] = join(dir, name);
      await writeFile(paths[name], text, { mode: 0o600 });
    }
    let inside: (argv: string[]) => string[];
    if (kind === 'named') {
      const addError = failure(await exec(['ip', 'netns', 'add', ns]));
      if (addError !== null) return { ok: false, stage: 'namespace', command: `ip netns add ${ns}`, message: `${addError} (the proof loads the rules into a scratch network namespace: as root a named one, otherwise a user namespace)` };
      created = true;
      inside = (argv) => ['ip', 'netns', 'exec', ns, ...argv];
    } else {
      const started = await startUserNamespace();
      if ('error' in started) {
        return { ok: false, stage: 'namespace', command: 'unshare --user --map-root-user --net', message: `${started.error} (without root the proof needs unprivileged user namespaces: sysctl user.max_user_namespaces > 0; or run as root)` };
      }
      userNs = started.ns;
      inside = (argv) => started.ns.enter(argv);
    }
    const steps: [PreviewStage, string[]][] =
      files.format === 'nft'
        ? [
            ['check', ['nft', '-c', '-f', paths['nft']!]],
            ['load', ['nft', '-f', paths['nft']!]],
            ['load', ['nft', '-f', paths['nft']!]],
          ]
        : [
            ['check', ['iptables-restore', '--test', paths['v4']!]],
            ['check', ['ip6tables-restore', '--test', paths['v6']!]],
            ['load', ['iptables-restore', paths['v4']!]],
            ['load', ['ip6tables-restore', paths['v6']!]],
          ];
    for (const [stage, argv] of steps) {
      const error = failure(await exec(inside(argv)));
      if (error !== null) return { ok: false, stage, command: argv.join(' '), message: error };
    }
    const dumps: [string, string[]][] = files.format === 'nft' ? [['nftJson', ['nft', '-j', 'list', 'ruleset']]] : [['iptablesSave', ['iptables-save']], ['ip6tablesSave', ['ip6tables-save']]];
    const out: { ok: true; nftJson?: string; iptablesSave?: string; ip6tablesSave?: string } = { ok: true };
    for (const [key, argv] of dumps) {
      const res = await exec(inside(argv));
      const error = failure(res);
      if (error !== null || !res.ok) return { ok: false, stage: 'dump', command: argv.join(' '), message: error ?? 'no output' };
      out[key as 'nftJson'] = res.stdout;
    }
    return out;
  } finally {
    if (created) await exec(['ip', 'netns', 'del', ns]);
    await userNs?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
