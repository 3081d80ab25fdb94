/**
 * One element of a named set or map as the parser keeps it. Its JSON path is spelled only
 * when something asks for it (a diagnostic, a test): a million-element fail2ban set must
 * not build a million path strings that nothing reads.
 *
 * @module
 */
import { type Json, type NftElem, isObject } from './types.js';

/** The JSON path of element `index` of the set at `setPath`. */
export function elemPath(setPath: string, index: number): string {
  return `${setPath}.elem[${index}]`;
}

export class SetElement implements NftElem {
  key: Json;
  declare data?: Json;
  declare timeout?: number;
  readonly #setPath: string;
  readonly #index: number;

  constructor(key: Json, setPath: string, index: number) {
    this.key = key;
    this.#setPath = setPath;
    this.#index = index;
  }

  get path(): string {
    return elemPath(this.#setPath, this.#index);
  }
}

/**
 * The element `e` of a set's `elem` list: `{"elem": {"val": …, "timeout": …, "expires": …}}`
 * wraps a value that has properties (CrowdSec's and fail2ban's bans carry their time left),
 * and only its `val` is what the set holds. A wrapper without `val` is kept as it is: the
 * parser reports it.
 */
export function setElementOf(e: Json, setPath: string, index: number): SetElement {
  const out = new SetElement(e, setPath, index);
  if (isObject(e) && isObject(e['elem']) && e['elem']['val'] !== undefined) {
    const w = e['elem'];
    out.key = w['val']!;
    if (typeof w['timeout'] === 'number') out.timeout = w['timeout'];
  }
  return out;
}
