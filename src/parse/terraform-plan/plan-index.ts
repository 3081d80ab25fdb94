/**
 * The resources of a `terraform show -json` plan as they will be after apply
 * (`planned_values`, modules flattened), with what is "known after apply"
 * (`resource_changes[].change.after_unknown`) and the references of their configuration
 * expressions, so an id the plan does not know yet resolves to the resource it names.
 *
 * @module
 */
import type { JsonObject, JsonReader } from '../aws-json/json-reader.js';
import { addToList } from '../../model/list-map.js';

export interface PlanResource {
  /** e.g. "module.app.aws_instance.web[0]". */
  address: string;
  type: string;
  values: JsonObject;
  unknown: JsonObject;
  /** Module path of the resource, e.g. "module.app." ("" at the root). */
  module: string;
  /** The configuration expressions of its block (shared by every instance of a count/for_each). */
  expressions: JsonObject;
  /** JSON path of its planned values. */
  path: string;
}

export class PlanIndex {
  readonly resources: PlanResource[] = [];
  /** Module prefix ("module.app.") → the expressions of its module call (its input variables). */
  private readonly moduleInputs = new Map<string, JsonObject>();
  private readonly byAddress = new Map<string, PlanResource[]>();

  constructor(
    readonly r: JsonReader,
    plan: JsonObject,
  ) {
    const changes = new Map<string, JsonObject>();
    r.array(plan, 'resource_changes', '$').forEach((c) => {
      const o = c as JsonObject;
      const after = ((o?.['change'] as JsonObject | undefined)?.['after_unknown'] ?? {}) as JsonObject;
      if (typeof o?.['address'] === 'string') changes.set(o['address'], after);
    });
    const config = new Map<string, JsonObject>();
    const cfg = (plan['configuration'] as JsonObject | undefined)?.['root_module'] as JsonObject | undefined;
    if (cfg) collectConfig(cfg, '', config, this.moduleInputs);
    const planned = (plan['planned_values'] as JsonObject | undefined)?.['root_module'];
    const root = r.object(planned, '$.planned_values.root_module');
    if (root) this.walk(root, '$.planned_values.root_module', changes, config);
  }

  private walk(mod: JsonObject, path: string, changes: Map<string, JsonObject>, config: Map<string, JsonObject>): void {
    this.r.array(mod, 'resources', path).forEach((x, i) => {
      const at = `${path}.resources[${i}]`;
      const o = this.r.object(x, at);
      if (!o || o['mode'] === 'data') return;
      const address = this.r.string(o, 'address', at);
      const type = this.r.string(o, 'type', at);
      if (!address || !type) return;
      const module = /^((?:module\.[^.]+(?:\[[^\]]*\])?\.)*)/.exec(address)![1]!;
      const configAddress = address.replace(/\[[^\]]*\]/g, '');
      const res: PlanResource = {
        address,
        type,
        values: (this.r.object(o['values'] ?? {}, `${at}.values`) ?? {}) as JsonObject,
        unknown: changes.get(address) ?? {},
        module,
        expressions: config.get(configAddress) ?? {},
        path: `${at}.values`,
      };
      this.resources.push(res);
      const key = configAddress;
      addToList(this.byAddress, key, res);
      if (key !== address) this.byAddress.set(address, [res]);
    });
    this.r.array(mod, 'child_modules', path).forEach((c, i) => {
      const o = this.r.object(c, `${path}.child_modules[${i}]`);
      if (o) this.walk(o, `${path}.child_modules[${i}]`, changes, config);
    });
  }

  /** Resources of a type. */
  ofType(...types: string[]): PlanResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /** The id a resource will have: known, or its address while the plan does not know it. */
  idOf(res: PlanResource): string {
    const id = res.values['id'];
    return typeof id === 'string' && id !== '' && res.unknown['id'] !== true ? id : res.address;
  }

  /**
   * The resource ids an attribute names: its known value(s), else the resources its
   * expression references (relative to the resource's module). Empty when neither.
   */
  refs(res: PlanResource, attr: string, expressions: JsonObject = res.expressions, values: JsonObject = res.values, unknown: JsonObject = res.unknown): string[] {
    const v = values[attr];
    const unk = unknown[attr];
    const known = (x: unknown, u: unknown) => typeof x === 'string' && x !== '' && u !== true;
    if (Array.isArray(v) && unk !== true && (!Array.isArray(unk) || !unk.includes(true))) return v.filter((x): x is string => typeof x === 'string' && x !== '');
    if (known(v, unk)) return [v as string];
    const refs = ((expressions[attr] as JsonObject | undefined)?.['references'] ?? []) as string[];
    const out = new Set<string>();
    this.resolve(refs, res.module.replace(/\[[^\]]*\]/g, ''), out, 0);
    return [...out];
  }

  /** References of an expression in module `mod` → ids; `var.x` follows the module call's input into the parent. */
  private resolve(refs: readonly string[], mod: string, out: Set<string>, depth: number): void {
    if (depth > 10) return;
    for (const ref of refs) {
      const v = /^var\.([A-Za-z0-9_-]+)/.exec(ref);
      if (v) {
        const parent = mod.replace(/module\.[^.]+\.$/, '');
        const inputs = ((this.moduleInputs.get(mod)?.[v[1]!] as JsonObject | undefined)?.['references'] ?? []) as string[];
        this.resolve(inputs, parent, out, depth + 1);
        continue;
      }
      const m = /^((?:module\.[^.]+\.)*)(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]+\])?/.exec(ref);
      if (!m) continue;
      const target = `${mod}${m[1]}${m[2]}${m[3] ?? ''}`;
      const found = this.byAddress.get(target) ?? this.byAddress.get(target.replace(/\[[^\]]*\]/g, '')) ?? [];
      for (const t of found) out.add(this.idOf(t));
    }
  }

  /** Whether an attribute is "known after apply". */
  isUnknown(res: PlanResource, attr: string): boolean {
    const u = res.unknown[attr];
    return u === true || (Array.isArray(u) && u.includes(true));
  }
}

function collectConfig(mod: JsonObject, prefix: string, out: Map<string, JsonObject>, inputs: Map<string, JsonObject>): void {
  for (const r of (mod['resources'] ?? []) as JsonObject[]) {
    if (typeof r?.['address'] === 'string') out.set(`${prefix}${r['address']}`, (r['expressions'] ?? {}) as JsonObject);
  }
  for (const [name, call] of Object.entries((mod['module_calls'] ?? {}) as Record<string, JsonObject>)) {
    inputs.set(`${prefix}module.${name}.`, (call?.['expressions'] ?? {}) as JsonObject);
    const child = call?.['module'] as JsonObject | undefined;
    if (child) collectConfig(child, `${prefix}module.${name}.`, out, inputs);
  }
}
