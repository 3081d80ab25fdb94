/**
 * The bundled CLI (scripts/bundle-cli.mjs, run by `npm run build`): dist/cli/bin.js starts
 * it, and every file it finds beside itself through import.meta.url is there. The other CLI
 * tests run the same dist/cli/bin.js, so they exercise the bundle's commands.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = join(process.cwd(), 'dist');
const BUNDLE = join(DIST, 'bundle');
const bundled = existsSync(join(BUNDLE, 'portcullis.js'));

function run(args: string[]) {
  return spawnSync(process.execPath, [join(DIST, 'cli/bin.js'), ...args], { encoding: 'utf8' });
}

describe.skipIf(!bundled)('the bundled CLI', () => {
  it('is what dist/cli/bin.js runs, and answers like the package says', () => {
    expect(readFileSync(join(DIST, 'cli/bin.js'), 'utf8')).toContain("import '../bundle/portcullis.js'");
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('finds every file it names through import.meta.url (schemas, ssh collector, workers)', () => {
    const named: string[] = [];
    for (const file of readdirSync(BUNDLE).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(BUNDLE, file), 'utf8');
      for (const m of code.matchAll(/new URL\((["`])([^"`]+)\1, import\.meta\.url\)/g)) {
        // An interpolated name (`…/schemas/${file}`): its folder must be there.
        const rel = m[2]!.includes('${') ? m[2]!.slice(0, m[2]!.lastIndexOf('/') + 1) : m[2]!;
        named.push(fileURLToPath(new URL(rel, pathToFileURL(join(BUNDLE, file)))));
      }
    }
    expect(named.map((p) => p.replace(dirname(DIST), ''))).toEqual(expect.arrayContaining(['/collectors/portcullis-collect.sh', '/dist/bundle/analyze-worker.js', '/dist/bundle/scan-worker.js', '/dist/bundle/guard-main.js', '/schemas/']));
    for (const path of named) expect(existsSync(path), path).toBe(true);
  });

  /** The files Node loads for `files`: each and its static imports, transitively. */
  function loadedWith(...files: string[]): string {
    const seen = new Set(files);
    for (const file of seen) {
      const code = readFileSync(join(BUNDLE, file), 'utf8');
      for (const m of code.matchAll(/^(?:import|\} from) .*"\.\/([^"]+)"/gm)) seen.add(m[1]!);
    }
    return [...seen].map((f) => readFileSync(join(BUNDLE, f), 'utf8')).join('\n');
  }

  it('loads a command\'s modules only when it runs: --version reads no parser', () => {
    // The entry's imports, and the command table it imports for every command but a plain collect.
    const table = /import\("\.\/(main-[^"]+)"\)/.exec(readFileSync(join(BUNDLE, 'portcullis.js'), 'utf8'))?.[1];
    expect(table).toBeDefined();
    const loaded = loadedWith('portcullis.js', table!);
    expect(loaded).toContain('// dist/cli/main.js');
    expect(loaded).not.toContain('// dist/parse/');
    expect(loaded).not.toContain('// dist/analyze/');
  });

  it('starts a plain collect without the command table (issue 8: commander is not loaded)', () => {
    const entry = loadedWith('portcullis.js');
    expect(entry).toContain('// dist/cli/plain-collect.js');
    expect(entry).toContain('import("./collect-command.js")');
    expect(entry).not.toContain('node_modules/commander/');
    expect(entry).not.toContain('// dist/cli/main.js');
  });
});
