/**
 * What `portcullis apply PATH` loads: a `ruleset.nft` (any nft file), a `rules.v4` /
 * `rules.v6` file, or a folder holding `ruleset.nft` or `rules.v4`/`rules.v6` (harden's
 * output folder also has `plan.json`, which the proof reads). Each file comes with the
 * command that checks it without loading (`nft -c`, `iptables-restore --test`) and the one
 * that loads it atomically (`nft -f` is one transaction; iptables-restore commits per table).
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ApplyError } from './errors.js';

export interface RulesFile {
  path: string;
  check: string[];
  load: string[];
}

export interface ApplyInput {
  /** PATH as given, resolved. */
  path: string;
  format: 'nft' | 'iptables';
  files: RulesFile[];
  /** harden's plan.json next to the rules, when there is one. */
  planFile: string | null;
}

function nftFile(path: string): RulesFile {
  return { path, check: ['nft', '-c', '-f', path], load: ['nft', '-f', path] };
}

function iptablesFile(path: string, family: 'v4' | 'v6'): RulesFile {
  const tool = family === 'v4' ? 'iptables-restore' : 'ip6tables-restore';
  return { path, check: [tool, '--test', path], load: [tool, path] };
}

async function kindOf(path: string): Promise<'file' | 'dir' | null> {
  const s = await stat(path).catch(() => null);
  if (!s) return null;
  return s.isDirectory() ? 'dir' : 'file';
}

export async function resolveApplyInput(given: string): Promise<ApplyInput> {
  const path = resolve(given);
  const kind = await kindOf(path);
  if (kind === null) throw new ApplyError('input', `${given}: no such file or folder; expected a ruleset.nft, a rules.v4/rules.v6 file, or the folder portcullis harden wrote`);
  if (kind === 'file') {
    const name = basename(path);
    if (name.endsWith('.v4')) return { path, format: 'iptables', files: [iptablesFile(path, 'v4')], planFile: null };
    if (name.endsWith('.v6')) return { path, format: 'iptables', files: [iptablesFile(path, 'v6')], planFile: null };
    return { path, format: 'nft', files: [nftFile(path)], planFile: null };
  }
  const has = async (name: string) => (await kindOf(join(path, name))) === 'file';
  const planFile = (await has('plan.json')) ? join(path, 'plan.json') : null;
  const nft = await has('ruleset.nft');
  const v4 = await has('rules.v4');
  const v6 = await has('rules.v6');
  if (nft && (v4 || v6)) throw new ApplyError('input', `${given}: holds both ruleset.nft and rules.v4/rules.v6; expected one format (give the file you mean)`);
  if (nft) return { path, format: 'nft', files: [nftFile(join(path, 'ruleset.nft'))], planFile };
  if (v4 || v6) {
    const files: RulesFile[] = [];
    if (v4) files.push(iptablesFile(join(path, 'rules.v4'), 'v4'));
    if (v6) files.push(iptablesFile(join(path, 'rules.v6'), 'v6'));
    return { path, format: 'iptables', files, planFile };
  }
  throw new ApplyError('input', `${given}: a folder without ruleset.nft, rules.v4 or rules.v6; expected the folder portcullis harden wrote (e.g. ./portcullis-harden)`);
}
