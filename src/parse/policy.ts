/**
 * The audit policy file (YAML): trusted source lists, public ports per host group,
 * severity overrides, restricted ports and exceptions with a reason and an expiry date.
 *
 * Validation runs in two passes: the JSON schema (schemas/policy.schema.json, embedded here
 * as {@link POLICY_SCHEMA} and kept equal by a test) checks the shape; then the meaning
 * (CIDRs, list references and their cycles, port ranges, real calendar dates). Every error
 * names the key, its line and what was expected. Never throws on bad input.
 *
 * @example
 * ```yaml
 * trusted:
 *   office: [198.51.100.0/24, "2001:db8:100::/48"]
 *   vpn: [203.0.113.0/28]
 *   admins: [office, vpn]
 * public:
 *   - hosts: ["web-*"]
 *     ports: [80/tcp, 443/tcp]
 * severity:
 *   kernel-hardening: low
 * restricted-ports: [20/tcp, 21/tcp, 3389/tcp]
 * allow:
 *   - hosts: ["*"]
 *     ports: [22/tcp]
 *     from: [admins, 192.0.2.0/24]
 * harden:
 *   ephemeral-ports: 32768-60999
 *   admin-rate-limit: {connections: 6, seconds: 30}
 * exceptions:
 *   - host: db-1
 *     check: exposed-datastore
 *     service: 6379/tcp
 *     reason: "replica sync over the internet until the VPN lands (OPS-1234)"
 *     expires: 2026-12-31
 * ```
 *
 * @module
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, visit, type Document, type Node } from 'yaml';
import { parseCidr } from '../model/addr.js';
import { type Diagnostic, type Location, type Parsed, excerpt } from '../model/diagnostics.js';
import type { AllowEntry, AllowSources, HardenSettings, Policy, PolicyException, PolicySeverity, PortRange, PublicPorts, TrustedList } from '../model/policy.js';

const PORT_PATTERN = '^[0-9]{1,5}(-[0-9]{1,5})?/(tcp|udp)$';
const PORT_DESCRIPTION = 'a port and protocol, e.g. 22/tcp or 60000-61000/udp';
const SEVERITY_ENUM = ['critical', 'high', 'medium', 'low', 'info'];

/** The policy file's JSON schema (draft-07); schemas/policy.schema.json is this object. */
export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://portcullis.invalid/schemas/policy.schema.json',
  title: 'Portcullis audit policy',
  description: 'Trusted sources, public ports, severity overrides and exceptions for `portcullis audit --config`.',
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { description: 'the policy format version, 1', const: 1 },
    trusted: {
      description: 'named trusted source lists: list name → CIDRs or names of other lists',
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_.-]*$' },
      additionalProperties: {
        description: 'a list of CIDRs (198.51.100.0/24, 2001:db8::/32) or names of other trusted lists',
        type: 'array',
        items: { description: 'a CIDR or the name of another trusted list', type: 'string', minLength: 1 },
      },
    },
    public: {
      description: 'ports meant to be public, per host group',
      type: 'array',
      items: {
        description: 'an entry with hosts (hostname globs) and ports',
        type: 'object',
        additionalProperties: false,
        required: ['hosts', 'ports'],
        properties: {
          hosts: { description: 'hostname globs, e.g. ["web-*"] or ["*"]', type: 'array', minItems: 1, items: { description: 'a hostname glob, e.g. web-*', type: 'string', minLength: 1 } },
          ports: { description: `a list of ports, each ${PORT_DESCRIPTION}`, type: 'array', items: { description: PORT_DESCRIPTION, type: 'string', pattern: PORT_PATTERN } },
        },
      },
    },
    severity: {
      description: 'severity per check id, e.g. kernel-hardening: low',
      type: 'object',
      additionalProperties: { description: 'one of critical, high, medium, low, info', enum: SEVERITY_ENUM },
    },
    'restricted-ports': {
      description: `ports that must not be open to the world (default 20/tcp, 21/tcp, 3389/tcp, 3306/tcp, 4333/tcp), each ${PORT_DESCRIPTION}`,
      type: 'array',
      items: { description: PORT_DESCRIPTION, type: 'string', pattern: PORT_PATTERN },
    },
    allow: {
      description: 'ports open only to named sources, per host group (portcullis harden opens them to these sources and nobody else)',
      type: 'array',
      items: {
        description: 'an entry with hosts (hostname globs), ports and from (trusted list names or CIDRs)',
        type: 'object',
        additionalProperties: false,
        required: ['hosts', 'ports', 'from'],
        properties: {
          hosts: { description: 'hostname globs, e.g. ["db-*"] or ["*"]', type: 'array', minItems: 1, items: { description: 'a hostname glob, e.g. db-*', type: 'string', minLength: 1 } },
          ports: { description: `a list of ports, each ${PORT_DESCRIPTION}`, type: 'array', minItems: 1, items: { description: PORT_DESCRIPTION, type: 'string', pattern: PORT_PATTERN } },
          from: { description: 'trusted list names or CIDRs, e.g. [admins, 198.51.100.0/24]', type: 'array', minItems: 1, items: { description: 'a trusted list name or a CIDR', type: 'string', minLength: 1 } },
        },
      },
    },
    harden: {
      description: 'settings of portcullis harden',
      type: 'object',
      additionalProperties: false,
      properties: {
        'ephemeral-ports': { description: 'the local port range for outgoing connections (net.ipv4.ip_local_port_range), e.g. 32768-60999', type: 'string', pattern: '^[0-9]{1,5}-[0-9]{1,5}$' },
        'admin-ports': { description: `ports that get the per-source limit on new connections (default: the remote-admin services listening, e.g. ssh), each ${PORT_DESCRIPTION}`, type: 'array', items: { description: PORT_DESCRIPTION, type: 'string', pattern: PORT_PATTERN } },
        'admin-rate-limit': {
          description: 'new connections per source allowed on admin ports (default 6 per 30 seconds, as ufw limit)',
          type: 'object',
          additionalProperties: false,
          required: ['connections', 'seconds'],
          properties: {
            connections: { description: 'new connections per source, 1-1000', type: 'integer', minimum: 1, maximum: 1000 },
            seconds: { description: 'within this many seconds, 1-86400', type: 'integer', minimum: 1, maximum: 86400 },
          },
        },
      },
    },
    exceptions: {
      description: 'accepted findings, each with a reason and an expiry date',
      type: 'array',
      items: {
        description: 'an exception with reason, expires and at least one of host, check, service',
        type: 'object',
        additionalProperties: false,
        required: ['reason', 'expires'],
        anyOf: [{ required: ['host'] }, { required: ['check'] }, { required: ['service'] }],
        properties: {
          host: { description: 'a hostname glob, e.g. db-*', type: 'string', minLength: 1 },
          check: { description: 'a check id, e.g. exposed-datastore', type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
          service: { description: PORT_DESCRIPTION, type: 'string', pattern: PORT_PATTERN },
          reason: { description: 'why the exception exists (who, what ticket)', type: 'string', minLength: 3 },
          expires: { description: 'the last day the exception applies, YYYY-MM-DD', type: 'string', format: 'date' },
        },
      },
    },
  },
} as const;

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv, formats: string[]) => Ajv;

let validator: ReturnType<Ajv['compile']> | null = null;

function validate(value: unknown): ErrorObject[] {
  // Compiled once, on first use: most runs have no policy file.
  validator ??= addFormats(new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false }), ['date']).compile(POLICY_SCHEMA);
  return validator(value) ? [] : (validator.errors ?? []);
}

interface Ctx {
  file: string;
  doc: Document;
  lines: LineCounter;
  diagnostics: Diagnostic[];
}

type Segment = string | number;

function pathText(path: readonly Segment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? '(top level)' : out;
}

function lineAt(ctx: Ctx, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : ctx.lines.linePos(offset).line;
}

function nodeAt(ctx: Ctx, path: readonly Segment[]): Node | null {
  const node = path.length === 0 ? ctx.doc.contents : ctx.doc.getIn(path, true);
  return isNode(node) ? node : null;
}

/** The line of the key `key` inside the map at `path` (for unknown keys), or of the map. */
function keyLine(ctx: Ctx, path: readonly Segment[], key: string): number | undefined {
  const node = nodeAt(ctx, path);
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return lineAt(ctx, item.key.range?.[0]);
    }
  }
  return lineAt(ctx, node?.range?.[0]);
}

function locate(ctx: Ctx, path: readonly Segment[]): Location {
  const line = lineAt(ctx, nodeAt(ctx, path)?.range?.[0]);
  return line === undefined ? { file: ctx.file } : { file: ctx.file, line };
}

function report(ctx: Ctx, path: readonly Segment[], message: string, expected: string, input: unknown, line?: number): void {
  const location = line !== undefined ? { file: ctx.file, line } : locate(ctx, path);
  const d: Diagnostic = { code: 'policy.invalid', severity: 'error', message: `${pathText(path)}: ${message}`, location, expected };
  if (input !== undefined) d.input = excerpt(typeof input === 'string' ? input : JSON.stringify(input));
  ctx.diagnostics.push(d);
}

function splitPointer(pointer: string, value: unknown): Segment[] {
  if (pointer === '') return [];
  const out: Segment[] = [];
  let cursor: unknown = value;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const asIndex = Array.isArray(cursor) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(asIndex);
    cursor = cursor !== null && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

function schemaErrors(ctx: Ctx, value: unknown, errors: readonly ErrorObject[]): void {
  const seen = new Set<string>();
  // An anyOf failure repeats as one "required" error per branch: say it once, in words.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const e of errors) {
    const path = splitPointer(e.instancePath, value);
    const description = (e.parentSchema as { description?: string } | undefined)?.description ?? 'a valid value';
    let key = `${e.instancePath}|${e.keyword}`;
    switch (e.keyword) {
      case 'required': {
        if (anyOfPaths.has(e.instancePath) && e.schemaPath.includes('anyOf')) continue;
        const missing = (e.params as { missingProperty: string }).missingProperty;
        key += `|${missing}`;
        if (!seen.has(key)) report(ctx, path, `missing key "${missing}"`, describeKey(path, missing), undefined);
        break;
      }
      case 'anyOf':
        if (!seen.has(key)) report(ctx, path, 'an exception must say what it matches', 'at least one of host, check, service', undefined);
        break;
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        key += `|${extra}`;
        const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
        if (!seen.has(key)) report(ctx, [...path, extra], 'unknown key', allowed.length > 0 ? `one of ${allowed.join(', ')}` : description, extra, keyLine(ctx, path, extra));
        break;
      }
      case 'propertyNames': {
        const name = (e.params as { propertyName?: string }).propertyName ?? '';
        key += `|${name}`;
        if (!seen.has(key)) report(ctx, [...path, name], 'invalid list name', 'a name starting with a letter (letters, digits, _ . -)', name, keyLine(ctx, path, name));
        break;
      }
      case 'format':
      case 'pattern':
        // propertyNames failures also surface as pattern errors at the parent: reported above.
        if (e.schemaPath.includes('propertyNames')) continue;
        if (!seen.has(key)) report(ctx, path, 'invalid value', description, e.data);
        break;
      default:
        if (!seen.has(key)) report(ctx, path, MESSAGES[e.keyword]?.(e) ?? 'invalid value', description, e.data);
    }
    seen.add(key);
  }
}

const MESSAGES: Record<string, (e: ErrorObject) => string> = {
  type: (e) => `not ${/^[aeiou]/.test(String(e.params['type'])) ? 'an' : 'a'} ${String(e.params['type'])}`,
  minLength: () => 'too short',
  minItems: () => 'empty list',
  enum: () => 'not one of the allowed values',
  const: () => 'unsupported value',
};

function describeKey(path: readonly Segment[], key: string): string {
  const parent = path.find((s) => typeof s === 'string');
  const props = (POLICY_SCHEMA.properties as Record<string, { items?: { properties?: Record<string, { description?: string }> } }>)[String(parent)]?.items?.properties;
  const d = props?.[key]?.description;
  return d ? `${key}: ${d}` : `a "${key}" key`;
}

function parsePort(text: string): PortRange | null {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?\/(tcp|udp)$/.exec(text);
  if (!m) return null;
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  if (from > to || to > 65535) return null;
  return { proto: m[3] as 'tcp' | 'udp', from, to };
}

function ports(ctx: Ctx, path: Segment[], list: readonly string[]): PortRange[] {
  const out: PortRange[] = [];
  list.forEach((text, i) => {
    const p = parsePort(text);
    if (p) out.push(p);
    else report(ctx, [...path, i], 'port out of range', `${PORT_DESCRIPTION}, ports 0-65535, low end first`, text);
  });
  return out;
}

/** Real calendar date (rejects 2026-02-30). */
function isRealDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function resolveTrusted(ctx: Ctx, raw: Record<string, string[]>): TrustedList[] {
  const resolved = new Map<string, { ipv4: string[]; ipv6: string[] }>();
  const visiting = new Set<string>();
  const resolve = (name: string, trail: string[]): { ipv4: string[]; ipv6: string[] } => {
    const done = resolved.get(name);
    if (done) return done;
    if (visiting.has(name)) {
      report(ctx, ['trusted', name], 'trusted lists refer to each other in a cycle', 'lists that end in CIDRs', [...trail, name].join(' → '));
      return { ipv4: [], ipv6: [] };
    }
    visiting.add(name);
    const out = { ipv4: [] as string[], ipv6: [] as string[] };
    (raw[name] ?? []).forEach((entry, i) => {
      const cidr = parseCidr(entry);
      if (cidr) {
        out[cidr.family].push(entry);
      } else if (Object.hasOwn(raw, entry)) {
        const sub = resolve(entry, [...trail, name]);
        out.ipv4.push(...sub.ipv4);
        out.ipv6.push(...sub.ipv6);
      } else {
        const known = Object.keys(raw).filter((k) => k !== name);
        report(ctx, ['trusted', name, i], /^[0-9a-f:.]+(\/\d+)?$/i.test(entry) ? 'not a valid CIDR' : 'unknown trusted list', `a CIDR such as 198.51.100.0/24 or 2001:db8::/32${known.length > 0 ? `, or one of the lists ${known.join(', ')}` : ''}`, entry);
      }
    });
    visiting.delete(name);
    const unique = { ipv4: [...new Set(out.ipv4)], ipv6: [...new Set(out.ipv6)] };
    resolved.set(name, unique);
    return unique;
  };
  return Object.keys(raw).map((name) => {
    const lists = resolve(name, []);
    return { name, ...lists, location: locate(ctx, ['trusted', name]) };
  });
}

interface RawPolicy {
  trusted?: Record<string, string[]>;
  public?: { hosts: string[]; ports: string[] }[];
  severity?: Record<string, PolicySeverity>;
  'restricted-ports'?: string[];
  exceptions?: { host?: string; check?: string; service?: string; reason: string; expires: string }[];
  allow?: { hosts: string[]; ports: string[]; from: string[] }[];
  harden?: { 'ephemeral-ports'?: string; 'admin-ports'?: string[]; 'admin-rate-limit'?: { connections: number; seconds: number } };
}

function allowEntries(ctx: Ctx, raw: RawPolicy, trusted: readonly TrustedList[]): AllowEntry[] {
  const lists = new Map(trusted.map((t) => [t.name, t]));
  return (raw.allow ?? []).map((entry, i) => {
    const from: AllowSources = { names: [...entry.from], ipv4: [], ipv6: [] };
    entry.from.forEach((name, j) => {
      const cidr = parseCidr(name);
      const list = lists.get(name);
      if (cidr) from[cidr.family].push(name);
      else if (list) {
        from.ipv4.push(...list.ipv4);
        from.ipv6.push(...list.ipv6);
      } else {
        const known = [...lists.keys()];
        report(ctx, ['allow', i, 'from', j], /^[0-9a-f:.]+(\/\d+)?$/i.test(name) ? 'not a valid CIDR' : 'unknown trusted list', `a CIDR such as 198.51.100.0/24 or 2001:db8::/32${known.length > 0 ? `, or one of the trusted lists ${known.join(', ')}` : ' (the policy defines no trusted lists)'}`, name);
      }
    });
    from.ipv4 = [...new Set(from.ipv4)];
    from.ipv6 = [...new Set(from.ipv6)];
    return { hosts: entry.hosts, ports: ports(ctx, ['allow', i, 'ports'], entry.ports), from, location: locate(ctx, ['allow', i]) };
  });
}

function hardenSettings(ctx: Ctx, raw: NonNullable<RawPolicy['harden']>): HardenSettings {
  let ephemeralPorts: HardenSettings['ephemeralPorts'] = null;
  const range = raw['ephemeral-ports'];
  if (range !== undefined) {
    const [from, to] = range.split('-').map(Number) as [number, number];
    // The kernel takes 1-65535; below 1024 would hand out ports that services bind.
    if (from < 1024 || to > 65535 || from >= to) report(ctx, ['harden', 'ephemeral-ports'], 'not a usable port range', 'FROM-TO with 1024 <= FROM < TO <= 65535, e.g. 32768-60999', range);
    else ephemeralPorts = { from, to };
  }
  const adminPorts = raw['admin-ports'] ? ports(ctx, ['harden', 'admin-ports'], raw['admin-ports']) : null;
  const limit = raw['admin-rate-limit'];
  return { ephemeralPorts, adminPorts, adminRateLimit: limit ? { connections: limit.connections, seconds: limit.seconds } : null, location: locate(ctx, ['harden']) };
}

function build(ctx: Ctx, raw: RawPolicy): Policy {
  const trusted = resolveTrusted(ctx, raw.trusted ?? {});
  const publicPorts: PublicPorts[] = (raw.public ?? []).map((entry, i) => ({
    hosts: entry.hosts,
    ports: ports(ctx, ['public', i, 'ports'], entry.ports),
    location: locate(ctx, ['public', i]),
  }));
  const severityLocations: Record<string, Location> = {};
  for (const id of Object.keys(raw.severity ?? {})) {
    const line = keyLine(ctx, ['severity'], id);
    severityLocations[id] = line === undefined ? { file: ctx.file } : { file: ctx.file, line };
  }
  const exceptions: PolicyException[] = (raw.exceptions ?? []).map((e, i) => {
    if (!isRealDate(e.expires)) report(ctx, ['exceptions', i, 'expires'], 'not a calendar date', 'the last day the exception applies, YYYY-MM-DD', e.expires);
    let service: PortRange | null = null;
    if (e.service !== undefined) service = ports(ctx, ['exceptions', i, 'service'], [e.service])[0] ?? null;
    return { host: e.host ?? null, check: e.check ?? null, service, reason: e.reason, expires: e.expires, location: locate(ctx, ['exceptions', i]) };
  });
  const policy: Policy = {
    file: ctx.file,
    trusted,
    publicPorts,
    severity: { ...(raw.severity ?? {}) },
    severityLocations,
    restrictedPorts: raw['restricted-ports'] ? ports(ctx, ['restricted-ports'], raw['restricted-ports']) : null,
    exceptions,
  };
  if (raw.allow) policy.allow = allowEntries(ctx, raw, trusted);
  if (raw.harden) policy.harden = hardenSettings(ctx, raw.harden);
  return policy;
}

/**
 * Parse and validate a policy file. `value` is null when any error was found (the
 * diagnostics say which key, on which line, and what was expected).
 */
export function parsePolicy(text: string, file: string): Parsed<Policy | null> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const ctx: Ctx = { file, doc, lines, diagnostics: [] };
  for (const err of doc.errors) {
    const d: Diagnostic = { code: 'policy.yaml', severity: 'error', message: `not valid YAML: ${err.message.split('\n')[0]}`, location: { file, line: lines.linePos(err.pos[0]).line }, expected: 'a YAML mapping' };
    d.input = excerpt(text.slice(err.pos[0], err.pos[0] + 60));
    ctx.diagnostics.push(d);
  }
  if (ctx.diagnostics.length > 0) return { value: null, diagnostics: ctx.diagnostics };
  const selfRef = selfReferenceLine(doc, lines);
  if (selfRef !== null) {
    // `trusted: &t {a: *t}` builds a cyclic value: nothing a policy can mean (issue 9).
    ctx.diagnostics.push({ code: 'policy.yaml', severity: 'error', message: 'an alias refers to a node that contains it (a self-reference)', location: { file, line: selfRef }, expected: 'aliases (*name) that refer to an anchor (&name) outside themselves' });
    return { value: null, diagnostics: ctx.diagnostics };
  }
  let value: unknown;
  try {
    // toJS throws on unresolved aliases and alias bombs (maxAliasCount): bad input, not a bug.
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.diagnostics.push({ code: 'policy.yaml', severity: 'error', message: `not valid YAML: ${message}`, location: { file, line: 1 }, expected: 'a YAML mapping without unresolved or exploding aliases' });
    return { value: null, diagnostics: ctx.diagnostics };
  }
  const errors = validate(value);
  if (errors.length > 0) {
    schemaErrors(ctx, value, errors);
    return { value: null, diagnostics: ctx.diagnostics };
  }
  const policy = build(ctx, value as RawPolicy);
  return ctx.diagnostics.some((d) => d.severity === 'error') ? { value: null, diagnostics: ctx.diagnostics } : { value: policy, diagnostics: ctx.diagnostics };
}

/** The line of the first alias that refers to one of its own ancestors, or null. */
function selfReferenceLine(doc: Document, lines: LineCounter): number | null {
  let line: number | null = null;
  visit(doc, {
    Alias(_key, node, path) {
      const target = node.resolve(doc);
      if (target && path.includes(target)) {
        line = lines.linePos(node.range?.[0] ?? 0).line;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return line;
}
