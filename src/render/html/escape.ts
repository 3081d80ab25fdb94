/**
 * HTML escaping. Rule texts, comments, process names and host names are attacker-influenced
 * (anyone who can add an iptables comment or name a process writes into the report), so
 * every piece of data goes through `h` and nothing is ever inserted as markup.
 *
 * @module
 */
import { printable } from '../common/printable.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for element content and quoted attribute values; control and bidi characters shown as escapes. */
export function h(text: string | number): string {
  const shown = printable(String(text));
  // Searched first: most pieces need no entity, and a replace that finds none still copies.
  return HAS_SPECIAL.test(shown) ? shown.replace(SPECIAL, (ch) => ENTITIES[ch]!) : shown;
}

const SPECIAL = /[&<>"']/g;
/** Without /g: test() keeps no lastIndex from one call to the next. */
const HAS_SPECIAL = /[&<>"']/;

/** Only these characters in class names and data keys we build ourselves from enums. */
export function token(text: string): string {
  return text.replace(/[^a-z0-9-]/gi, '-');
}
