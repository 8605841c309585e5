// SPDX-License-Identifier: MIT
/**
 * Micro-benchmark: one Lloyd iteration on the tfjs 'wasm' backend, the portable lloydStep (tfjs
 * ops) against our fused WebAssembly SIMD kernel, on the same row blocks (uploadRows, sized as
 * kmeansLloyd sizes them). An iteration is what kmeansLloyd does per iteration on the device:
 * every block's step, then counts and sums read back and added in float64. The fused kernel
 * runs once per thread count in --threads (the calling thread included; default 1 and the
 * number of cores); every run must give the same counts, which the bench checks.
 *
 * It also times a 256 MiB copyWithin (one read and one write per byte) as a rough figure of the
 * memory bandwidth one thread gets, and cpu/wall (process CPU time over wall time: about how many
 * cores the run kept busy; well under the thread count means it waited for a core: a loaded machine), to set against the bytes an iteration reads (4·d per row of
 * x, plus 8 per row of labels and distances written).
 *
 *   npx tsx bench/lloydStepWasm.ts [--n 1000000] [--d 16] [--k 8] [--reps 5] [--threads 1,2] [--portable 0]
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend/backend.js';
import { addRuns } from '../src/kernels/clusterSums/index.js';
import { lloydStep } from '../src/kernels/lloydStep/index.js';
import { disposeBlocks, uploadRows, type RowBlock } from '../src/kernels/shared/tiling.js';
import { lloydStepWasm } from '../src/kernels/lloydStep/wasm.js';
import { setWasmThreads } from '../src/kernels/wasm/threads.js';
import { clearWasmData } from '../src/kernels/wasm/kernelModule.js';
import { Random } from '../src/random.js';

type Step = typeof lloydStep.portable;

function arg(name: string, fallback: number): number {
  return Number(textArg(name, String(fallback)));
}

function textArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** GB/s of one thread copying 256 MiB within one buffer (bytes read + bytes written over the time). */
function copyBandwidth(): number {
  const bytes = 256 * 2 ** 20;
  const buf = new Uint8Array(2 * bytes);
  buf.fill(1);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    buf.copyWithin(bytes, 0, bytes);
    best = Math.min(best, performance.now() - t0);
  }
  return (2 * bytes) / (best / 1000) / 1e9;
}

async function iteration(step: Step, blocks: RowBlock[], centers: tf.Tensor2D, k: number, d: number): Promise<Float64Array> {
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const outs = blocks.map((b) => step(b.x, centers, null));
  for (const o of outs) {
    addRuns(await o.counts.data(), o.counts.shape[0], counts);
    addRuns(await o.sums.data(), o.sums.shape[0], sums);
  }
  tf.dispose(outs.flatMap((o) => [o.labels, o.distances, o.counts, o.sums]));
  return counts;
}

async function time(
  name: string,
  step: Step,
  blocks: RowBlock[],
  centers: tf.Tensor2D,
  k: number,
  d: number,
  reps: number,
): Promise<{ median: number; counts: Float64Array; cpuPerWall: number }> {
  const t0 = performance.now();
  const counts = await iteration(step, blocks, centers, k, d); // warm-up (and, for wasm, the one-time copy of each block)
  const first = performance.now() - t0;
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    await iteration(step, blocks, centers, k, d);
    times.push(performance.now() - s);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPerWall = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${name.padEnd(34)} ${median.toFixed(1).padStart(8)} ms/iteration (median of ${reps}; min ${times[0].toFixed(1)}; first ${first.toFixed(1)}; cpu/wall ${cpuPerWall.toFixed(2)}, so about ${(cpuPerWall * median).toFixed(1)} ms of CPU)`);
  return { median, counts, cpuPerWall };
}

const n = arg('n', 1_000_000);
const d = arg('d', 16);
const k = arg('k', 8);
const reps = arg('reps', 5);
const cores = availableParallelism();
const threadCounts = textArg('threads', cores > 1 ? `1,${cores}` : '1').split(',').map(Number);
const withPortable = textArg('portable', '1') !== '0';

await initBackend('wasm', { strict: true, onWarning: () => {} });
const rng = new Random(3);
const centersHost = Float32Array.from({ length: k * d }, () => -10 + 20 * rng.next());
const x = new Float32Array(n * d);
for (let i = 0; i < n; i++) {
  const c = rng.int(k);
  for (let f = 0; f < d; f++) x[i * d + f] = centersHost[c * d + f] + 8 * (rng.next() - 0.5);
}
const blocks = uploadRows({ data: x, rows: n, cols: d }, 3 * k + d);
const centers = tf.tensor2d(centersHost, [k, d]);
console.log(`lloydStep on wasm: n=${n} d=${d} k=${k}, ${blocks.length} blocks of ${blocks[0].x.shape[0]} rows; ${cores} logical cores`);
const portable = withPortable ? (await time('portable (tfjs ops)', lloydStep.portable, blocks, centers, k, d, reps)).median : null;
let single: { median: number; counts: Float64Array; cpuPerWall: number } | null = null;
for (const threads of threadCounts) {
  const stats = await setWasmThreads(threads);
  const r = await time(`fused (our wasm SIMD, ${stats.threads} thread${stats.threads > 1 ? 's' : ''})`, lloydStepWasm, blocks, centers, k, d, reps);
  if (stats.threads !== threads) console.log(`  (asked for ${threads}: ${stats.reason})`);
  single ??= r;
  const same = r.counts.every((v, i) => v === single?.counts[i]);
  const gain = single.median / r.median;
  const bytes = n * (4 * d + 8);
  console.log(
    `  ${gain.toFixed(2)}x the first fused run; counts ${same ? 'identical' : 'DIFFER'}; ` +
      `${(bytes / 1e6).toFixed(0)} MB read+written per iteration = ${(bytes / (r.median / 1000) / 1e9).toFixed(1)} GB/s` +
      (portable !== null ? `; ${(portable / r.median).toFixed(1)}x portable` : ''),
  );
}
console.log(`one thread copies memory at about ${copyBandwidth().toFixed(1)} GB/s (256 MiB copyWithin, read + write)`);
console.log(`cache ${(clearWasmData() / 2 ** 20).toFixed(0)} MiB`); // the block copies the runs kept, freed here
centers.dispose();
disposeBlocks(blocks);
