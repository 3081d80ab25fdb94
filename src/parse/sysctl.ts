/**
 * sysctl names and values. Names are dotted as sysctl(8) writes them; a dot inside one
 * component (an interface "eth0.100") is written as "/" ("net.ipv4.conf.eth0/100.rp_filter").
 *
 * @module
 */
import { type Parsed, excerpt } from '../model/diagnostics.js';

/** The /proc/sys path of a dotted sysctl name. */
export function sysctlPath(name: string): string {
  return '/proc/sys/' + name.split('.').map((part) => part.replaceAll('/', '.')).join('/');
}

/** The dotted name of a per-interface sysctl, e.g. ("ipv4", "eth0.100", "rp_filter") → "net.ipv4.conf.eth0/100.rp_filter". */
export function interfaceSysctlName(family: 'ipv4' | 'ipv6', iface: string, key: string): string {
  return `net.${family}.conf.${iface.replaceAll('.', '/')}.${key}`;
}

/**
 * A value as read from /proc/sys: the trailing newline goes, fields keep the kernel's
 * separator (ip_local_port_range prints "32768\t60999").
 */
export function parseSysctlValue(text: string): string {
  return text.replace(/\n+$/, '');
}

/** An integer sysctl value; null (with a diagnostic) when it is not one integer. */
export function parseSysctlInt(value: string, name: string, file: string): Parsed<number | null> {
  const t = value.trim();
  if (/^-?\d+$/.test(t)) return { value: Number(t), diagnostics: [] };
  return {
    value: null,
    diagnostics: [
      {
        code: 'parse.sysctl.int',
        severity: 'error',
        message: `sysctl ${name} is not an integer`,
        location: { file, path: `$.sysctls["${name}"]` },
        expected: 'an integer such as "1"',
        input: excerpt(value),
      },
    ],
  };
}

/**
 * A port list such as net.ipv4.ip_local_reserved_ports ("8080,9000-9010") or the range
 * "32768\t60999" of ip_local_port_range, as inclusive [first, last] pairs.
 */
export function parseSysctlPortRanges(value: string, name: string, file: string): Parsed<[number, number][] | null> {
  const t = value.trim();
  if (t === '') return { value: [], diagnostics: [] };
  const pair = /^(\d+)\s+(\d+)$/.exec(t);
  const parts = pair ? [`${pair[1]}-${pair[2]}`] : t.split(',');
  const out: [number, number][] = [];
  for (const part of parts) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo > hi || hi > 65535) {
      return {
        value: null,
        diagnostics: [
          {
            code: 'parse.sysctl.ports',
            severity: 'error',
            message: `sysctl ${name} is not a port list`,
            location: { file, path: `$.sysctls["${name}"]` },
            expected: 'ports and ranges such as "8080,9000-9010" or "32768\t60999"',
            input: excerpt(value),
          },
        ],
      };
    }
    out.push([lo, hi]);
  }
  return { value: out, diagnostics: [] };
}
