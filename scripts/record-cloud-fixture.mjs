// Regenerates test/fixtures/analysis/aws-web-1.json: the cloud pipeline's HostAnalysis of
// instance web-1 in test/fixtures/aws/web-vpc, joined with its host snapshot. Run after
// `npm run build`: node scripts/record-cloud-fixture.mjs
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCloud } from '../dist/cloud-pipeline.js';
import { loadHost } from '../dist/pipeline.js';
import { parseSnapshot } from '../dist/parse/snapshot.js';

const dir = 'test/fixtures/aws/web-vpc';
const files = readdirSync(dir).filter((f) => /^(describe|get-managed)/.test(f)).sort().map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
const snapshot = parseSnapshot(readFileSync(join(dir, 'host-web-1.json'), 'utf8'), 'host-web-1.json').value;
const result = analyzeCloud({ source: { kind: 'aws', files }, exportedAt: '2026-11-21T08:30:00.000Z' }, [loadHost(snapshot, 'host-web-1.json')]);
const web = result.value.find((h) => h.name === 'i-0a1b2c3d4e5f00001');
writeFileSync('test/fixtures/analysis/aws-web-1.json', JSON.stringify(web, null, 2) + '\n');
