/**
 * Every backend's running ruleset, as the kernel's own tools print it: `nft list ruleset`
 * (native tables and iptables-nft's), and iptables-save/ip6tables-save of both the
 * nf_tables and the legacy backends. What a backup saves and what a restore compares.
 *
 * @module
 */
import type { RunCommand } from './run-command.js';
import { ApplyError } from './errors.js';

export const DUMP_IDS = ['nft', 'iptables-nft', 'ip6tables-nft', 'iptables-legacy', 'ip6tables-legacy'] as const;
export type DumpId = (typeof DUMP_IDS)[number];

/** How each dump is taken, and which tool loads it back. */
export const DUMP_TOOLS: Record<DumpId, { save: string[]; restore: string }> = {
  nft: { save: ['nft', 'list', 'ruleset'], restore: 'nft' },
  'iptables-nft': { save: ['iptables-nft-save'], restore: 'iptables-nft-restore' },
  'ip6tables-nft': { save: ['ip6tables-nft-save'], restore: 'ip6tables-nft-restore' },
  'iptables-legacy': { save: ['iptables-legacy-save'], restore: 'iptables-legacy-restore' },
  'ip6tables-legacy': { save: ['ip6tables-legacy-save'], restore: 'ip6tables-legacy-restore' },
};

/** Each backend's text; null where its tool is not installed (nothing of it can be loaded either). */
export type RulesetDumps = Record<DumpId, string | null>;

/** Takes every dump; a tool that is present but fails is an error (no backup, no apply). */
export async function takeDumps(run: RunCommand): Promise<RulesetDumps> {
  // In parallel: on a large ruleset each dump takes a while, and the guard's restore waits for them.
  const results = await Promise.all(DUMP_IDS.map((id) => run(DUMP_TOOLS[id].save)));
  const dumps = {} as RulesetDumps;
  for (const [i, id] of DUMP_IDS.entries()) {
    const argv = DUMP_TOOLS[id].save;
    const r = results[i]!;
    if (!r.ok) {
      if (r.error === 'ENOENT') {
        dumps[id] = null;
        continue;
      }
      throw new ApplyError('backup', `could not run ${argv.join(' ')}: ${r.message}`);
    }
    if (r.code !== 0) throw new ApplyError('backup', `${argv.join(' ')} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 400)}`);
    dumps[id] = r.stdout;
  }
  return dumps;
}
