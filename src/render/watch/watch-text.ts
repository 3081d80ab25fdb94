/**
 * One line per `watch` event, for a terminal or a log: time, host, what widened, and the
 * change that made the round run.
 *
 * @module
 */
import type { WatchEvent } from '../../analyze/watch/types.js';
import { printable } from '../common/printable.js';
import { summarizeSources } from '../common/sources.js';

const SOURCES_MAX = 60;

export function renderWatchEventText(e: WatchEvent): string {
  const head = `${e.detectedAt} ${printable(e.host)}`;
  const tail = ` [${e.trigger}]`;
  switch (e.event) {
    case 'new-listener':
      return `${head} new listener ${e.proto}/${e.port} (${printable(e.service)}) reachable ${e.exposure}, from ${summarizeSources(e.sources, SOURCES_MAX)}${tail}\n`;
    case 'widened':
      return `${head} widened ${e.proto}/${e.port} (${printable(e.service)}) ${e.from === e.to ? e.to : `${e.from} → ${e.to}`}, now also from ${summarizeSources(e.addedSources, SOURCES_MAX)}${tail}\n`;
    case 'new-finding':
      return `${head} new finding ${e.severity} ${e.rule}${e.service ? ` ${e.service.proto}/${e.service.port}` : ''}: ${printable(e.title)}${tail}\n`;
    case 'host-down': {
      const judged = e.judgedBy === 'last-good-round' ? 'judged by its last good round until it answers' : 'no round of it yet: its baseline is taken when it answers';
      return `${head} down: could not be ${e.phase === 'collect' ? 'collected' : 'analysed'}: ${printable(e.reason)}; ${judged}${tail}\n`;
    }
    case 'host-up':
      return `${head} answering again (down since round ${e.downSince})${tail}\n`;
  }
}
