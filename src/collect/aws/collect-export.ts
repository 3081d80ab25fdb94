/**
 * Fetch an AWS account's network as the AWS CLI would export it: one JSON document per
 * call, pages concatenated, named after the call; prefix list entries per list; then the
 * load balancers (ELBv2).
 *
 * @module
 */
import { collectElbv2 } from './collect-elbv2.js';
import { type AwsPages, EXPORT_CALLS } from './export-calls.js';
import { allItems, toJson } from './export-json.js';

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
    const items = await allItems(pages(call), key);
    if (key === 'PrefixLists') prefixLists = items as Record<string, unknown>[];
    files.push({ name: file, text: toJson({ [key]: items }) });
  }
  for (const pl of prefixLists) {
    const id = pl['PrefixListId'];
    if (typeof id !== 'string') continue;
    progress(`GetManagedPrefixListEntries ${id}`);
    const entries = await allItems(pages('GetManagedPrefixListEntries', { prefixListId: id }), 'Entries');
    files.push({ name: `get-managed-prefix-list-entries-${id}.json`, text: toJson({ Entries: entries }) });
  }
  files.push(...(await collectElbv2(pages, progress)));
  return files;
}
