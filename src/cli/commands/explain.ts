/**
 * `portcullis explain`: one flow (--from/--port) or many (--flows FILE, JSON lines in and out).
 *
 * @module
 */
import type { FlowQuery } from '../../analyze/types.js';
import { flowProblem } from '../../analyze/explain.js';
import type { FlowAnswer } from '../../analyze/types.js';
import { type LoadedHost, explainFlow, reachInput, unloweredNftChains, unreadChains } from '../../pipeline.js';
// The explain renderers alone: a one-flow explain should not load the audit's HTML and SARIF code.
import { renderExplainJson } from '../../render/json/audit-json.js';
import { shouldColor } from '../../render/terminal/colors.js';
import { renderExplainText } from '../../render/terminal/explain-text.js';
import { withThousands } from '../../render/common/thousands.js';
import { MAX_JSON_DEPTH, excessiveNesting } from '../../parse/json-depth.js';
import { InputError, failOnErrors } from '../errors.js';
import { type HostSourceOptions, loadHosts, readInputFile } from '../load-hosts.js';

export interface ExplainOptions extends HostSourceOptions {
  from?: string;
  to?: string;
  port?: string;
  sport?: string;
  iface?: string;
  flows?: string;
  json?: boolean;
}

/** "22/tcp" → {port, proto}; the protocol defaults to tcp. */
export function parsePortProto(text: string): { port: number; proto: 'tcp' | 'udp' } {
  const m = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(text.trim());
  if (!m || Number(m[1]) > 65535) throw new InputError(`--port expects PORT/PROTO such as 22/tcp or 53/udp, got "${text}"`);
  return { port: Number(m[1]), proto: (m[2]?.toLowerCase() ?? 'tcp') as 'tcp' | 'udp' };
}

function parseFlowLine(line: string, file: string, lineNo: number): FlowQuery {
  let value: unknown;
  const deep = excessiveNesting(line);
  if (deep) throw new InputError(`${file}:${lineNo}: JSON nested more than ${MAX_JSON_DEPTH} levels deep at ${deep.path}; expected {"from","to","port","proto"}`);
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new InputError(`${file}:${lineNo}: not JSON (${(err as Error).message}); expected {"from","to","port","proto"}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${file}:${lineNo}: expected a JSON object {"from","to","port","proto"}`);
  }
  const v = value as Record<string, unknown>;
  const flow: FlowQuery = {
    from: String(v.from ?? ''),
    to: v.to === undefined || v.to === null ? '' : String(v.to),
    port: typeof v.port === 'string' ? Number(v.port) : (v.port as number),
    proto: (typeof v.proto === 'string' ? v.proto.toLowerCase() : v.proto) as 'tcp' | 'udp',
  };
  if (v.sport !== undefined) flow.sport = Number(v.sport);
  if (typeof v.iface === 'string') flow.iface = v.iface;
  return flow;
}

/**
 * Explain reads an iptables chain, and lowers an nftables chain, only when the flow enters it
 * (issue 8). The answer then says which chains it never read, since a problem in them went unchecked; and a problem found in a
 * chain it did read stops the command, as it would have while loading.
 */
function answerOf(host: LoadedHost, flow: FlowQuery): FlowAnswer {
  const answer = explainFlow(host, flow);
  failOnErrors(`cannot analyse ${host.file}`, host.diagnostics);
  const unread = unreadChains(host);
  if (unread.length > 0) {
    const some = unread.slice(0, 3).map((c) => `${c.table} ${c.name}`).join(', ');
    answer.notes.push(
      `${withThousands(unread.length)} iptables chain${unread.length === 1 ? '' : 's'} this flow does not enter ${unread.length === 1 ? 'was' : 'were'} not read (${some}${unread.length > 3 ? ', …' : ''}): a problem in them is not reported here; audit reads every chain`,
    );
  }
  const unlowered = unloweredNftChains(host);
  if (unlowered > 0) {
    answer.notes.push(
      `${withThousands(unlowered)} nftables chain${unlowered === 1 ? '' : 's'} this flow does not enter ${unlowered === 1 ? 'was' : 'were'} not lowered: a construct in them that Portcullis does not model is not reported here; audit reads every chain`,
    );
  }
  return answer;
}

export async function runExplain(opts: ExplainOptions): Promise<number> {
  if (!opts.flows && (!opts.from || !opts.port)) throw new InputError('explain needs --from ADDR and --port PORT/PROTO (or --flows FILE)');
  if (Array.isArray(opts.snapshot) && opts.snapshot.length > 1) throw new InputError('explain takes one --snapshot');
  const flowsText = opts.flows ? await readInputFile(opts.flows, 'flows file') : null;
  // One process, one question: chains the flows never meet are not indexed.
  const [host] = await loadHosts(opts, { indexAllChains: false, readAllChains: false });
  const input = reachInput(host!);
  if (flowsText !== null) {
    const lines = flowsText.split('\n');
    const flows: FlowQuery[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const flow = parseFlowLine(line, opts.flows!, i + 1);
      const problem = flowProblem(flow, input);
      if (problem) throw new InputError(`${opts.flows}:${i + 1}: ${problem}`);
      flows.push(flow);
    });
    const out: string[] = [];
    for (const flow of flows) out.push(renderExplainJson(answerOf(host!, flow), { line: true }).trimEnd());
    process.stdout.write(out.length > 0 ? out.join('\n') + '\n' : '');
    return 0;
  }
  const { port, proto } = parsePortProto(opts.port!);
  const flow: FlowQuery = { from: opts.from!, to: opts.to ?? '', port, proto };
  if (opts.sport !== undefined) {
    if (!/^\d{1,5}$/.test(opts.sport)) throw new InputError(`--sport expects a port number, got "${opts.sport}"`);
    flow.sport = Number(opts.sport);
  }
  if (opts.iface !== undefined) flow.iface = opts.iface;
  const problem = flowProblem(flow, input);
  if (problem) throw new InputError(problem);
  const answer = answerOf(host!, flow);
  process.stdout.write(opts.json ? renderExplainJson(answer) : renderExplainText(answer, { color: shouldColor(process.stdout, process.env) }));
  return 0;
}
