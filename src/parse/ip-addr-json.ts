/**
 * `ip -j addr show` (iproute2) → the host's interfaces and addresses.
 *
 * @module
 */
import type { Family } from '../model/addr.js';
import { parseAddr } from '../model/addr.js';
import { type Diagnostic, type Parsed, excerpt } from '../model/diagnostics.js';
import type { InterfaceAddress, NetInterface } from '../model/snapshot.js';
import { isJsonObject as isObject, showJson as show } from './json-shape.js';

type Json = unknown;

/** Parse the JSON text; null (with an error) when it is not a JSON array of links. */
export function parseIpAddrJson(text: string, file: string): Parsed<NetInterface[] | null> {
  let data: Json;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return {
      value: null,
      diagnostics: [
        {
          code: 'parse.ip-addr.json',
          severity: 'error',
          message: `not JSON: ${(err as Error).message}`,
          location: { file },
          expected: 'the output of `ip -j addr show`',
          input: excerpt(text),
        },
      ],
    };
  }
  return parseIpAddrData(data, file);
}

/** Same as {@link parseIpAddrJson} for already parsed JSON. */
export function parseIpAddrData(data: Json, file: string): Parsed<NetInterface[] | null> {
  const diagnostics: Diagnostic[] = [];
  const error = (path: string, message: string, expected: string, input: Json): void => {
    diagnostics.push({ code: 'parse.ip-addr.shape', severity: 'error', message, location: { file, path }, expected, input: show(input) });
  };
  if (!Array.isArray(data)) {
    error('$', 'expected a list of links', 'a JSON array such as [{"ifindex":1,"ifname":"lo",…}]', data);
    return { value: null, diagnostics };
  }
  const value: NetInterface[] = [];
  data.forEach((link, i) => {
    const path = `$[${i}]`;
    // Older iproute2 prints {} for links it filtered out; they carry nothing.
    if (isObject(link) && Object.keys(link).length === 0) return;
    if (!isObject(link) || typeof link['ifname'] !== 'string' || typeof link['ifindex'] !== 'number') {
      error(path, 'link without a name or index', 'an object with "ifindex" (number) and "ifname" (string)', link);
      return;
    }
    const flags = Array.isArray(link['flags']) ? link['flags'].filter((f): f is string => typeof f === 'string') : [];
    const addresses: InterfaceAddress[] = [];
    const infos = link['addr_info'] ?? [];
    if (!Array.isArray(infos)) error(`${path}.addr_info`, 'addr_info is not a list', 'an array', infos);
    else
      infos.forEach((info, j) => {
        const addr = parseAddrInfo(info, `${path}.addr_info[${j}]`, file);
        diagnostics.push(...addr.diagnostics);
        if (addr.value) addresses.push(addr.value);
      });
    value.push({
      name: link['ifname'],
      index: link['ifindex'],
      up: flags.includes('UP'),
      loopback: flags.includes('LOOPBACK') || link['link_type'] === 'loopback',
      addresses,
      // Link type and operational state say what an interface can carry (a down link: nothing).
      ...(typeof link['link_type'] === 'string' ? { linkType: link['link_type'] } : {}),
      ...(typeof link['operstate'] === 'string' ? { operState: link['operstate'] } : {}),
    });
  });
  return { value, diagnostics };
}

function parseAddrInfo(info: Json, path: string, file: string): Parsed<InterfaceAddress | null> {
  const bad = (message: string, expected: string): Parsed<null> => ({
    value: null,
    diagnostics: [{ code: 'parse.ip-addr.address', severity: 'error', message, location: { file, path }, expected, input: show(info) }],
  });
  if (!isObject(info)) return bad('address entry is not an object', 'an object with family, local, prefixlen, scope');
  const fam = info['family'];
  const family: Family | null = fam === 'inet' ? 'ipv4' : fam === 'inet6' ? 'ipv6' : null;
  if (family === null) {
    // Other families (e.g. AF_PACKET on some links) hold no IP address: say so, skip.
    return {
      value: null,
      diagnostics: [{ code: 'unsupported.ip-addr.family', severity: 'warning', message: `address family ${show(fam)} is not IP; skipped`, location: { file, path }, input: show(info) }],
    };
  }
  const local = info['local'];
  const parsed = typeof local === 'string' ? parseAddr(local) : null;
  if (!parsed || parsed.family !== family) return bad(`"local" is not an ${family} address`, `an ${family} address`);
  const prefixLength = info['prefixlen'];
  const max = family === 'ipv4' ? 32 : 128;
  if (typeof prefixLength !== 'number' || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > max) {
    return bad('"prefixlen" is not a prefix length', `an integer 0…${max}`);
  }
  const address: InterfaceAddress = {
    family,
    address: local as string,
    prefixLength,
    scope: typeof info['scope'] === 'string' ? info['scope'] : String(info['scope'] ?? 'global'),
  };
  if (typeof info['broadcast'] === 'string') address.broadcast = info['broadcast'];
  return { value: address, diagnostics: [] };
}
