#!/usr/bin/env node
/**
 * Bundles the compiled CLI (dist/cli/bin.js and the worker entry points) into dist/bundle/,
 * one ES module per command plus shared chunks, and points dist/cli/bin.js at it.
 *
 *   npm run build        (tsc, then this)
 *
 * Why: Node 20's ES module loader resolves, reads, compiles and links every file apart, and a
 * command loaded ~130 of ours and the CommonJS packages' (commander, ajv, ipaddr.js) through
 * the CommonJS bridge; every cold command paid that before doing anything (issue 8: explain
 * in a new process took ~0.3 s less CPU bundled, BENCHMARKS.md). The lazy `import()` of each
 * command stays: esbuild splits there, so `--version` still loads only the command table.
 *
 * Packages that read files beside their own code (PGlite's wasm), hold optional native
 * addons (ssh2, pg) or are large and only used by one command (the AWS SDK) stay outside,
 * loaded from node_modules as before. `new URL('…', import.meta.url)` (schemas, the ssh
 * collector script, worker files) is rewritten to the same target as seen from dist/bundle/.
 *
 * `collect` runs from a bundle of its own, dist/bundle/collect-command.js (no shared chunks):
 * its ~37 modules in one file load ~25 ms of CPU faster than the split bundle's 13 chunks, and
 * the process spent ~12 ms less in its tail after the last dump (issue 8: collect is measured
 * against the kernel tools' own dump time). Its lazy `--db` and `--imds` imports stay lazy:
 * they load the split bundle's entries for those modules. Its copy of cli/errors.js is told
 * apart from main's by InputError's mark (errors.ts). A plain collect (cli/plain-collect.js)
 * loads it without the command table: the entry imports main.js only for every other command.
 *
 * Without this step (plain `tsc`), dist/cli/bin.js is the unbundled CLI and works the same.
 *
 * @module
 */
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');

/** Entry points: the CLI and every file Node starts apart (workers, the apply guard). */
const ENTRIES = {
  portcullis: 'cli/bin.js',
  'analyze-worker': 'pool/analyze-worker.js',
  'scan-worker': 'cli/commands/logs/scan-worker.js',
  'guard-main': 'apply/guard-main.js',
  // Loaded by collect's own bundle only with --db / --imds (see COLLECT below).
  'store-access': 'cli/store-access.js',
  'collect-imds': 'collect/aws/index.js',
};
/** The command with a bundle of its own, and the modules that import it (the command table, and collect's fast way in). */
const COLLECT = { name: 'collect-command', file: 'cli/commands/collect.js', importers: ['cli/main.js', 'cli/plain-collect.js'] };
// jsonc-parser's UMD build requires its own files through a function argument, which a bundler cannot follow.
const EXTERNAL = ['@aws-sdk/*', '@electric-sql/pglite', '@electric-sql/pglite/*', 'pg', 'ssh2', 'jsonc-parser'];

const entryOutput = new Map(Object.entries(ENTRIES).map(([name, file]) => [join(dist, file), `./${name}.js`]));

/** Where `rel` (seen from `dir`) is, seen from dist/bundle/: the bundled entry for a worker file. */
function relocate(dir, rel) {
  const target = resolve(dir, rel);
  const moved = entryOutput.get(target) ?? relative(outdir, target).split(sep).join('/');
  return moved.startsWith('.') ? moved : `./${moved}`;
}

/**
 * Rewrites `new URL('rel', import.meta.url)` so it names the same file from dist/bundle/; an
 * interpolated file name (`../../schemas/${name}`) keeps its folder's place. Anything else that
 * reads import.meta.url would silently point elsewhere after bundling, so it stops the build.
 */
const relocateFileUrls = {
  name: 'relocate-file-urls',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const dir = dirname(args.path);
      let contents = source.replace(/new URL\('([^'$]+)', import\.meta\.url\)/g, (_, rel) => `new URL(${JSON.stringify(relocate(dir, rel))}, import.meta.url)`);
      contents = contents.replace(/new URL\(`([^`$]*\/)([^`/]*)`, import\.meta\.url\)/g, (_, folder, name) => `new URL(\`${relocate(dir, folder)}/${name}\`, import.meta.url)`);
      // createRequire(import.meta.url) resolves packages, which node_modules above dist/ serves alike.
      const left = contents.replace(/new URL\((['"`]).*?\1, import\.meta\.url\)/g, '').replace(/createRequire\(import\.meta\.url\)/g, '');
      if (left.includes('import.meta.url')) throw new Error(`${relative(root, args.path)}: import.meta.url used in a way bundle-cli.mjs cannot relocate`);
      return { contents, loader: 'js' };
    });
  },
};

const BANNER = "import { createRequire as __portcullisRequire } from 'node:module'; const require = __portcullisRequire(import.meta.url);";

/** In the split bundle: the lazy imports of the collect command load collect's own bundle instead. */
const collectFromItsOwnBundle = {
  name: 'collect-from-its-own-bundle',
  setup(b) {
    b.onResolve({ filter: /\/collect\.js$/ }, (args) => {
      if (!COLLECT.importers.some((f) => args.importer === join(dist, f)) || resolve(args.resolveDir, args.path) !== join(dist, COLLECT.file)) return undefined;
      return { path: `./${COLLECT.name}.js`, external: true };
    });
  },
};

/** In collect's own bundle: a dynamic import of a split-bundle entry stays that entry's import. */
const lazyEntriesStayOut = {
  name: 'lazy-entries-stay-out',
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const entry = entryOutput.get(resolve(args.resolveDir, args.path));
      return entry === undefined ? undefined : { path: entry, external: true };
    });
  },
};

const STUB_MARK = 'Written by scripts/bundle-cli.mjs';
if (readFileSync(join(dist, ENTRIES.portcullis), 'utf8').includes(STUB_MARK)) {
  throw new Error('dist/cli/bin.js is already the bundle\'s stub: run `npm run build` (tsc first, then this)');
}

/** What both builds share. */
const COMMON = {
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Error classes and checks print constructor names; bundling must not rename them.
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS packages (commander, ajv…) call require() for Node's own modules.
  banner: { js: BANNER },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...COMMON,
  entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(dist, file)])),
  splitting: true,
  plugins: [relocateFileUrls, collectFromItsOwnBundle],
});

// collect's own bundle: one file; a dynamic import of a file the split bundle has as an entry
// (the store, IMDS) stays an import of that entry, so it loads only when used.
await build({
  ...COMMON,
  entryPoints: { [COLLECT.name]: join(dist, COLLECT.file) },
  splitting: false,
  plugins: [relocateFileUrls, lazyEntriesStayOut],
});
const collectCode = readFileSync(join(outdir, `${COLLECT.name}.js`), 'utf8');
for (const m of collectCode.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gms)) {
  // A package inlined through a dynamic import would load at start (the AWS SDK: ~0.9 s).
  if (!builtinModules.includes(m[1].replace(/^node:/, ''))) throw new Error(`dist/bundle/${COLLECT.name}.js: loads ${m[1]} at start; keep it behind a lazy import of a split-bundle entry`);
}

// A bundled CommonJS package whose require() esbuild could not resolve fails only when a
// command reaches it (jsonc-parser did): stop here instead. Node's own modules are fine.
const builtins = new Set(builtinModules);
for (const file of readdirSync(outdir).filter((f) => f.endsWith('.js'))) {
  const code = readFileSync(join(outdir, file), 'utf8');
  for (const m of code.matchAll(/__require\b/g)) {
    const call = /^\(["'](?:node:)?([\w/]+)["']\)/.exec(code.slice(m.index + m[0].length));
    const line = code.slice(code.lastIndexOf('\n', m.index) + 1, code.indexOf('\n', m.index)).trim();
    // esbuild's own helpers: `var __require = …`, and __commonJS's inner `function __require()` (unsplit bundles).
    const declared = /^__require,?$/.test(line) || /^(?:var __require =|var __commonJS = \(cb, mod\) => function __require\(\) \{$|import |export )/.test(line);
    if (call ? !builtins.has(call[1]) : !declared) throw new Error(`dist/bundle/${file}: a require() the bundle cannot serve (mark its package external): ${line.slice(0, 120)}`);
  }
}

// The published bin stays dist/cli/bin.js (package.json, docs, benchmarks and tests use it).
writeFileSync(join(dist, ENTRIES.portcullis), `#!/usr/bin/env node\n// ${STUB_MARK}: the CLI runs from its bundle (tsc alone writes the unbundled CLI here).\nimport '../bundle/portcullis.js';\n`);
rmSync(join(dist, 'cli/bin.js.map'), { force: true });
