/**
 * Every origin of a network read from a plan learns the Terraform resource that declared it
 * (`module.app.aws_security_group.web`) and its line in the plan file, so findings can point
 * at the resource (SARIF logical and physical locations). `terraform show -json` carries no
 * source ranges of the configuration: the plan file's own line is the physical place there is.
 *
 * @module
 */
import { type Node, findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { AwsNetwork } from '../../model/aws-network.js';
import type { Location } from '../../model/diagnostics.js';
import type { PlanIndex } from './plan-index.js';

/** `$.a.b[3].c` → ["a", "b", 3, "c"]. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) out.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return out;
}

/** `text` null: no lines (the prior state is read through a rewritten view whose paths are not the file's). */
export function annotateResourceOrigins(net: AwsNetwork, plan: PlanIndex, text: string | null, file: string): void {
  // Longest resource path first, so a nested origin finds its own resource.
  const resources = plan.resources.map((r) => ({ path: r.path.replace(/\.values$/, ''), address: r.address })).sort((a, b) => b.path.length - a.path.length);
  let tree: Node | undefined;
  let newlines: number[] | undefined;
  const lineOf = (path: string): number | undefined => {
    if (text === null) return undefined;
    tree ??= parseTree(text) ?? undefined;
    const node = tree && findNodeAtLocation(tree, segments(path));
    if (!node) return undefined;
    newlines ??= [...text.matchAll(/\n/g)].map((m) => m.index);
    // Lines before the node: the newlines at offsets below it (binary search).
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < node.offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const o = value as Record<string, unknown>;
    if (o['file'] === file && typeof o['path'] === 'string') {
      const loc = o as unknown as Location;
      const res = resources.find((r) => loc.path === r.path || loc.path!.startsWith(`${r.path}.`) || loc.path!.startsWith(`${r.path}[`));
      if (res) loc.resource = res.address;
      const line = lineOf(loc.path!);
      if (line !== undefined) loc.line = line;
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(net);
}
