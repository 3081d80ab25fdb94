/**
 * One writer process for the concurrency tests: opens the store (dist/), stores N snapshots of
 * HOST one transaction each, prints the ids as JSON; a StoreError prints {"error": code}.
 *
 * node writer.mjs DB HOST N LOCK_WAIT_MS [HOLD_MS]
 */
import { openStore, StoreError } from '../../dist/store/index.js';

const [db, host, n, lockWaitMs, holdMs = '0'] = process.argv.slice(2);
try {
  const store = await openStore(db, { lockWaitMs: Number(lockWaitMs) });
  const ids = [];
  try {
    for (let i = 0; i < Number(n); i++) {
      const collectedAt = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
      ids.push((await store.saveSnapshot({ host, collectedAt, document: JSON.stringify({ writer: process.pid, i }) })).id);
    }
    // Hold the store open a while (an embedded store keeps its folder locked meanwhile).
    await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  } finally {
    await store.close();
  }
  process.stdout.write(JSON.stringify({ ids }) + '\n');
} catch (err) {
  if (!(err instanceof StoreError)) throw err;
  process.stdout.write(JSON.stringify({ error: err.code, message: err.message }) + '\n');
}
