/**
 * Which snapshot file a command line names alone (`--snapshot FILE` or `--snapshot=FILE`, once,
 * not `-`), for bin.ts to start reading before the CLI's code loads (pool/early-read.ts). A
 * list of snapshots (`audit --snapshot a b`) is read file by file as before: reading all of a
 * fleet's at once would hold them all.
 *
 * @module
 */

export function snapshotToReadEarly(argv: readonly string[]): string | null {
  let found: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    let path: string | undefined;
    if (a === '--snapshot') {
      path = argv[i + 1];
      // A second value of a variadic option (`audit --snapshot a b`): several files.
      const after = argv[i + 2];
      if (after !== undefined && !after.startsWith('-')) return null;
      i++;
    } else if (a.startsWith('--snapshot=')) path = a.slice('--snapshot='.length);
    else continue;
    if (path === undefined || path === '' || path === '-' || path.startsWith('-') || found !== null) return null;
    found = path;
  }
  return found;
}
