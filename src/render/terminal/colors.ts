/**
 * Colour for the terminal: picocolors with an explicit switch, so rendering stays a pure
 * function of its arguments and the CLI alone looks at the stream and the environment.
 *
 * @module
 */
import pc from 'picocolors';
import type { Exposure, Severity } from '../../analyze/audit/types.js';

/**
 * True when colour should be used: the stream is a TTY and NO_COLOR is unset
 * (https://no-color.org: any value, even empty, disables colour).
 */
export function shouldColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && env['NO_COLOR'] === undefined;
}

type Colors = ReturnType<typeof pc.createColors>;
type Formatter = Colors['red'];

/** Semantic styles for the renderers; identity functions when colour is off. */
export interface Palette {
  c: Colors;
  exposure: (e: Exposure, text: string) => string;
  severity: (s: Severity, text: string) => string;
  dim: Formatter;
  bold: Formatter;
  heading: Formatter;
}

/** The palette for `enabled` colour (picocolors `createColors`). */
export function palette(enabled: boolean): Palette {
  const c = pc.createColors(enabled);
  const byExposure: Record<Exposure, Formatter> = {
    world: (t) => c.bold(c.red(t)),
    wide: c.red,
    allowlisted: c.yellow,
    internal: c.cyan,
    local: c.green,
    closed: c.dim,
  };
  const bySeverity: Record<Severity, Formatter> = {
    critical: (t) => c.bold(c.red(t)),
    high: c.red,
    medium: c.yellow,
    low: c.blue,
    info: c.dim,
  };
  return {
    c,
    exposure: (e, t) => byExposure[e](t),
    severity: (s, t) => bySeverity[s](t),
    dim: c.dim,
    bold: c.bold,
    heading: (t) => c.bold(c.underline(t)),
  };
}
