/**
 * The exposure the log is joined with: the audit of a snapshot (--snapshot), or of this host
 * live when the log is this host's own (the journal, or files under /var/log).
 *
 * @module
 */
import { PolicyView, auditHost } from '../../../analyze/audit/index.js';
import { type ExposedPort, exposedPorts } from '../../../analyze/log-summary/index.js';
import { analyzeHost } from '../../../pipeline.js';
import { InputError } from '../../errors.js';
import { loadHosts } from '../../load-hosts.js';

export async function loadExposure(snapshot: string | undefined, live: boolean, now: Date): Promise<{ host: string; ports: ExposedPort[] } | undefined> {
  if (!snapshot && !live) return undefined;
  try {
    const [loaded] = await loadHosts(snapshot ? { snapshot } : {});
    const audited = auditHost(analyzeHost(loaded!), new PolicyView(null, now));
    return { host: snapshot ? audited.name : `${audited.name} (live)`, ports: exposedPorts(audited.services) };
  } catch (err) {
    if (snapshot || !(err instanceof InputError)) throw err;
    process.stderr.write(`portcullis: not joining the log with this host's exposure: ${err.message}\n`);
    return undefined;
  }
}
