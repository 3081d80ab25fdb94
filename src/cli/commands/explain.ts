// Placeholder until the command lands in this session.
export async function runExplain(_opts: Record<string, unknown>): Promise<number> {
  throw new Error('explain: not implemented yet');
}
