/**
 * Can kernel tests run here? They need root, `ip netns`, the firewall tools a file uses, and
 * a built CLI. When not, tests skip with a loud reason instead of failing or passing silently.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PORTCULLIS_BIN } from './scenario.js';

function works(argv: string[]): boolean {
  try {
    execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why kernel tests cannot run, or null when they can. `tools` are binaries the test file
 * needs (e.g. "nft", "ufw"); `needCli` asks for dist/cli/bin.js.
 */
export function kernelSkipReason(tools: string[] = [], needCli = true): string | null {
  let reason: string | null = null;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) reason = 'not root (network namespaces need CAP_NET_ADMIN and CAP_SYS_ADMIN)';
  else if (!works(['ip', 'netns', 'list'])) reason = '`ip netns` does not work here (iproute2 missing or no namespace support)';
  else {
    const missing = tools.filter((t) => !works(['sh', '-c', `command -v ${t}`]));
    if (missing.length > 0) reason = `missing tools: ${missing.join(', ')}`;
    else if (needCli && !existsSync(PORTCULLIS_BIN)) reason = `${PORTCULLIS_BIN} not built (run: npx tsc -p tsconfig.json)`;
  }
  if (reason) console.warn(`\n!!! KERNEL TESTS SKIPPED: ${reason}\n`);
  return reason;
}
