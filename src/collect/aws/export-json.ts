/**
 * The export's JSON as the AWS CLI writes it, from the SDK's pages.
 *
 * @module
 */

/** Every page's list under `key`, in order. */
export async function allItems(pages: AsyncIterable<Record<string, unknown>>, key: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of pages) items.push(...((page[key] as Record<string, unknown>[] | undefined) ?? []));
  return items;
}

/** As the AWS CLI prints: 4-space JSON; dates as ISO text; the SDK's response metadata left out. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (k, v) => (k === '$metadata' ? undefined : v), 4) + '\n';
}
