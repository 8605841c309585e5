// SPDX-License-Identifier: MIT
/**
 * The k search's silhouettes: each k scored alone (silhouette() once per k, on the same sampled
 * rows: the former chooseK path) against all k at once (silhouettes(), the silhouetteSumsMulti
 * kernel: each pair's distance computed once for every k), alternated in one process, wall and
 * process CPU (all threads); then chooseK as a whole, which the same script times in an older
 * tree too (where silhouettes() is absent it times chooseK alone).
 *
 *   npx tsx bench/chooseKSilhouettes.ts [--rows 1e4] [--seed 42] [--backend wasm] [--n-init 4]
 *       [--k-min 2] [--k-max 8] [--silhouette 4000] [--repeat 5]
 *
 * The rows are the CLI's (sampleTable → inferKinds → Pipeline: 51 features), all of them searched
 * (10^4 rows is the CLI's search sample at 10^5), silhouette on --silhouette sampled rows.
 */
import { chooseK } from '../src/algorithms/chooseK.js';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { inferKinds } from '../src/data/inferKinds.js';
import { Pipeline } from '../src/data/pipeline.js';
import { sampleTable } from '../src/data/sampleGenerator.js';
import * as metrics from '../src/metrics/silhouette.js';
import { parseFlags } from './flags.js';

const flags = parseFlags(process.argv.slice(2));
const rows = flags.int('rows', 1e4);
const seed = flags.int('seed', 42);
const backend = (flags.str('backend') ?? 'wasm') as BackendName;
const nInit = flags.int('n-init', 4);
const kMin = flags.int('k-min', 2);
const kMax = flags.int('k-max', 8);
const sampleSize = flags.int('silhouette', 4000);
const repeat = flags.int('repeat', 5);
const quiet = { onWarning: () => {} };

/** Wall and process CPU seconds of `run`. */
async function timed<T>(run: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await run();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, value };
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const f = (v: number): string => v.toFixed(3);

await initBackend(backend, { strict: true, ...quiet });
const { table } = sampleTable({ rows, seed });
const x = Pipeline.fitTransform(table, inferKinds(table), {}).output.matrix;
const options = { kMin, kMax, sampleSize: rows, silhouetteSampleSize: sampleSize, kmeans: { nInit, seed, ...quiet } };
console.log(`${x.rows} × ${x.cols}, k = ${kMin}..${kMax}, nInit ${nInit}, silhouette on ${sampleSize} rows, backend ${backend}`);
const first = await chooseK(x, options); // warm-up; its labels are the labelings scored below
const labelings = first.scores.filter((s) => s.silhouette !== null).map((s) => s.model!.labels);

const silhouettes = (metrics as Record<string, unknown>).silhouettes as typeof import('../src/metrics/silhouette.js').silhouettes | undefined;
const perK = { wall: [] as number[], cpu: [] as number[] };
const once = { wall: [] as number[], cpu: [] as number[] };
const whole = { wall: [] as number[], cpu: [] as number[] };
for (let r = 0; r < repeat; r++) {
  if (silhouettes !== undefined) {
    const a = await timed(async () => {
      const out: number[] = [];
      for (const l of labelings) out.push((await metrics.silhouette(x, l, { sampleSize, seed })).score);
      return out;
    });
    const b = await timed(async () => (await silhouettes(x, labelings, { sampleSize, seed })).map((s) => s.score));
    perK.wall.push(a.wall);
    perK.cpu.push(a.cpu);
    once.wall.push(b.wall);
    once.cpu.push(b.cpu);
    const worst = Math.max(...a.value.map((v, i) => Math.abs(v - b.value[i])));
    console.log(`rep ${r}: silhouette per k ${f(a.wall)} s wall ${f(a.cpu)} s CPU; all k at once ${f(b.wall)} s wall ${f(b.cpu)} s CPU; largest score difference ${worst.toExponential(1)}`);
  }
  const c = await timed(() => chooseK(x, options));
  whole.wall.push(c.wall);
  whole.cpu.push(c.cpu);
  console.log(`rep ${r}: chooseK ${f(c.wall)} s wall ${f(c.cpu)} s CPU, k = ${c.value.recommended.k}, silhouettes ${c.value.scores.map((s) => s.silhouette?.toFixed(4)).join(' ')}`);
}
if (silhouettes !== undefined) {
  console.log(`median: silhouette per k ${f(median(perK.wall))} s wall ${f(median(perK.cpu))} s CPU; all k at once ${f(median(once.wall))} s wall ${f(median(once.cpu))} s CPU (${(median(perK.wall) / median(once.wall)).toFixed(1)}× wall)`);
}
console.log(`median: chooseK ${f(median(whole.wall))} s wall ${f(median(whole.cpu))} s CPU`);
