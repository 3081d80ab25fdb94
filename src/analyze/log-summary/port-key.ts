/**
 * A port as one number: protocol index × 65536 + port, for the protocols that have ports. The
 * fold indexes typed arrays by it instead of keying Maps by "tcp/22".
 *
 * @module
 */

/** Protocols with ports; a port key is index × 65536 + port. */
export const PORT_PROTOCOLS = ['tcp', 'udp', 'udplite', 'sctp'] as const;
const PORT_PROTO_INDEX = new Map<string, number>(PORT_PROTOCOLS.map((p, i) => [p, i]));
/** How many port keys there are (the length of per-port arrays). */
export const PORT_KEYS = PORT_PROTOCOLS.length * 65536;

/** The key of a port, or -1 for a protocol without ports. */
export function portKey(proto: string, port: number): number {
  if (port < 0) return -1;
  // Compared in order of frequency; a Map lookup here costs more than the whole comparison.
  if (proto === 'tcp') return port;
  if (proto === 'udp') return 65536 + port;
  const i = PORT_PROTO_INDEX.get(proto);
  return i === undefined ? -1 : i * 65536 + port;
}

export function portOfKey(key: number): { proto: string; port: number } {
  return { proto: PORT_PROTOCOLS[Math.floor(key / 65536)]!, port: key % 65536 };
}
