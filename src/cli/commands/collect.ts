// Placeholder until the command lands in this session.
export async function runCollect(_opts: Record<string, unknown>): Promise<number> {
  throw new Error('collect: not implemented yet');
}
