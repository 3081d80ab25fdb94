/**
 * nft JSON statements rendered back into nft's own syntax, for rule texts in reports
 * ("ip saddr 192.0.2.0/24 tcp dport { 22, 80 } accept"). Best effort: anything without a
 * rendering here is shown as its JSON, so nothing is ever hidden.
 *
 * @module
 */
import { type Json, isObject, soleKey } from './types.js';
import { nameTable } from '../../model/name-table.js';

/**
 * A JSON value as `String` shows it; an object whose own `toString` or `valueOf` is not a function
 * (JSON can spell `{"toString": {}}`, and `String` then throws: found by fuzz.test.ts, seed
 * -1837401899) is shown as its JSON instead.
 */
function textOf(v: Json | undefined): string {
  if (typeof v !== 'object' || v === null) return String(v);
  try {
    return String(v);
  } catch {
    try {
      return JSON.stringify(v);
    } catch {
      return '(nested too deeply to show)';
    }
  }
}

export function renderExpr(e: Json | undefined): string {
  if (e === undefined) return '';
  if (e === null) return 'null';
  if (typeof e === 'string') return /^[\w.:@/*\\-]+$/.test(e) && e !== '' ? e : JSON.stringify(e);
  if (typeof e === 'number' || typeof e === 'boolean') return e === true ? 'exists' : e === false ? 'missing' : textOf(e);
  if (Array.isArray(e)) return e.map(renderExpr).join(',');
  const key = soleKey(e);
  const b = key !== null ? e[key] : undefined;
  switch (key) {
    case 'payload':
      if (isObject(b) && typeof b['protocol'] === 'string') return `${b['protocol']} ${textOf(b['field'])}`;
      if (isObject(b)) return `@${textOf(b['base'])},${textOf(b['offset'])},${textOf(b['len'])}`;
      break;
    case 'meta':
      // nft prints interface keys without the "meta" prefix.
      if (isObject(b)) return /^[io]if(name|type|group)?$/.test(textOf(b['key'])) ? textOf(b['key']) : `meta ${textOf(b['key'])}`;
      break;
    case 'ct':
      if (isObject(b)) return ['ct', b['dir'], b['family'], b['key']].filter((x) => typeof x === 'string').join(' ');
      break;
    case 'fib':
      if (isObject(b)) return `fib ${(Array.isArray(b['flags']) ? b['flags'] : [b['flags']]).map(textOf).join(' . ')} ${textOf(b['result'])}`;
      break;
    case 'rt':
      if (isObject(b)) return `rt ${textOf(b['key'])}`;
      break;
    case 'tcp option':
    case 'sctp chunk':
    case 'exthdr':
      if (isObject(b)) return [key === 'exthdr' ? '' : key, b['name'], b['field']].filter((x) => typeof x === 'string' && x !== '').join(' ');
      break;
    case 'prefix':
      if (isObject(b)) return `${renderExpr(b['addr'])}/${textOf(b['len'])}`;
      break;
    case 'range':
      if (Array.isArray(b) && b.length === 2) return `${renderExpr(b[0])}-${renderExpr(b[1])}`;
      break;
    case 'concat':
      if (Array.isArray(b)) return b.map(renderExpr).join(' . ');
      break;
    case 'set':
      if (Array.isArray(b)) return `{ ${b.map((x) => (Array.isArray(x) && x.length === 2 ? `${renderExpr(x[0])} : ${renderExpr(x[1])}` : renderExpr(x))).join(', ')} }`;
      return `{ ${renderExpr(b)} }`;
    case 'map':
      if (isObject(b)) return `${renderExpr(b['key'])} map ${renderExpr(b['data'])}`;
      break;
    case 'elem':
      if (isObject(b)) return renderExpr(b['val']);
      break;
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>':
      if (Array.isArray(b) && b.length === 2) return `${renderExpr(b[0])} ${key} ${renderExpr(b[1])}`;
      break;
    case 'accept':
    case 'drop':
    case 'continue':
    case 'return':
      return key;
    case 'jump':
    case 'goto':
      if (isObject(b)) return `${key} ${textOf(b['target'])}`;
      break;
    case 'numgen':
      if (isObject(b)) return `numgen ${textOf(b['mode'])} mod ${textOf(b['mod'])}`;
      break;
    case 'jhash':
    case 'symhash':
      if (isObject(b)) return `${key}${b['expr'] !== undefined ? ' ' + renderExpr(b['expr']) : ''} mod ${textOf(b['mod'])}`;
      break;
    case 'socket':
    case 'osf':
      if (isObject(b)) return `${key} ${textOf(b['key'])}`;
      break;
  }
  return JSON.stringify(e);
}

const OP_TEXT: Record<string, string> = nameTable({ '==': '', in: '' });

export function renderStatement(s: Json): string {
  const key = soleKey(s);
  if (key === null || !isObject(s)) return JSON.stringify(s);
  const b = s[key];
  const o = isObject(b) ? b : {};
  switch (key) {
    case 'match': {
      const op = typeof o['op'] === 'string' ? o['op'] : '==';
      const binop = isObject(o['left']) && ['&', '|', '^'].includes(soleKey(o['left']) ?? '');
      const opText = binop ? op : (OP_TEXT[op] ?? op);
      return [renderExpr(o['left']), opText, renderExpr(o['right'])].filter((x) => x !== '').join(' ');
    }
    case 'accept':
    case 'drop':
    case 'continue':
    case 'return':
    case 'notrack':
      return key;
    case 'jump':
    case 'goto':
      return `${key} ${textOf(o['target'])}`;
    case 'counter':
      return typeof b === 'string' ? `counter name ${b}` : 'counter';
    case 'log':
      return ['log', typeof o['prefix'] === 'string' ? `prefix ${JSON.stringify(o['prefix'])}` : '', o['group'] !== undefined ? `group ${textOf(o['group'])}` : ''].filter(Boolean).join(' ');
    case 'limit':
      if (typeof b === 'string') return `limit name ${b}`;
      return `limit rate ${o['inv'] === true ? 'over ' : ''}${textOf(o['rate'])}${o['rate_unit'] !== undefined && o['rate_unit'] !== 'packets' ? ` ${textOf(o['rate_unit'])}` : ''}/${textOf(o['per'])}`;
    case 'quota':
      return typeof b === 'string' ? `quota name ${b}` : `quota ${o['inv'] === true ? 'over ' : ''}${textOf(o['val'])} ${textOf(o['val_unit'] ?? 'bytes')}`;
    case 'ct count':
      return `ct count ${o['inv'] === true ? 'over ' : ''}${textOf(o['val'])}`;
    case 'reject':
      if (b === null) return 'reject';
      return `reject${o['type'] === 'tcp reset' ? ' with tcp reset' : o['type'] !== undefined ? ` with ${textOf(o['type'])}${o['expr'] !== undefined ? ` ${renderExpr(o['expr'])}` : ''}` : ''}`;
    case 'dnat':
    case 'snat': {
      const to = [o['addr'] !== undefined ? renderExpr(o['addr']) : '', o['port'] !== undefined ? `:${renderExpr(o['port'])}` : ''].join('');
      return `${key}${typeof o['family'] === 'string' ? ` ${o['family']}` : ''} to ${to}`;
    }
    case 'masquerade':
    case 'redirect':
      return `${key}${o['port'] !== undefined ? ` to :${renderExpr(o['port'])}` : ''}`;
    case 'queue':
      return `queue${o['num'] !== undefined ? ` num ${renderExpr(o['num'])}` : ''}`;
    case 'vmap':
      return `${renderExpr(o['key'])} vmap ${renderExpr(o['data'])}`;
    case 'set':
      return `${textOf(o['op'])} ${textOf(o['set'])} { ${renderExpr(o['elem'])}${Array.isArray(o['stmt']) ? ' ' + o['stmt'].map(renderStatement).join(' ') : ''} }`;
    case 'mangle':
      return `${renderExpr(o['key'])} set ${renderExpr(o['value'])}`;
    case 'xt':
      return isObject(b) ? `xt ${textOf(b['type'])} ${textOf(b['name'])}` : 'xt (compat expression)';
    case 'ct helper':
    case 'ct timeout':
    case 'ct expectation':
      return `${key} set ${renderExpr(b)}`;
    case 'flow':
      return `flow ${textOf(o['op'])} ${textOf(o['flowtable'])}`;
  }
  return JSON.stringify(s);
}

/** The whole rule, as `nft list ruleset` would print its statements. */
export function renderRule(expr: readonly Json[], comment?: string): string {
  const text = expr.map(renderStatement).join(' ');
  return comment !== undefined ? `${text} comment ${JSON.stringify(comment)}` : text;
}
