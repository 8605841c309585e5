// SPDX-License-Identifier: MIT
/**
 * Re-renders a saved result: `npx tsx bench/render.ts bench/results/latest.json` rewrites the
 * .md beside it (and the estimates and targets in the JSON) with the current report code,
 * without measuring anything again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { annotateEstimates, deriveKMeans, renderMarkdown, targets, type BenchResults } from './report.js';

const path = process.argv[2];
if (path === undefined || !path.endsWith('.json')) {
  process.stderr.write('usage: npx tsx bench/render.ts <results.json>\n');
  process.exit(2);
}
const results = JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
results.source.label ??= null;
results.config.tag ??= null;
deriveKMeans(results);
annotateEstimates(results);
results.targets = targets(results);
writeFileSync(path, `${JSON.stringify(results, null, 1)}\n`);
writeFileSync(path.replace(/\.json$/, '.md'), renderMarkdown(results));
process.stderr.write(`rendered ${path.replace(/\.json$/, '.md')}\n`);
