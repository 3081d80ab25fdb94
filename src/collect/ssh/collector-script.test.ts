import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_SCRIPT_PATH, collectorInput, newBundleToken } from './collector-script.js';

describe('the shipped collector script', () => {
  it('is where the package ships it (package.json "files") and found from this module', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('collectors');
    expect(COLLECTOR_SCRIPT_PATH.endsWith('/collectors/portcullis-collect.sh')).toBe(true);
    expect(existsSync(COLLECTOR_SCRIPT_PATH)).toBe(true);
  });

  it('parses under dash and bash --posix (sh -n)', async () => {
    const input = await collectorInput(newBundleToken());
    for (const argv of [['dash', '-n'], ['bash', '--posix', '-n']]) {
      if (spawnSync('sh', ['-c', `command -v ${argv[0]}`]).status !== 0) continue;
      const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8' });
      expect(r.status, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('gets a fresh token per run and the sysctl paths, and refuses a token that is not 32 hex digits', async () => {
    expect(newBundleToken()).toMatch(/^[0-9a-f]{32}$/);
    expect(newBundleToken()).not.toBe(newBundleToken());
    const input = await collectorInput('a'.repeat(32));
    expect(input.split('\n')[0]).toBe(`PORTCULLIS_TOKEN=${'a'.repeat(32)}`);
    expect(input.split('\n')[1]).toMatch(/^PORTCULLIS_SYSCTL_PATHS='\/proc\/sys\/net\/ipv4\/ip_local_port_range .*'$/);
    await expect(collectorInput('$(reboot)')).rejects.toThrow(/bad bundle token/);
  });
});
