/**
 * Read an AWS export for `audit --aws`: a directory of the AWS CLI's output files (named
 * after the calls), or one combined JSON file.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AWS_EXPORT_FILES, type AwsExportFile } from '../parse/aws-json/index.js';
import { InputError } from './errors.js';
import { readInputFile } from './load-hosts.js';

const KNOWN = new Set<string>(AWS_EXPORT_FILES.map((f) => f.file));
/** The calls made once per resource: prefix list entries, a balancer's listeners, a listener's rules, a target group's health. */
const PER_RESOURCE_FILE = /^(get-managed-prefix-list-entries-pl-[0-9a-zA-Z]+|describe-(listeners|rules)(-[0-9a-zA-Z-]+)?|describe-target-health-[0-9a-zA-Z-]+)\.json$/;

export async function readAwsExport(path: string): Promise<{ files: AwsExportFile[]; exportedAt: string }> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`cannot read AWS export ${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return { files: [{ name: basename(path), text: await readInputFile(path, 'AWS export') }], exportedAt: info.mtime.toISOString() };
  const names = (await readdir(path)).filter((n) => KNOWN.has(n) || PER_RESOURCE_FILE.test(n)).sort();
  if (names.length === 0) throw new InputError(`${path} holds none of the AWS CLI output files (${[...KNOWN].join(', ')}): see "Cloud: AWS" in the README for the commands`);
  const files: AwsExportFile[] = [];
  let newest = 0;
  for (const n of names) {
    files.push({ name: join(path, n), text: await readInputFile(join(path, n), 'AWS export file') });
    newest = Math.max(newest, (await stat(join(path, n))).mtimeMs);
  }
  return { files, exportedAt: new Date(newest).toISOString() };
}
