/**
 * `backup/restore-by-hand.sh`: the way back when Portcullis itself cannot run. A plain sh
 * script, written with the backup, that flushes nftables and re-creates every saved table in
 * its saved order (restore-plan.ts from an empty ruleset), then every legacy table. Unlike
 * the guard it does not compare first: it rebuilds everything.
 *
 * @module
 */
import { planRestore } from './restore-plan.js';
import { DUMP_IDS, type RulesetDumps } from './ruleset-dumps.js';

const EOF_MARK = 'PORTCULLIS_SAVED_RULES_END';

export function restoreByHandScript(saved: RulesetDumps, savedAt: string): string {
  const empty = Object.fromEntries(DUMP_IDS.map((id) => [id, saved[id] === null ? null : ''])) as RulesetDumps;
  const plan = planRestore(saved, empty);
  const lines = [
    '#!/bin/sh',
    `# Puts back the firewall rules portcullis apply saved at ${savedAt} (every backend), when`,
    '# portcullis itself cannot: run as root, in the network namespace they were saved in:',
    '#   sh restore-by-hand.sh',
    '# It rebuilds everything: nftables is flushed first (native and iptables-nft tables alike).',
    'set -e',
  ];
  if (saved.nft !== null) lines.push('nft flush ruleset');
  for (const step of plan.steps) {
    lines.push(`# ${step.what.join('; ')}`, `${step.argv.join(' ')} <<'${EOF_MARK}'`, step.stdin.trimEnd(), EOF_MARK);
  }
  for (const note of plan.inexact) lines.push(`# note: ${note}`);
  lines.push('echo "restored the rules saved at ' + savedAt + '"');
  return lines.join('\n') + '\n';
}
