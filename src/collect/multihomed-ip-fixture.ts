/**
 * For tests: what iproute2 prints on the multi-homed fixture host (test/fixtures/routing/),
 * each command run alone, and its answers as lines of an `ip -batch`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { FakeHost } from './fake-host-io.js';

/** A fixture file's text, as the command printed it. */
export const routingFixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/routing/${name}`, import.meta.url), 'utf8');

/** A fixture as one newline-ended JSON line, as `ip -j -batch` prints each command's answer. */
export const fixtureLine = (name: string): string => routingFixture(name).trimEnd() + '\n';

/** Both families' routing commands, each run alone. */
export const ROUTING_ALONE: FakeHost['commands'] = {
  'ip -j -4 route show table all': routingFixture('multihomed.ip4-route.json'),
  'ip -j -6 route show table all': routingFixture('multihomed.ip6-route.json'),
  'ip -j -4 rule show': routingFixture('multihomed.ip4-rule.json'),
  'ip -j -6 rule show': routingFixture('multihomed.ip6-rule.json'),
};
