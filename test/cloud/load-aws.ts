/** The recorded AWS CLI exports under test/fixtures/aws/<case>/, read as `audit --aws` reads them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsExportFile } from '../../src/parse/aws-json/index.js';

export const AWS_FIXTURES = join(process.cwd(), 'test/fixtures/aws');

export function awsFiles(name: string): AwsExportFile[] {
  const dir = join(AWS_FIXTURES, name);
  return readdirSync(dir)
    .filter((f) => f.startsWith('describe-') || f.startsWith('elb-describe-') || f.startsWith('get-managed-prefix-list-entries-'))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/** One file of a case, edited: for bad-input tests. */
export function withFile(files: AwsExportFile[], name: string, edit: (doc: any) => void): AwsExportFile[] {
  return files.map((f) => {
    if (f.name !== name) return f;
    const doc = JSON.parse(f.text);
    edit(doc);
    return { name: f.name, text: JSON.stringify(doc) };
  });
}
