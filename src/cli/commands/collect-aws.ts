/**
 * `portcullis collect --aws [--profile P] [--region R] --out DIR`: fetch the account's
 * network with the AWS SDK and write the AWS CLI export files into DIR (each atomically).
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../collect/index.js';
import { collectAwsExport, sdkPages } from '../../collect/aws/index.js';
import { ExitCode, InputError } from '../errors.js';

export interface CollectAwsOptions {
  out?: string;
  profile?: string;
  region?: string;
}

export async function runCollectAws(opts: CollectAwsOptions): Promise<number> {
  if (!opts.out) throw new InputError('collect --aws writes one file per call: give a directory with --out DIR');
  // The SDK warns on Node 20 about its releases of 2027; this tool supports Node 20, so that is noise here.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // As the AWS CLI's --profile: every setting of the profile, endpoint_url included (the SDK reads that one from AWS_PROFILE only).
  if (opts.profile) process.env['AWS_PROFILE'] = opts.profile;
  const tty = process.stderr.isTTY === true;
  const progress = (what: string) => {
    if (tty) process.stderr.write(`\r\x1b[2Kportcullis collect --aws: ${what}…`);
  };
  let files;
  try {
    files = await collectAwsExport(sdkPages({ ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.region ? { region: opts.region } : {}) }), progress);
  } catch (err) {
    if (tty) process.stderr.write('\n');
    // Credentials, region, permissions, network: the user's to fix, with the SDK's own words.
    const e = err as { name?: string; message?: string; Code?: string };
    throw new InputError(`AWS: ${e.name ?? 'error'}: ${e.message ?? String(err)}`);
  }
  await mkdir(opts.out, { recursive: true });
  for (const f of files) await writeFileAtomic(join(opts.out, f.name), f.text);
  if (tty) process.stderr.write('\r\x1b[2K');
  process.stderr.write(`portcullis collect --aws: wrote ${files.length} files to ${opts.out}\n`);
  return ExitCode.ok;
}
