/**
 * One JSON line per `watch` event (schemas/watch.schema.json), keys in a stable order.
 *
 * @module
 */
import type { WatchEvent } from '../../analyze/watch/types.js';
import { stableStringify } from '../json/stable-json.js';

export function renderWatchEventJson(e: WatchEvent): string {
  return stableStringify({ format: 'portcullis-watch-event', version: 1, ...e }, 0) + '\n';
}
