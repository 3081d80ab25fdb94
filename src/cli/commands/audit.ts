// Placeholder until the command lands in this session.
export async function runAudit(_opts: Record<string, unknown>): Promise<number> {
  throw new Error('audit: not implemented yet');
}
