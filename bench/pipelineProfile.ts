// SPDX-License-Identifier: MIT
/**
 * CPU time of the data half of the CLI's job on one CSV: Pipeline.fitTransform and
 * profileSegments (the table read and the kinds inferred once, outside the timing), with seeded
 * labels of k = 5 segments. For A/B comparisons of the column readers and the selection
 * routines: `--src DIR` takes the modules from another copy of src/ (default: this one), so two
 * copies can be run alternately on a shared machine.
 *
 *   npx tsx bench/pipelineProfile.ts FILE.csv [--src DIR] [--reps 5]
 *
 * Prints one JSON line: the median and each repetition's CPU milliseconds (user + system).
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  console.log('npx tsx bench/pipelineProfile.ts FILE.csv [--src DIR] [--reps 5]: CPU ms of Pipeline.fitTransform + profileSegments on FILE (labels: 5 seeded segments); --src takes the modules from another copy of src/ for A/B runs');
  process.exit(0);
}
const file = args[0];
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const src = path.resolve(opt('--src', new URL('../src', import.meta.url).pathname));
const reps = Number(opt('--reps', '5'));
const load = (p: string): Promise<Record<string, unknown>> => import(pathToFileURL(path.join(src, p)).href);

const { readTable } = (await load('data/readTable.ts')) as typeof import('../src/data/readTable.js');
const { inferKinds } = (await load('data/inferKinds.ts')) as typeof import('../src/data/inferKinds.js');
const { Pipeline } = (await load('data/pipeline.ts')) as typeof import('../src/data/pipeline.js');
const { profileSegments } = (await load('profile/profile.ts')) as typeof import('../src/profile/profile.js');
const { Random } = (await load('random.ts')) as typeof import('../src/random.js');

const { table } = await readTable(file);
const schema = inferKinds(table);
const rng = new Random(42);
const labels = Int32Array.from({ length: table.numRows }, () => rng.int(5));
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times: number[] = [];
for (let r = 0; r < reps; r++) {
  const t0 = cpuMs();
  const { output } = Pipeline.fitTransform(table, structuredClone(schema), { onWarning: () => {} });
  profileSegments(table, schema, labels);
  times.push(cpuMs() - t0);
  if (output.matrix.rows !== table.numRows) throw new Error('pipeline dropped rows');
}
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ src, rows: table.numRows, medianMs: Math.round(sorted[reps >> 1]), ms: times.map(Math.round) }));
