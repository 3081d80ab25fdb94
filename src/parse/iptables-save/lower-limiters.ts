/**
 * Rate and count match modules read for a source's first connection (see
 * {@link Limiter}): `limit` and `hashlimit --hashlimit-upto` (a full bucket of at least one
 * packet) match it; `hashlimit --hashlimit-above`, `connlimit --connlimit-above N` (N ≥ 1:
 * the count is 1) and `recent --rcheck/--update --hitcount N` (N ≥ 2: one hit at most, the
 * one a `--set` before may have recorded) do not. Anything whose first answer depends on
 * other sources' traffic (`recent --rdest`, `connlimit --connlimit-daddr`, byte-based
 * hashlimits) or on history (`recent --rcheck` without a hit count) returns null: the caller
 * keeps it as a rate-limit uncertainty.
 *
 * @module
 */
import type { Limiter } from '../../model/ruleset.js';
import type { IptMatch } from './ast.js';

export function limiterOf(m: IptMatch): Limiter | null {
  const opt = (name: string) => m.options.find((o) => o.name === name);
  const arg = (name: string) => opt(name)?.args[0];
  const construct = m.text;
  switch (m.module) {
    case 'limit': {
      const rate = arg('limit') ?? '3/hour'; // xt_limit's default
      const burst = Number(arg('limit-burst') ?? 5);
      if (!Number.isInteger(burst) || burst < 1) return null;
      return { construct, first: 'matches', later: `beyond ${rate} (burst ${burst}), counted over every packet this rule sees` };
    }
    case 'hashlimit': {
      const upto = opt('hashlimit-upto') ?? opt('hashlimit');
      const above = opt('hashlimit-above');
      const rate = (upto ?? above)?.args[0];
      const burst = Number(arg('hashlimit-burst') ?? 5);
      if (rate === undefined || /b\//i.test(rate) || !Number.isInteger(burst) || burst < 1) return null;
      const mode = arg('hashlimit-mode');
      const per = mode === undefined ? 'over all sources' : `per ${mode.split(',').join('+')}`;
      if (above && !upto) return { construct, first: 'no-match', later: `above ${rate} (burst ${burst}) ${per}` };
      return { construct, first: 'matches', later: `beyond ${rate} (burst ${burst}) ${per}` };
    }
    case 'connlimit': {
      if (opt('connlimit-daddr')) return null;
      const mask = arg('connlimit-mask');
      const from = mask === undefined || mask === '32' || mask === '128' ? 'one address' : `one /${mask} network`;
      const above = opt('connlimit-above');
      const upto = opt('connlimit-upto');
      const o = above ?? upto;
      const n = Number(o?.args[0]);
      if (!o || !Number.isInteger(n) || n < 1) return null;
      // `! --connlimit-above N` is `--connlimit-upto N`.
      const isAbove = (above !== undefined) !== o.negated;
      if (isAbove) return { construct, first: 'no-match', later: `more than ${n} concurrent connections from ${from}` };
      return { construct, first: 'matches', later: `more than ${n} concurrent connections from ${from}` };
    }
    case 'recent': {
      if (opt('rdest')) return null;
      const check = opt('rcheck') ?? opt('update');
      const hits = Number(arg('hitcount') ?? 0);
      if (!check || !Number.isInteger(hits) || hits < 2) return null;
      const seconds = arg('seconds');
      const later = `from a source with ${hits} hits on list ${arg('name') ?? 'DEFAULT'}${seconds === undefined ? '' : ` within ${seconds} s`}`;
      return { construct, first: check.negated ? 'matches' : 'no-match', later };
    }
    default:
      return null;
  }
}
