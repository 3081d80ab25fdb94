/**
 * Ansible host ranges: "web[01:10].example.com" is web01 … web10 (leading zeros keep the
 * width), "db-[a:c]" is db-a, db-b, db-c, "[1:10:3]" steps by 3. Several ranges in one name
 * multiply out.
 *
 * @module
 */

/** Hosts a range expands to at most: a typo such as [1:9999999] must not eat the memory. */
export const MAX_RANGE_HOSTS = 100_000;

/** The names a pattern stands for, or an error message. */
export function expandHostRange(pattern: string): { names: string[] } | { error: string } {
  const m = /^(.*?)\[([^\]]*)\](.*)$/.exec(pattern);
  if (!m) return { names: [pattern] };
  const [, head, spec, tail] = m as unknown as [string, string, string, string];
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3) return { error: `"[${spec}]" is not a range; expected [START:END] or [START:END:STEP], e.g. [01:10] or [a:f]` };
  const [start, end, stepText = '1'] = parts as [string, string, string?];
  const step = /^\d+$/.test(stepText) ? Number(stepText) : NaN;
  if (!(step >= 1)) return { error: `step "${stepText}" in "[${spec}]" is not a positive integer` };
  let items: string[];
  if (/^\d*$/.test(start) && /^\d+$/.test(end)) {
    const first = start === '' ? 0 : Number(start);
    const last = Number(end);
    if (first > last) return { error: `range "[${spec}]" runs backwards` };
    if ((last - first) / step + 1 > MAX_RANGE_HOSTS) return { error: `range "[${spec}]" has more than ${MAX_RANGE_HOSTS} hosts` };
    // "[01:10]": the width of the start is kept (Ansible pads to it).
    const width = start.length;
    items = [];
    for (let i = first; i <= last; i += step) items.push(String(i).padStart(width, '0'));
  } else if (/^[a-zA-Z]$/.test(start) && /^[a-zA-Z]$/.test(end)) {
    const first = start.charCodeAt(0);
    const last = end.charCodeAt(0);
    if (first > last) return { error: `range "[${spec}]" runs backwards` };
    items = [];
    for (let c = first; c <= last; c += step) items.push(String.fromCharCode(c));
  } else {
    return { error: `"[${spec}]" is not a range; expected numbers ([01:10]) or single letters ([a:f])` };
  }
  const rest = expandHostRange(tail);
  if ('error' in rest) return rest;
  const names: string[] = [];
  for (const i of items) {
    for (const t of rest.names) {
      names.push(head + i + t);
      if (names.length > MAX_RANGE_HOSTS) return { error: `"${pattern}" expands to more than ${MAX_RANGE_HOSTS} hosts` };
    }
  }
  return { names };
}
