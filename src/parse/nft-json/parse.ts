/**
 * `nft -j list ruleset` text → {@link NftRuleset}. Pure; never throws on bad input: every
 * problem becomes a diagnostic with the JSON path of the offending object and what was
 * expected there, and the objects that could be read are kept.
 *
 * @module
 */
import { type Diagnostic, type Parsed, excerpt } from '../../model/diagnostics.js';
import { DeferredRule, type RuleDump, type RuleHead } from './deferred-rule.js';
import { keepAddressSet, readAddressSetText } from './address-set-text.js';
import { itemSpans } from './item-spans.js';
import { locateJsonError } from './json-error.js';
import { elemPath, setElementOf } from './set-element.js';
import {
  type Json,
  type JsonObject,
  type NftChain,
  type NftElem,
  type NftRule,
  type NftRuleset,
  type NftSet,
  isObject,
  soleKey,
} from './types.js';

/** The libnftables JSON schema versions this reader knows. */
export const KNOWN_SCHEMA_VERSIONS: readonly number[] = [1];

/** Object kinds kept as opaque named objects (ct helper, counters, …). */
const OBJECT_KINDS = new Set(['ct helper', 'ct timeout', 'ct expectation', 'counter', 'quota', 'limit', 'flowtable', 'synproxy', 'secmark', 'tunnel']);

/**
 * Real dumps nest a few levels; lowering and rendering recurse, so anything far deeper is
 * rejected here rather than risking the stack.
 */
const MAX_DEPTH = 100;

/** Recursion stops at the limit, so the check itself cannot overflow. */
function tooDeep(v: Json, depth = 0): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (tooDeep(x, depth + 1)) return true;
    return false;
  }
  for (const k in v) if (tooDeep(v[k]!, depth + 1)) return true;
  return false;
}

/**
 * Whether the text nests fewer than `limit` brackets anywhere (strings skipped). A dump that
 * does needs no per-rule {@link tooDeep} walk: rule statements sit inside the document.
 */
function nestsLessThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth >= limit) return false;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return true;
}

/** `$.nftables[k].rule`, or `$.nftables[k]["ct helper"]` for a kind that is not a plain name. */
function itemPath(k: number, kind: string): string {
  return PLAIN_KINDS.has(kind) || /^[a-z_]+$/i.test(kind) ? `$.nftables[${k}].${kind}` : `$.nftables[${k}]["${kind}"]`;
}
const PLAIN_KINDS: ReadonlySet<string> = new Set(['rule', 'chain', 'set', 'map', 'table', 'element', 'metainfo']);

export function emptyRuleset(): NftRuleset {
  return { metainfo: null, tables: [], chains: [], rules: [], sets: [], objects: [] };
}

/** A value as JSON for an error message; one nested too deep to stringify is named, not thrown (issue 9). */
function shownJson(v: Json): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return '(nested too deeply to show)';
  }
}

export interface ParseNftOptions {
  /**
   * Read each rule only when lowering first asks for it (one-flow `explain`: it lowers a few
   * chains of tens of thousands). The text is still checked to be JSON in full first
   * ({@link itemSpans}); a rule's own problems are reported through `onLate` when it is read.
   * A dump not in the shape nft prints is read whole, as without this option.
   */
  deferRules?: { onLate: (late: Diagnostic[]) => void };
}

/** Parse the JSON printed by `nft -j list ruleset` (or `nft -j list table …`). */
export function parseNftJson(text: string, file: string, options: ParseNftOptions = {}): Parsed<NftRuleset> {
  const diagnostics: Diagnostic[] = [];
  const value = emptyRuleset();
  const defer = options.deferRules;
  const spans = defer ? itemSpans(text, MAX_DEPTH) : null;
  if (defer && spans) {
    readSpans(text, spans, file, value, diagnostics, defer.onLate);
    checkReferences(value, diagnostics, file);
    return { value, diagnostics };
  }
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    const place = locateJsonError(text);
    const truncated = place.truncated && text.trim().length > 0;
    diagnostics.push({
      code: truncated ? 'parse.nft-json.truncated' : 'parse.nft-json.invalid-json',
      severity: 'error',
      message: truncated
        ? `the nft JSON ends before it is complete (line ${place.line}, column ${place.column}): the dump was cut short`
        : `not valid JSON at line ${place.line}, column ${place.column}: ${(err as Error).message}`,
      location: { file, line: place.line },
      expected: text.trim().length === 0 ? 'the output of `nft -j list ruleset`, e.g. {"nftables": [{"metainfo": {…}}, …]}' : 'valid JSON',
      input: excerpt(text.slice(Math.max(0, place.offset - 40), place.offset + 40)),
    });
    return { value, diagnostics };
  }
  const err = shapeError(diagnostics, file);
  if (!isObject(doc) || !Array.isArray(doc['nftables'])) {
    err('$', 'an object {"nftables": [ … ]}', doc, 'the document is not an nft JSON ruleset');
    return { value, diagnostics };
  }
  // Most dumps nest a dozen levels: then no rule or set needs its own depth walk.
  const reader = itemReader(file, value, diagnostics, nestsLessThan(text, MAX_DEPTH));
  doc['nftables'].forEach((item, k) => reader.readItem(item, k));
  checkReferences(value, diagnostics, file);
  return { value, diagnostics };
}

/**
 * The head nft prints for a rule item, read without parsing the item: its family, table and
 * chain (names without quotes or escapes; anything else makes the item parsed at once).
 */
const RULE_HEAD = /\{\s*"rule"\s*:\s*\{\s*"family"\s*:\s*"([^"\\]*)"\s*,\s*"table"\s*:\s*"([^"\\]*)"\s*,\s*"chain"\s*:\s*"([^"\\]*)"\s*,/y;

/**
 * A regular chain item as nft prints it (no type, hook, priority, policy or device; names
 * without quotes or escapes): kube-proxy writes 20,000, read without parsing each item.
 */
const PLAIN_CHAIN = /\{\s*"chain"\s*:\s*\{\s*"family"\s*:\s*"([^"\\]*)"\s*,\s*"table"\s*:\s*"([^"\\]*)"\s*,\s*"name"\s*:\s*"([^"\\]*)"\s*,\s*"handle"\s*:\s*(0|[1-9]\d{0,14})\s*\}\s*\}/y;

/**
 * A deferred read of checked JSON text ({@link itemSpans}): every item but the rules is read
 * now; each rule is parsed when first asked for, its problems going to `onLate` then.
 */
function readSpans(text: string, spans: readonly number[], file: string, value: NftRuleset, diagnostics: Diagnostic[], onLate: (late: Diagnostic[]) => void): void {
  const reader = itemReader(file, value, diagnostics, true);
  // One reader for every deferred rule (a full load reads 40,000): it reads into `one` and
  // `late`, emptied before each rule and copied out after.
  const one = emptyRuleset();
  const lateOfOne: Diagnostic[] = [];
  const ruleReader = itemReader(file, one, lateOfOne, true);
  const readRule = (d: DeferredRule): NftRule | null => {
    one.rules.length = 0;
    lateOfOne.length = 0;
    ruleReader.readItem(JSON.parse(text.slice(d.start, d.end)) as Json, d.index);
    const late = lateOfOne.slice();
    let rule: NftRule | null = one.rules[0] ?? null;
    if (rule !== null && (rule.family !== d.family || rule.table !== d.table || rule.chain !== d.chain)) {
      // Only a member named twice reads differently whole (JSON.parse keeps the last): refuse it rather than guess.
      shapeError(late, file)(d.path, 'each of family, table and chain once', `${rule.family} ${rule.table} ${rule.chain}`, `rule names its family, table or chain twice`);
      rule = null;
    }
    if (late.length > 0) onLate(late);
    return rule;
  };
  const dump: RuleDump = { text, read: readRule, file: null };
  const marks = setUpdateMarks(text);
  let m = 0;
  // Consecutive rules of one chain share its name strings: later comparisons are by identity.
  let family = '';
  let table = '';
  let chain = '';
  // What the rules of one table share: made again when a rule's family or table changes.
  let ruleHead: RuleHead = { family, table, dump };
  // nft lists a table's chains, then their rules chain by chain in the same order: a run's chain
  // name is the string its chain item holds, found at or just past the last one met (kube-proxy:
  // 20,000 names, each kept once instead of twice, and lowering's lookups by name find the very
  // key they stored: issue 8). Past a few chains without rules, or another order, the rule keeps its own.
  let nextChain = 0;
  const chainName = (name: string): string => {
    const chains = value.chains;
    for (let j = nextChain; j < chains.length && j < nextChain + 8; j++) {
      const c = chains[j]!;
      if (c.name === name && c.table === table && c.family === family) {
        nextChain = j + 1;
        return c.name;
      }
    }
    return name;
  };
  // The previous rule's head as written: a rule whose text starts with the same characters has
  // the same family, table and chain (the pattern reads nothing past its head), and needs no
  // match (its array and three strings, for 40,000 rules of kube-proxy: issue 8).
  let head = '';
  for (let j = 0, k = 0; j < spans.length; j += 2, k++) {
    const start = spans[j]!;
    const end = spans[j + 1]!;
    if (head !== '' && start + head.length <= end && text.startsWith(head, start)) {
      while (m < marks.length && marks[m]! < start) m++;
      value.rules.push(new DeferredRule(ruleHead, chain, k, start, end, m < marks.length && marks[m]! < end));
      continue;
    }
    head = '';
    RULE_HEAD.lastIndex = start;
    const found = RULE_HEAD.exec(text);
    if (found === null || RULE_HEAD.lastIndex > end) {
      PLAIN_CHAIN.lastIndex = start;
      const chainItem = PLAIN_CHAIN.exec(text);
      if (chainItem !== null && PLAIN_CHAIN.lastIndex === end) {
        if (chainItem[1] !== family) family = chainItem[1]!;
        if (chainItem[2] !== table) table = chainItem[2]!;
        // What readChain makes of it: a handle of at most 15 digits is the number JSON.parse reads.
        value.chains.push({ family, table, name: chainItem[3]!, handle: Number(chainItem[4]), path: ['$.nftables[', k, '].chain'].join('') });
        continue;
      }
      const addresses = readAddressSetText(text, start, end, MAX_DEPTH);
      const before = value.sets.length;
      reader.readItem(JSON.parse(addresses === null ? text.slice(start, end) : addresses.rest) as Json, k);
      if (addresses !== null && value.sets.length > before) keepAddressSet(value.sets[before]!, addresses.bounds, text, addresses.elemStart, addresses.elemEnd);
      continue;
    }
    if (found[1] !== family) family = found[1]!;
    if (found[2] !== table) table = found[2]!;
    if (found[3] !== chain) chain = chainName(found[3]!);
    if (ruleHead.family !== family || ruleHead.table !== table) ruleHead = { family, table, dump };
    head = text.slice(start, RULE_HEAD.lastIndex);
    while (m < marks.length && marks[m]! < start) m++;
    value.rules.push(new DeferredRule(ruleHead, chain, k, start, end, m < marks.length && marks[m]! < end));
  }
}

/**
 * Where the text may spell a statement that fills a set at runtime (`add @s`, `update @s`, a
 * meter; see lower.ts findDynamicSets), ascending: JSON spells those names as quoted strings,
 * or with an escape (a backslash). Rules holding none of these places need no parse for it.
 */
function setUpdateMarks(text: string): number[] {
  const marks: number[] = [];
  // One pass for all four (a search per needle read a 17 MB kube-proxy dump four times). A match it steps over
  // (`"add"add"`) shares a quote with the one found, so it lies in the same item: the answer per rule is the same.
  const places = /"add"|"update"|"meter"|\\/g;
  for (let m = places.exec(text); m !== null; m = places.exec(text)) marks.push(m.index);
  return marks;
}

/** A diagnostic for a value of the wrong shape at a JSON path. */
function shapeError(diagnostics: Diagnostic[], file: string): (path: string, expected: string, got: Json | undefined, message: string) => void {
  return (path, expected, got, message) => {
    diagnostics.push({
      code: 'parse.nft-json.shape',
      severity: 'error',
      message,
      location: { file, path },
      expected,
      input: excerpt(got === undefined ? '(missing)' : shownJson(got)),
    });
  };
}

/**
 * Reads ruleset items into `value`, their problems into `diagnostics`. `shallow`: the text
 * is known to nest less than {@link MAX_DEPTH}, so no item needs its own depth walk.
 */
function itemReader(file: string, value: NftRuleset, diagnostics: Diagnostic[], shallow: boolean): { readItem(item: Json, k: number): void } {
  const err = shapeError(diagnostics, file);
  return { readItem };

  function readItem(item: Json, k: number): void {
    const kind = soleKey(item);
    if (kind === null) {
      err(`$.nftables[${k}]`, 'an object with exactly one key, such as {"table": {…}}', item, 'ruleset item is not a one-key object');
      return;
    }
    const body = (item as JsonObject)[kind];
    const p = itemPath(k, kind);
    if (!isObject(body)) {
      err(p, `an object describing the ${kind}`, body, `"${kind}" is not an object`);
      return;
    }
    switch (kind) {
      case 'metainfo':
        readMetainfo(body, p);
        return;
      case 'table': {
        const family = str(body, 'family', p);
        const name = str(body, 'name', p);
        if (family !== null && name !== null) value.tables.push({ family, name, handle: handle(body), path: p });
        return;
      }
      case 'chain':
        readChain(body, p);
        return;
      case 'rule':
        readRule(body, p);
        return;
      case 'set':
      case 'map':
        readSet(kind, body, p);
        return;
      case 'element':
        // `nft -j list ruleset` never prints these; an input script might. Kept out of the model.
        warn(p, `"element" commands are not part of a listed ruleset; ignored`);
        return;
      default:
        if (OBJECT_KINDS.has(kind)) {
          const family = str(body, 'family', p);
          const table = str(body, 'table', p);
          const name = str(body, 'name', p);
          if (family !== null && table !== null && name !== null) value.objects.push({ kind, family, table, name, body, path: p });
          return;
        }
        warn(p, `unknown ruleset object "${kind}" ignored`);
    }
  }

  function warn(path: string, message: string): void {
    diagnostics.push({ code: 'unsupported.nft-json.object', severity: 'warning', message, location: { file, path } });
  }

  function str(body: JsonObject, key: string, path: string): string | null {
    const v = body[key];
    if (typeof v === 'string') return v;
    err(`${path}.${key}`, 'a string', v, `${key} is ${v === undefined ? 'missing' : 'not a string'}`);
    return null;
  }

  function optStr(body: JsonObject, key: string, path: string): string | undefined {
    const v = body[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    err(`${path}.${key}`, 'a string', v, `${key} is not a string`);
    return undefined;
  }

  function handle(body: JsonObject): number | null {
    const h = body['handle'];
    return typeof h === 'number' ? h : null;
  }

  function readMetainfo(body: JsonObject, path: string): void {
    const v = body['json_schema_version'];
    const version = typeof v === 'number' ? v : null;
    value.metainfo = {
      version: typeof body['version'] === 'string' ? body['version'] : null,
      releaseName: typeof body['release_name'] === 'string' ? body['release_name'] : null,
      jsonSchemaVersion: version,
    };
    if (version !== null && !KNOWN_SCHEMA_VERSIONS.includes(version)) {
      diagnostics.push({
        code: 'unsupported.nft-json.schema-version',
        severity: 'warning',
        message: `nft JSON schema version ${version} is not known (known: ${KNOWN_SCHEMA_VERSIONS.join(', ')}); read anyway, anything not understood is treated as uncertain`,
        location: { file, path: `${path}.json_schema_version` },
      });
    }
  }

  function readChain(body: JsonObject, path: string): void {
    const family = str(body, 'family', path);
    const table = str(body, 'table', path);
    const name = str(body, 'name', path);
    if (family === null || table === null || name === null) return;
    const chain: NftChain = { family, table, name, handle: handle(body), path };
    const type = optStr(body, 'type', path);
    const hook = optStr(body, 'hook', path);
    const policy = optStr(body, 'policy', path);
    if (type !== undefined) chain.type = type;
    if (hook !== undefined) chain.hook = hook;
    if (policy !== undefined) chain.policy = policy;
    const prio = body['prio'];
    if (typeof prio === 'number' || typeof prio === 'string') chain.prio = prio;
    else if (prio !== undefined) err(`${path}.prio`, 'a number or a named priority such as "filter + 10"', prio, 'prio has the wrong type');
    const dev = body['dev'];
    if (typeof dev === 'string') chain.dev = dev;
    else if (Array.isArray(dev) && dev.every((d) => typeof d === 'string')) chain.dev = dev as string[];
    if (hook !== undefined && prio === undefined) err(`${path}.prio`, 'a priority for a base chain', prio, `base chain ${name} has a hook but no priority`);
    value.chains.push(chain);
  }

  function readRule(body: JsonObject, path: string): void {
    const family = str(body, 'family', path);
    const table = str(body, 'table', path);
    const chain = str(body, 'chain', path);
    const expr = body['expr'];
    if (!Array.isArray(expr)) {
      err(`${path}.expr`, 'an array of statements', expr, 'rule has no statement list');
      return;
    }
    if (family === null || table === null || chain === null) return;
    if (!shallow && tooDeep(expr)) {
      err(`${path}.expr`, `statements nested at most ${MAX_DEPTH} levels deep`, '(deeply nested)', 'rule statements are nested too deeply to be an nft dump');
      return;
    }
    const rule: NftRule = { family, table, chain, handle: handle(body), expr, path };
    const comment = optStr(body, 'comment', path);
    if (comment !== undefined) rule.comment = comment;
    value.rules.push(rule);
  }

  function readSet(kind: 'set' | 'map', body: JsonObject, path: string): void {
    const family = str(body, 'family', path);
    const table = str(body, 'table', path);
    const name = str(body, 'name', path);
    if (family === null || table === null || name === null) return;
    const rawFlags = body['flags'];
    // nft prints a single flag as a bare string ("flags": "timeout"), several as an array.
    const flags = typeof rawFlags === 'string' ? [rawFlags] : Array.isArray(rawFlags) ? rawFlags.filter((f): f is string => typeof f === 'string') : [];
    if (rawFlags !== undefined && typeof rawFlags !== 'string' && !Array.isArray(rawFlags)) err(`${path}.flags`, 'a flag name or an array of them', rawFlags, 'flags has the wrong type');
    const set: NftSet = { kind, family, table, name, handle: handle(body), type: body['type'] ?? null, flags, elem: [], path };
    if (body['type'] === undefined) err(`${path}.type`, 'a set type such as "ipv4_addr"', undefined, `${kind} ${name} has no type`);
    if (kind === 'map') {
      if (body['map'] === undefined) err(`${path}.map`, 'the data type of the map, e.g. "verdict"', undefined, `map ${name} has no data type`);
      else set.map = body['map'];
    }
    if (typeof body['timeout'] === 'number') set.timeout = body['timeout'];
    const elems = body['elem'];
    if (elems !== undefined && !shallow && tooDeep(elems)) {
      err(`${path}.elem`, `elements nested at most ${MAX_DEPTH} levels deep`, '(deeply nested)', `${kind} ${name} elements are nested too deeply to be an nft dump`);
    } else if (elems !== undefined) {
      const list = Array.isArray(elems) && !(kind === 'map' && isPair(elems)) ? elems : [elems];
      list.forEach((e, k) => {
        const parsed = readElem(kind, e, path, k);
        if (parsed) set.elem.push(parsed);
      });
    }
    value.sets.push(set);
  }

  function isPair(v: Json[]): boolean {
    return v.length === 2 && !Array.isArray(v[0]);
  }

  function readElem(kind: 'set' | 'map', e: Json, setPath: string, index: number): NftElem | null {
    let key: Json = e;
    let data: Json | undefined;
    if (kind === 'map') {
      if (!Array.isArray(e) || e.length !== 2) {
        err(elemPath(setPath, index), 'a [key, data] pair', e, 'map element is not a [key, data] pair');
        return null;
      }
      key = e[0]!;
      data = e[1]!;
    }
    if (isObject(key) && isObject(key['elem']) && key['elem']['val'] === undefined) {
      err(`${elemPath(setPath, index)}.elem.val`, 'the element value', undefined, 'element wrapper has no val');
      return null;
    }
    const out: NftElem = setElementOf(key, setPath, index);
    if (data !== undefined) out.data = data;
    return out;
  }
}

/** Rules, chains and sets must name a table (and rules a chain) the dump declares. */
function checkReferences(value: NftRuleset, diagnostics: Diagnostic[], file: string): void {
  const err = shapeError(diagnostics, file);
  // Each table's chain names. Dumps list a table's items together (kube-proxy: 20,000 chains and
  // 40,000 rules of one table): the previous item's table is found again without a key built.
  const tables = new Map<string, Set<string>>();
  for (const t of value.tables) {
    const key = `${t.family} ${t.name}`;
    if (!tables.has(key)) tables.set(key, new Set());
  }
  let lastFamily: string | null = null;
  let lastTable = '';
  let lastNames: Set<string> | undefined;
  const namesOf = (o: { family: string; table: string }): Set<string> | undefined => {
    if (o.family !== lastFamily || o.table !== lastTable) {
      lastFamily = o.family;
      lastTable = o.table;
      lastNames = tables.get(`${o.family} ${o.table}`);
    }
    return lastNames;
  };
  /** `name` null: the message names the kind alone ("rule refers to …"). */
  const missingTable = (o: { family: string; table: string; path: string }, kind: string, name: string | null): boolean => {
    if (namesOf(o) !== undefined) return false;
    const what = name === null ? kind : `${kind} ${name}`;
    err(`${o.path}.table`, `a table declared in the dump (${[...tables.keys()].join(', ') || 'none'})`, o.table, `${what} refers to table ${o.family} ${o.table}, which the dump does not declare`);
    return true;
  };
  value.chains = value.chains.filter((c) => {
    if (missingTable(c, 'chain', c.name)) return false;
    lastNames!.add(c.name);
    return true;
  });
  value.sets = value.sets.filter((s) => !missingTable(s, s.kind, s.name));
  value.objects = value.objects.filter((o) => !missingTable(o, o.kind, o.name));
  // The previous rule's chain, once known to exist, needs no lookup.
  let known: NftRule | null = null;
  value.rules = value.rules.filter((r) => {
    if (known !== null && r.chain === known.chain && r.table === known.table && r.family === known.family) return true;
    if (missingTable(r, 'rule', null)) return false;
    if (lastNames!.has(r.chain)) {
      known = r;
      return true;
    }
    err(`${r.path}.chain`, `a chain declared in table ${r.family} ${r.table}`, r.chain, `rule refers to chain ${r.chain}, which table ${r.family} ${r.table} does not declare`);
    return false;
  });
}
