/**
 * Lists filed by key, grown in place.
 *
 * @module
 */

/**
 * Appends `value` to the list `key` names in `map`, making the list on first use. In place:
 * `map.set(key, [...(map.get(key) ?? []), value])` copies the whole list on every append, so a
 * list of n costs n²/2 copies (a 60,000-rule blocklist chain no rule jumps to made an audit
 * take over two minutes, most of it the kernel handing out and taking back memory: issue 8).
 */
export function addToList<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
