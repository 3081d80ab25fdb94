/**
 * TARGET arguments to addresses: an address, a hostname (every address it resolves to, and
 * no more), or a CIDR block (every address in it, refused past the cap).
 *
 * @module
 */
import { lookup } from 'node:dns/promises';
import { formatAddr, parseAddr, parseCidr } from '../model/addr.js';

export interface ResolvedTarget {
  address: string;
  /** The name the user gave, when it was a hostname. */
  hostname: string | null;
}

export class TargetError extends Error {
  override name = 'TargetError';
}

/** Addresses of a CIDR block, in order; throws past `cap` (a /16 is 65,536 hosts). */
export function expandCidr(text: string, cap: number): string[] {
  const cidr = parseCidr(text);
  if (!cidr) throw new TargetError(`bad target "${text}": expected an address, a hostname or a CIDR block like 192.0.2.0/28`);
  const bits = cidr.family === 'ipv4' ? 32 : 128;
  const size = 1n << BigInt(bits - cidr.prefixLength);
  if (size > BigInt(cap)) throw new TargetError(`target ${text} holds ${size} addresses, more than --max-targets ${cap}: raise --max-targets to scan it all`);
  const out: string[] = [];
  for (let i = 0n; i < size; i++) {
    const v = BigInt(cidr.base) + i;
    out.push(formatAddr(cidr.family === 'ipv4' ? Number(v) : v, cidr.family));
  }
  return out;
}

/** Resolve every TARGET; the total is capped (`cap`) before anything is sent. */
export async function resolveTargets(args: readonly string[], cap: number, resolve = lookupAll): Promise<ResolvedTarget[]> {
  const out: ResolvedTarget[] = [];
  const seen = new Set<string>();
  const add = (address: string, hostname: string | null) => {
    if (seen.has(address)) return;
    seen.add(address);
    out.push({ address, hostname });
  };
  for (const arg of args) {
    if (arg.includes('/')) for (const a of expandCidr(arg, cap)) add(a, null);
    else if (parseAddr(arg)) add(formatAddr(parseAddr(arg)!.value, parseAddr(arg)!.family), null);
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(arg)) {
      const addresses = await resolve(arg);
      if (addresses.length === 0) throw new TargetError(`target ${arg} resolves to no address`);
      for (const a of addresses) add(a, arg);
    } else throw new TargetError(`bad target "${arg}": expected an address, a hostname or a CIDR block like 192.0.2.0/28`);
    if (out.length > cap) throw new TargetError(`${out.length} targets, more than --max-targets ${cap}: raise --max-targets to scan them all`);
  }
  return out;
}

async function lookupAll(name: string): Promise<string[]> {
  try {
    return (await lookup(name, { all: true, verbatim: true })).map((r) => r.address);
  } catch (err) {
    throw new TargetError(`cannot resolve target ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
