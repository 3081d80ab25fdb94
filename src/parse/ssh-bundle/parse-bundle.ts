/**
 * The SSH collector's output → {@link SshBundle}. Records are framed by a random token the
 * caller chose (see collectors/portcullis-collect.sh): a header line "@@TOKEN KIND KEY", the
 * raw bytes, and a trailer "\n@@TOKEN. STATUS\n". Bytes are split before decoding, so a
 * file's content is decoded exactly as node:fs would decode it on the target.
 *
 * @module
 */
import { type Diagnostic, type Parsed, excerpt } from '../../model/diagnostics.js';
import { parseLsFdListing } from './ls-fd.js';
import type { BundleExec, SshBundle } from './types.js';

/** The format version the script prints in its first record. */
export const SSH_BUNDLE_VERSION = '1';

interface RawRecord {
  kind: string;
  key: string;
  payload: Buffer;
  status: string;
  /** Byte offset of the header, for messages. */
  offset: number;
}

/**
 * Parse a bundle; `source` names it in diagnostics (e.g. "ssh web-1"). The value is null
 * when the output is not a complete bundle (the script did not run, or was cut short).
 */
export function parseSshBundle(output: Buffer, token: string, source: string): Parsed<SshBundle | null> {
  const split = splitRecords(output, token, source);
  if (split.diagnostics.length > 0) return { value: null, diagnostics: split.diagnostics };
  const records = split.records;
  const first = records[0];
  if (!first || first.kind !== 'portcullis-ssh-bundle') {
    return fail(source, output, 0, 'parse.ssh-bundle.start', 'the target did not print a Portcullis bundle', `a first line "@@${token} portcullis-ssh-bundle ${SSH_BUNDLE_VERSION}"`);
  }
  if (first.key !== SSH_BUNDLE_VERSION) {
    return fail(source, output, 0, 'parse.ssh-bundle.version', `bundle format ${first.key} is not the one this Portcullis reads`, `format ${SSH_BUNDLE_VERSION}`);
  }
  const last = records[records.length - 1]!;
  if (last.kind !== 'done') {
    return fail(source, output, output.length, 'parse.ssh-bundle.truncated', `the bundle stops after "${last.kind} ${last.key}": the collector did not finish`, 'a last record "done"');
  }
  return { value: assemble(records), diagnostics: [] };
}

function splitRecords(output: Buffer, token: string, source: string): { records: RawRecord[]; diagnostics: Diagnostic[] } {
  const head = Buffer.from(`@@${token} `);
  const tail = Buffer.from(`\n@@${token}. `);
  const records: RawRecord[] = [];
  // A login shell's rc file may print before the script starts (a banner, an echo): skip to the first record.
  const start = output.indexOf(Buffer.from(`@@${token} portcullis-ssh-bundle `));
  let pos = start > 0 && output[start - 1] === 0x0a ? start : 0;
  while (pos < output.length) {
    if (!output.subarray(pos, pos + head.length).equals(head)) {
      return { records, diagnostics: fail(source, output, pos, 'parse.ssh-bundle.header', 'unexpected text between records', `a line "@@${token} KIND KEY"`).diagnostics };
    }
    const eol = output.indexOf(0x0a, pos);
    const end = eol < 0 ? -1 : output.indexOf(tail, eol);
    const statusEnd = end < 0 ? -1 : output.indexOf(0x0a, end + tail.length);
    if (eol < 0 || end < 0 || statusEnd < 0) {
      return { records, diagnostics: fail(source, output, pos, 'parse.ssh-bundle.truncated', 'a record is cut short: the collector did not finish', `a trailer "@@${token}. STATUS"`).diagnostics };
    }
    const header = output.subarray(pos + head.length, eol).toString('utf8');
    const space = header.indexOf(' ');
    records.push({
      kind: space < 0 ? header : header.slice(0, space),
      key: space < 0 ? '' : header.slice(space + 1),
      payload: output.subarray(eol + 1, end),
      status: output.subarray(end + tail.length, statusEnd).toString('utf8'),
      offset: pos,
    });
    pos = statusEnd + 1;
  }
  return { records, diagnostics: [] };
}

function assemble(records: readonly RawRecord[]): SshBundle {
  const bundle: SshBundle = { meta: new Map(), files: new Map(), dirs: new Map(), links: new Map(), execs: new Map() };
  const stderrOf = new Map(records.filter((r) => r.kind === 'stderr').map((r) => [r.key, r.payload.toString('utf8')]));
  for (const r of records) {
    const ok = r.status === 'ok';
    switch (r.kind) {
      case 'meta':
        bundle.meta.set(r.key, ok ? r.payload.toString('utf8').trim() : null);
        break;
      case 'file':
        bundle.files.set(r.key, ok ? { ok, value: r.payload.toString('utf8') } : { ok, code: r.status });
        break;
      case 'dir':
        bundle.dirs.set(r.key, ok ? { ok, value: r.payload.toString('utf8').split('\n').filter((n) => n !== '') } : { ok, code: r.status });
        break;
      case 'fds':
        if (ok) addFdListing(bundle, r.key, r.payload.toString('utf8'));
        else bundle.dirs.set(r.key, { ok, code: r.status });
        break;
      case 'fdscan':
        for (const [dir, text] of fdSections(r.payload.toString('utf8'))) addFdListing(bundle, dir, text);
        break;
      case 'exec':
        bundle.execs.set(r.key, execOf(r, stderrOf.get(r.key) ?? ''));
        break;
      default:
        // stderr is joined to its exec; the start and done records frame the bundle.
        break;
    }
  }
  // A process listed in /proc whose fd directory ls could no longer read had exited.
  const proc = bundle.dirs.get('/proc');
  for (const name of proc?.ok ? proc.value : []) {
    if (/^\d+$/.test(name) && !bundle.dirs.has(`/proc/${name}/fd`)) bundle.dirs.set(`/proc/${name}/fd`, { ok: false, code: 'ENOENT' });
  }
  return bundle;
}

function addFdListing(bundle: SshBundle, dir: string, text: string): void {
  const links = parseLsFdListing(text);
  bundle.dirs.set(dir, { ok: true, value: [...links.keys()] });
  for (const [fd, target] of links) bundle.links.set(`${dir}/${fd}`, target);
}

/** `ls -l DIR…` of many directories: each section starts with a "DIR:" line. */
function fdSections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let dir: string | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (dir !== null) out.set(dir, lines.join('\n'));
  };
  for (const line of text.split('\n')) {
    const m = /^(\/proc\/\d+\/fd):$/.exec(line);
    if (m) {
      flush();
      dir = m[1]!;
      lines = [];
    } else lines.push(line);
  }
  flush();
  return out;
}

function execOf(r: RawRecord, stderr: string): BundleExec {
  if (r.status === 'ENOENT') return { ran: false, code: 'ENOENT' };
  // The shell prints $?: a command killed by a signal shows as 128 + its number.
  const code = /^\d+$/.test(r.status) ? Number(r.status) : 255;
  return { ran: true, code, stdout: r.payload.toString('utf8'), stderr };
}

function fail(source: string, output: Buffer, offset: number, code: string, message: string, expected: string): Parsed<null> {
  const line = lineAt(output, offset);
  const input = excerpt(output.subarray(offset, offset + 200).toString('utf8'));
  const d: Diagnostic = { code, severity: 'error', message, location: { file: source, line }, expected };
  if (input !== '') d.input = input;
  return { value: null, diagnostics: [d] };
}

function lineAt(output: Buffer, offset: number): number {
  let line = 1;
  for (let i = output.indexOf(0x0a); i >= 0 && i < offset; i = output.indexOf(0x0a, i + 1)) line++;
  return line;
}
