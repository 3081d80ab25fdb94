/**
 * results.json → the markdown tables run.mjs prints (and BENCHMARKS.md quotes).
 *
 * @module
 */

export const TARGETS = { e2eMs: 2000, rssMb: 500, explainMs: 50 };

const ms = (v) => (v === undefined || v === null ? '–' : v < 10 ? `${v.toFixed(2)} ms` : v < 100 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`);
const mb = (kb) => (kb ? `${Math.round(kb / 1024)} MB` : '–');
const n = (v) => (v ?? 0).toLocaleString('en-US');
const mark = (ok) => (ok ? 'yes' : '**NO**');

/** The CLI-equivalent in-process path: read + JSON + load + analyze + audit + JSON render. */
export function libraryE2e(p) {
  const keys = ['read', 'jsonParse', 'load', 'analyze', 'audit', 'render.json'];
  if (!p || keys.some((k) => p[k] === undefined)) return undefined; // a phase failed: no end-to-end figure
  return keys.reduce((s, k) => s + p[k], 0);
}

function cliCell(cli) {
  if (!cli) return '–';
  if (cli.ok) return ms(cli.wallMs);
  const r = cli.runs?.[0];
  return r?.timedOut ? `timed out (${ms(r.wallMs)})` : r?.outOfMemory ? `out of memory (${ms(r.wallMs)})` : `failed, exit ${r?.status} (${(r?.error ?? '').split('\n').find((l) => /Error/.test(l))?.trim().slice(0, 60) ?? ''})`;
}

/** Top self-time functions per profiled case (run.mjs --profile). */
function profiles(results) {
  const parts = results.cases.filter((c) => c.profile).map((c) => `**${c.name}** (\`${c.profile.file}\`):\n\n${table(['self time', 'share', 'total (with callees)', 'function', 'where'],
    c.profile.top.map((t) => [ms(t.selfMs), `${(100 * t.share).toFixed(1)}%`, t.totalMs === undefined ? '–' : ms(t.totalMs), `\`${t.fn}\``, t.where ? `\`${t.where}\`` : '']))}\n`);
  return parts.length > 0 ? `### Where the library time goes (CPU profile, self time)\n\n${parts.join('\n')}` : '';
}

/** Errors, time-outs and skipped cases, so a missing figure is never silent. */
function problems(results) {
  const lines = [];
  for (const c of results.cases) {
    if (c.skipped) lines.push(`- ${c.name}: analysis and CLI not run (${c.skipped}); load and explain measured`);
    if (c.library?.error) lines.push(`- ${c.name}: library run: ${c.library.error.split('\n').find((l) => /Error|timed out|out of memory/.test(l)) ?? c.library.error.slice(0, 120)}`);
    for (const [k, v] of Object.entries(c.library?.errors ?? {})) lines.push(`- ${c.name}: phase ${k}: ${v}`);
    if (c.cli && !c.cli.ok) lines.push(`- ${c.name}: CLI audit: ${cliCell(c.cli)}`);
    if (c.explainFlows && !c.explainFlows.ok) lines.push(`- ${c.name}: CLI explain --flows: ${c.explainFlows.error?.split('\n')[0]}`);
    if (c.explainFlows?.disagreeCount) lines.push(`- ${c.name}: ${c.explainFlows.disagreeCount} ports where explain and nmap differ, e.g. ${JSON.stringify(c.explainFlows.disagree.slice(0, 3))}`);
    if (c.nmap?.error) lines.push(`- ${c.name}: nmap: ${c.nmap.error.slice(0, 200)}`);
  }
  return lines.length > 0 ? `### Problems

${lines.join('\n')}
` : '';
}

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function targets(results) {
  const rows = [];
  for (const c of results.cases) {
    if (c.size < 100000) continue;
    const e2e = c.cli?.ok ? c.cli.wallMs : undefined;
    const ex = c.library?.explain?.median;
    const first = c.library?.explain?.first;
    rows.push([c.name, `${c.skipped ? 'not run' : ms(e2e)} (${mark(e2e !== undefined && e2e < TARGETS.e2eMs)})`, `${mb(c.cli?.maxRssKb)} (${mark(c.cli?.ok && c.cli.maxRssKb / 1024 < TARGETS.rssMb)})`,
      `${ms(ex)} (${mark(ex !== undefined && ex < TARGETS.explainMs)})`, `${ms(first)} (${mark(first !== undefined && first < TARGETS.explainMs)})`]);
  }
  if (rows.length === 0) return '';
  return `### Targets (100,000 rules or set elements, 1,000 listeners)\n\n${table(['case', `audit end to end < ${TARGETS.e2eMs} ms`, `peak RSS < ${TARGETS.rssMb} MB`, `one explain < ${TARGETS.explainMs} ms, median of 50`, 'the first explain after load'], rows)}\n`;
}

function phases(results) {
  const rows = results.cases.map((c) => {
    const p = c.library?.phases ?? {};
    const lib = c.library ?? {};
    /** A phase's time, or why there is none (ran out of time or memory in it, or not run). */
    const cell = (k) => {
      if (p[k] !== undefined) return ms(p[k]);
      if (lib.failedIn === k) return lib.outOfMemory ? '**out of memory**' : lib.timedOut ? '**timed out**' : '**failed**';
      return c.skipped || lib.failedIn ? 'not run' : '–';
    };
    const r = ['render.text', 'render.json', 'render.sarif', 'render.html'].map((k) => (p[k] === undefined ? '–' : ms(p[k]).replace(' ms', ''))).join(' / ');
    const ex = c.library?.explain;
    return [c.name, n(c.stats.rules), n(c.stats.setElements), cell('jsonParse'), cell('load'), cell('analyze'), cell('audit'), r,
      ms(libraryE2e(p)), `${mb(lib.maxRssKb)}${lib.partial || lib.stoppedAfter ? ' (so far)' : ''}`, c.skipped ? 'not run' : cliCell(c.cli), mb(c.cli?.maxRssKb),
      ex ? `${ms(ex.median)} / ${ms(ex.p95)}` : '–'];
  });
  return `### Portcullis, phase by phase\n\n${table(['case', 'rules', 'set elements', 'JSON parse', 'load (parse + lower)', 'analyze', 'audit build', 'render text / json / sarif / html (ms)', 'library end to end', 'library peak RSS', 'CLI `audit --format json`', 'CLI peak RSS', 'one explain, median / p95'], rows)}\n`;
}

function sideBySide(results) {
  const rows = results.cases.map((c) => {
    const b = c.baselines ?? {};
    const bl = (k) => (b[k] ? (b[k].ok ? `${ms(b[k].wallMs)}, ${mb(b[k].maxRssKb)}` : 'failed') : '–');
    const e = c.explainFlows;
    const nm = c.nmap;
    return [c.name, c.skipped ? 'not run' : cliCell(c.cli), e?.ok ? `${ms(e.wallMs)} (${e.flows} ports)` : '–',
      bl('iptables-restore --test'), bl('iptables-legacy-restore --test'), bl('nft -c -f'),
      nm?.wallMs ? `${ms(nm.wallMs)} (${nm.ports} ports: ${Object.entries(nm.counts).map(([k, v]) => `${v} ${k}`).join(', ')})` : nm?.error ? 'failed' : '–',
      e?.ok ? `${e.agree}/${e.flows}` : '–'];
  });
  return `### Side by side, same run\n\n${table(['case', 'portcullis audit (all listeners, all sources)', 'portcullis explain --flows (nmap\'s ports, nmap\'s source)', 'iptables-restore --test (parse only)', 'iptables-legacy-restore --test', 'nft -c -f (parse only)', 'nmap -sT from one source', 'same state as nmap'], rows)}\n`;
}

function growth(results) {
  const rows = [];
  const byFormat = new Map();
  for (const c of results.cases) byFormat.set(c.format, [...(byFormat.get(c.format) ?? []), c]);
  for (const [format, cs] of byFormat) {
    cs.sort((a, b) => a.size - b.size);
    for (let i = 1; i < cs.length; i++) {
      const [a, b] = [cs[i - 1], cs[i]];
      const k = (x, y) => (x > 0 && y > 0 ? `×${(y / x).toFixed(1)} (n^${(Math.log(y / x) / Math.log(b.size / a.size)).toFixed(2)})` : '–');
      const pa = a.library?.phases ?? {};
      const pb = b.library?.phases ?? {};
      rows.push([format, `${n(a.size)} → ${n(b.size)}`, k(pa.load, pb.load), k(pa.analyze, pb.analyze), k(libraryE2e(pa), libraryE2e(pb)),
        k(a.cli?.ok && a.cli.wallMs, b.cli?.ok && b.cli.wallMs), k(a.cli?.ok && a.cli.maxRssKb, b.cli?.ok && b.cli.maxRssKb), k(a.library?.explain?.median, b.library?.explain?.median)]);
    }
  }
  if (rows.length === 0) return '';
  return `### How cost grows (ratio between sizes, and the exponent k in cost ∝ n^k)\n\n${table(['format', 'size', 'load', 'analyze', 'library end to end', 'CLI wall', 'CLI peak RSS', 'explain median'], rows)}\n`;
}

export function renderMarkdown(results) {
  const m = results.machine;
  const head = `## Portcullis benchmark\n\n\`${results.command}\` — ${m.cpus} × ${m.cpuModel}, ${m.memGb} GB, Linux ${m.kernel}, Node ${m.node}; ${m.iptables ?? 'no iptables'}; ${m.nft ?? 'no nft'}; ${m.nmap ?? 'no nmap'}. Commit ${m.commit ?? '?'}${m.srcDirty ? ' + uncommitted src/ changes' : ''}, dist/ built ${m.distBuiltAt}. Started ${results.startedAt}, load average at each case start in results.json.\n`;
  const builds = [...new Set(results.cases.map((c) => c.distBuiltAt).filter(Boolean))];
  const rebuilt = builds.length > 1 ? `\n**dist/ was rebuilt during this run** (${builds.length} builds, newest ${builds.sort().at(-1)}): cases measured different code.\n` : '';
  return [head + rebuilt, targets(results), phases(results), sideBySide(results), growth(results), problems(results), profiles(results)].filter(Boolean).join('\n');
}
