import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChainWalker } from '../analyze/engine/evaluate-chain.js';
import { parseSnapshotBytes } from '../parse/snapshot-bytes/index.js';
import { analyzeHost, loadHost } from '../pipeline.js';
import { analyzeSnapshotFile } from './analyze-snapshot-file.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/snapshots/mixed-backends.json', import.meta.url));

describe('analyzeSnapshotFile', () => {
  afterEach(() => vi.restoreAllMocks());

  it('indexes only the chains its one analysis walks, and answers as a load that indexes every chain', async () => {
    const prepare = vi.spyOn(ChainWalker.prototype, 'prepare');
    const outcome = await analyzeSnapshotFile({ file: FIXTURE, overrides: {} });
    expect(outcome.ok).toBe(true);
    // No chain index is built for every chain during the load (issue 8: kube-proxy's 20,000 chains, 2,698 walked).
    expect(prepare).not.toHaveBeenCalled();

    const parsed = parseSnapshotBytes(readFileSync(FIXTURE), FIXTURE);
    const host = loadHost(parsed.value!, FIXTURE);
    host.diagnostics.unshift(...parsed.diagnostics);
    // The default load indexes every chain; its analysis is the same.
    expect(prepare).toHaveBeenCalled();
    expect(outcome.ok && outcome.analysis).toEqual(analyzeHost(host));
  });
});
