#!/usr/bin/env node
/**
 * One benchmark case in one fresh process (bench/run.mjs spawns it), so the peak RSS it
 * reports belongs to this case alone. Times each phase of the library pipeline on one
 * snapshot and prints one JSON object on stdout.
 *
 *   node bench/case.mjs --snapshot FILE [--explain-runs 50] [--from 192.0.2.50] [--iface eth0]
 *                       [--stop-after explain]
 *
 * Each phase also prints a progress line (`{"progress":…}`) as it ends, so a case that runs
 * out of time or memory still tells how far it got. Order: read, JSON parse, load, 50
 * explains, analyze, audit build, renders.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: {
  snapshot: { type: 'string' },
  'explain-runs': { type: 'string', default: '50' },
  from: { type: 'string', default: '192.0.2.50' },
  to: { type: 'string', default: '192.0.2.10' },
  iface: { type: 'string', default: 'eth0' },
  'stop-after': { type: 'string' },
} });
const dist = new URL('../dist/', import.meta.url);
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const result = { phases: {}, explain: null, counts: {}, missing: [] };

const progress = (o) => process.stdout.write(`${JSON.stringify({ progress: { ...o, maxRssKb: process.resourceUsage().maxRSS } })}\n`);

/** Times fn() once; records ms under `name`, or the error (the next phases still run). */
function phase(name, fn) {
  const t0 = process.hrtime.bigint();
  try {
    const v = fn();
    result.phases[name] = ms(t0);
    progress({ phase: name, ms: result.phases[name] });
    return v;
  } catch (e) {
    (result.errors ??= {})[name] = `${e?.name}: ${e?.message} (after ${ms(t0).toFixed(0)} ms)`.slice(0, 500);
    return undefined;
  }
}

async function tryImport(rel, names) {
  try {
    const m = await import(new URL(rel, dist).href);
    const absent = names.filter((n) => typeof m[n] !== 'function');
    if (absent.length > 0) result.missing.push(`${rel}: ${absent.join(', ')}`);
    return m;
  } catch (e) {
    result.missing.push(`${rel}: ${e.message.split('\n')[0]}`);
    return {};
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]; };

const pipeline = await tryImport('pipeline.js', ['loadHost', 'analyzeHost', 'explainFlow']);
const audit = await tryImport('analyze/audit/index.js', ['buildAuditReport']);
const checks = await tryImport('analyze/checks/index.js', []);
const render = await tryImport('render/index.js', ['renderAuditText', 'renderAuditJson', 'renderAuditSarif', 'renderAuditHtml']);

const text = phase('read', () => readFileSync(values.snapshot, 'utf8'));
const snapshot = phase('jsonParse', () => JSON.parse(text));
if (pipeline.loadHost) {
  const loaded = phase('load', () => pipeline.loadHost(snapshot, values.snapshot));
  if (!loaded) throw new Error(`loadHost failed: ${result.errors?.load}`);
  result.counts.diagnostics = loaded.diagnostics?.length ?? null;
  result.counts.diagnosticCodes = {};
  for (const d of loaded.diagnostics ?? []) result.counts.diagnosticCodes[d.code] = (result.counts.diagnosticCodes[d.code] ?? 0) + 1;
  result.counts.sourceStatus = loaded.sourceStatus ?? null;
  // explain needs only a loaded host: measured before analysis, so it is known even when analysis fails.
  if (pipeline.explainFlow) {
    // Distinct TCP ports of the snapshot: a fresh question each time, no answer reused.
    const ports = [...new Set(snapshot.sockets.filter((s) => s.proto === 'tcp').map((s) => s.port))];
    const runs = Number(values['explain-runs']);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const flow = { from: values.from, to: values.to, port: ports[(i * 7) % ports.length], proto: 'tcp', iface: values.iface };
      const t0 = process.hrtime.bigint();
      pipeline.explainFlow(loaded, flow);
      times.push(ms(t0));
    }
    result.explain = { runs, first: times[0], median: median(times), p95: quantile(times, 0.95), max: Math.max(...times) };
    progress({ explain: result.explain });
  }
  if (values['stop-after'] === 'explain') finish();
  let analysis = null;
  if (pipeline.analyzeHost) analysis = phase('analyze', () => pipeline.analyzeHost(loaded)) ?? null;
  if (analysis) {
    result.counts.services = analysis.services.length;
    result.counts.shadowedRules = analysis.shadowedRules.length;
  }
  if (analysis && audit.buildAuditReport) {
    // Report size drives render cost: record what the services carry.
    let cidrs = 0;
    let decisionCidrs = 0;
    for (const svc of analysis.services) {
      cidrs += svc.sources.ipv4.length + svc.sources.ipv6.length;
      for (const d of svc.decisions) decisionCidrs += d.sources.ipv4.length + d.sources.ipv6.length;
    }
    result.counts.serviceSourceCidrs = cidrs;
    result.counts.decisionSourceCidrs = decisionCidrs;
    const report = phase('audit', () => audit.buildAuditReport([analysis], null, new Date('2026-11-01T12:00:00Z'), { toolVersion: 'bench' }));
    result.counts.findings = report?.findings.length ?? null;
    const renders = {
      text: () => render.renderAuditText?.(report, { color: false, width: 100 }),
      json: () => render.renderAuditJson?.(report),
      sarif: () => render.renderAuditSarif?.(report, checks.CHECKS ?? []),
      html: () => render.renderAuditHtml?.(report),
    };
    result.renderBytes = {};
    for (const [name, fn] of Object.entries(report ? renders : {})) {
      const out = phase(`render.${name}`, fn);
      result.renderBytes[name] = typeof out === 'string' ? out.length : null;
    }
  }
}
finish();

function finish() {
  result.phases.total = Object.entries(result.phases).filter(([k]) => k !== 'total').reduce((s, [, v]) => s + v, 0);
  result.maxRssKb = process.resourceUsage().maxRSS;
  result.heapUsedMb = process.memoryUsage().heapUsed / 2 ** 20;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
