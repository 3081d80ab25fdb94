/**
 * What the SSH collector script (collectors/portcullis-collect.sh) read on a target, as
 * plain data: the raw answers a local collect would have got from the host.
 *
 * @module
 */

/** A file or directory read, or the errno code of its failure ("ENOENT", "EACCES", "EIO"). */
export type BundleRead<T> = { ok: true; value: T } | { ok: false; code: string };

/** A command that ran (its exit code and output) or was not installed. */
export type BundleExec = { ran: true; code: number; stdout: string; stderr: string } | { ran: false; code: 'ENOENT' };

export interface SshBundle {
  /** ruid, euid, hostname, kernel: the value, or null when the target could not say. */
  meta: Map<string, string | null>;
  files: Map<string, BundleRead<string>>;
  /** Directory listings (names, no "." or ".."). */
  dirs: Map<string, BundleRead<string[]>>;
  /** Symbolic links under /proc/PID/fd: path → target. */
  links: Map<string, string>;
  /** argv joined by single spaces → outcome. */
  execs: Map<string, BundleExec>;
}
