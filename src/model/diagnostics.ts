/**
 * Diagnostics are data: a code, where it happened, and the facts. Words are rendered apart
 * (render/), so the JSON output and the terminal say the same thing.
 *
 * @module
 */

/** Where in the input something was found: a file and a line, or a JSON path. */
export interface Location {
  /** The file or the snapshot source it came from, e.g. "snapshot.json#firewall[2]" or "rules.v4". */
  file: string;
  /** 1-based line, for text inputs. */
  line?: number;
  /** JSON path, for JSON inputs, e.g. "$.nftables[12].rule.expr[3]". */
  path?: string;
  /** The declaring resource, for infrastructure code: a Terraform address, e.g. "module.app.aws_security_group.web". */
  resource?: string;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/**
 * Codes, by family:
 * - `parse.*`: the input could not be read as expected (errors stop that source).
 * - `unsupported.*`: understood syntax, semantics not modelled; read the conservative way.
 * - `collect.*`: something on the host could not be read (with the reason).
 */
export interface Diagnostic {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  location?: Location;
  /** What was expected, for parse errors. */
  expected?: string;
  /** The offending input, cut short. */
  input?: string;
}

/** Cut long input for messages, keeping the start. */
export function excerpt(text: string, max = 120): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : oneLine.slice(0, max - 1) + '…';
}

/** Parsers return a value (possibly partial) and the issues they met; they never throw on bad input. */
export interface Parsed<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  if (loc.line !== undefined) return `${loc.file}:${loc.line}`;
  if (loc.path !== undefined) return `${loc.file} at ${loc.path}`;
  return loc.file;
}
