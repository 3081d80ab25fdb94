/**
 * "[USER@]HOST[:PORT]" as written on the command line → {@link SshTarget}. An IPv6 address
 * with a port goes in brackets ("[2001:db8::5]:2222"); a bare IPv6 address has no port.
 *
 * @module
 */
import type { Diagnostic, Parsed } from '../model/diagnostics.js';
import type { SshTarget } from '../model/ssh-target.js';

const EXPECTED = '[USER@]HOST[:PORT], e.g. web-1, root@192.0.2.13:2222 or admin@[2001:db8::5]:22';

/** One target; null with a diagnostic when it cannot be one. */
export function parseSshTarget(text: string, source = 'command line'): Parsed<SshTarget | null> {
  const bad = (message: string): Parsed<null> => {
    const d: Diagnostic = { code: 'parse.ssh-target', severity: 'error', message, location: { file: source }, expected: EXPECTED, input: text };
    return { value: null, diagnostics: [d] };
  };
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user !== undefined && !/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/.test(user)) return bad(`"${user}" is not a user name`);
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(rest);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2];
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = rest; // a bare IPv6 address
  } else {
    const colon = rest.indexOf(':');
    host = colon >= 0 ? rest.slice(0, colon) : rest;
    portText = colon >= 0 ? rest.slice(colon + 1) : undefined;
  }
  // ssh would read a leading "-" as an option; we also pass "--", but refuse it plainly.
  if (host === '' || host.startsWith('-') || !/^[A-Za-z0-9._:%-]+$/.test(host)) return bad(`"${host}" is not a host name or address`);
  const target: SshTarget = { name: text, host };
  if (user !== undefined) target.user = user;
  if (portText !== undefined) {
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return bad(`"${portText}" is not a port (1-65535)`);
    target.port = port;
  }
  return { value: target, diagnostics: [] };
}
