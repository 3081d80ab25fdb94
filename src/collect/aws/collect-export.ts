/**
 * Fetch an AWS account's network as the AWS CLI would export it: one JSON document per
 * call, pages concatenated, named after the call; prefix list entries per list.
 *
 * @module
 */
import { type AwsPages, EXPORT_CALLS } from './export-calls.js';

export interface ExportedFile {
  name: string;
  text: string;
}

/** `progress` hears each call as it starts (for a terminal display). */
export async function collectAwsExport(pages: AwsPages, progress: (what: string) => void = () => {}): Promise<ExportedFile[]> {
  const files: ExportedFile[] = [];
  let prefixLists: Record<string, unknown>[] = [];
  for (const { call, key, file } of EXPORT_CALLS) {
    progress(call);
    const items: unknown[] = [];
    for await (const page of pages(call)) items.push(...((page[key] as unknown[] | undefined) ?? []));
    if (key === 'PrefixLists') prefixLists = items as Record<string, unknown>[];
    files.push({ name: file, text: toJson({ [key]: items }) });
  }
  for (const pl of prefixLists) {
    const id = pl['PrefixListId'];
    if (typeof id !== 'string') continue;
    progress(`GetManagedPrefixListEntries ${id}`);
    const entries: unknown[] = [];
    for await (const page of pages('GetManagedPrefixListEntries', { prefixListId: id })) entries.push(...((page['Entries'] as unknown[] | undefined) ?? []));
    files.push({ name: `get-managed-prefix-list-entries-${id}.json`, text: toJson({ Entries: entries }) });
  }
  return files;
}

/** As the AWS CLI prints: 4-space JSON; dates as ISO text. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (k, v) => (k === '$metadata' ? undefined : v), 4) + '\n';
}
