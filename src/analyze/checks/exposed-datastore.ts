/**
 * A data store (Redis, MongoDB, Elasticsearch, memcached, CouchDB, Cassandra, etcd,
 * RabbitMQ, MySQL, PostgreSQL) reachable from the world or wide public ranges.
 *
 * @module
 */
import { runRiskExposure } from './exposure-risk.js';
import type { Check } from './types.js';

export const exposedDatastore: Check = {
  id: 'exposed-datastore',
  title: 'Data store reachable from the internet',
  severity: 'critical',
  description:
    'A database, cache, search engine or message broker accepts connections from the world or from wide public ranges. Many answer without authentication by default; the others face constant brute force. Listing the port as public does not silence this check (use an exception with a reason and an expiry).',
  remediation: 'Bind the data store to loopback or a private address (e.g. `bind 127.0.0.1` in redis.conf) and allow only the application hosts in the firewall.',
  run(ctx) {
    return runRiskExposure(this, ctx, { riskClass: 'unauthenticated-datastore', respectPublicList: false, noun: 'Data store' });
  },
};
