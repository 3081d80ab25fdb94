/**
 * Helpers over {@link Limiter}s: whether a rule applies to a source's first connection, and
 * the sentence reports print for later connections.
 *
 * @module
 */
import type { Action, Limiter, Rule } from './ruleset.js';

/** False when a limiter of the rule cannot match a first connection (the rule is then skipped). */
export function appliesToFirstConnection(rule: Pick<Rule, 'limits'>): boolean {
  return rule.limits === undefined || rule.limits.every((l) => l.first === 'matches');
}

/** "after more than 10 concurrent connections from one address: reject". */
export function laterConnectionsNote(limit: Limiter, action: Action): string {
  if (limit.first === 'no-match') return `later connections, ${limit.later}: ${actionWords(action)} (${limit.construct})`;
  return `later connections, ${limit.later}: this rule (${actionWords(action)}) no longer matches and later rules decide (${limit.construct})`;
}

function actionWords(a: Action): string {
  switch (a.type) {
    case 'jump':
    case 'goto':
      return `${a.type} ${a.chain.split('/').pop()}`;
    case 'reject':
      return 'reject';
    case 'continue':
      return a.note;
    default:
      return a.type;
  }
}
