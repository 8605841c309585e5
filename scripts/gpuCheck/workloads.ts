// SPDX-License-Identifier: MIT
/**
 * The timing half of the GPU check: each kernel on one large block, and each algorithm's device
 * work at sizes that fill a large GPU, on WebGPU and on our wasm kernels (all cores), on the same
 * data. Wasm is slow at the largest sizes, so it is timed on fewer rows where the work is linear
 * in them (row tiles, seeds) and scaled, or on the smallest size of an O(n²) metric and scaled by
 * the square; the table says so on every such row. A WebGPU call that falls back to the portable
 * kernel (a shape beyond the device's binding limits) is reported as skipped, never timed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { addRuns } from '../../src/kernels/clusterSums/index.js';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import { lloydStep } from '../../src/kernels/lloydStep/index.js';
import { meanShiftStep } from '../../src/kernels/meanShiftStep/index.js';
import { radiusCounts } from '../../src/kernels/radiusCounts/index.js';
import { radiusPairs } from '../../src/kernels/radiusPairs/index.js';
import { silhouetteTile } from '../../src/kernels/silhouetteTile/index.js';
import type { RowBlock } from '../../src/kernels/shared/tiling.js';
import { webgpuFallbacks } from '../../src/kernels/webgpu/run.js';
import type { MatrixF32 } from '../../src/matrix.js';
import { silhouette } from '../../src/metrics/silhouette.js';
import { disposeData, uploadData } from '../../src/algorithms/kmeansLloyd.js';
import { HOST_PASS_MAX_WORK } from '../../src/algorithms/hostPasses.js';
import { devicePasses, hostDistances } from '../../src/algorithms/kmeansRefine.js';
import { Random } from '../../src/random.js';
import { use, type Side } from './device.js';
import { blocksOf, labelsOf, rowRange, uniform, type Blocks } from './inputs.js';
import { timeIt, type Timing } from './timing.js';

/** One row of the table. */
export interface Row {
  group: 'kernel' | 'algorithm';
  name: string;
  size: string;
  /** Useful float32 operations: 3 per (pair, feature) of a distance (difference and FMA). */
  flops: number;
  /** Least bytes the work must move: its inputs read once and its outputs written once. */
  bytes: number;
  webgpu: Timing | null;
  /** Wasm's time for the whole size (measured, or scaled as `wasmNote` says). */
  wasm: Timing | null;
  wasmNote: string;
  /** Why a side was not timed. */
  skipped: string | null;
}

/** Sizes of one run: the full set, or --quick's small one. */
export interface Sizes {
  kmeansRows: number[];
  kmeansFeatures: number[];
  kmeansK: number[];
  /** Most rows wasm is timed on for a Lloyd iteration (the rest scaled linearly). */
  wasmLloydRows: number;
  silhouetteRows: number[];
  /** Rows of the exact silhouette wasm is timed on (larger sizes scaled by the square). */
  wasmSilhouetteRows: number;
  dbscanRows: number;
  /** Row tiles of 2,048 wasm counts (the rest scaled linearly). */
  wasmDbscanTiles: number;
  meanShiftRows: number;
  meanShiftSeeds: number;
  wasmMeanShiftSeeds: number;
  /** Kernel block: rows of a Lloyd block; rows × columns of the pairwise kernels. */
  lloydBlock: number;
  pairRows: number;
  pairCols: number;
  reps: number;
}

export const FULL: Sizes = {
  kmeansRows: [1e6, 1e7],
  kmeansFeatures: [16, 64],
  kmeansK: [8, 64, 256],
  wasmLloydRows: 1e6,
  silhouetteRows: [1e5, 2e5, 1e6],
  wasmSilhouetteRows: 1e5,
  dbscanRows: 1e6,
  wasmDbscanTiles: 4,
  meanShiftRows: 1e6,
  meanShiftSeeds: 2048,
  wasmMeanShiftSeeds: 128,
  lloydBlock: 1 << 18,
  pairRows: 2048,
  pairCols: 1 << 17,
  reps: 5,
};

export const QUICK: Sizes = {
  kmeansRows: [5000],
  kmeansFeatures: [16],
  kmeansK: [8],
  wasmLloydRows: 5000,
  silhouetteRows: [1000],
  wasmSilhouetteRows: 1000,
  dbscanRows: 2048,
  wasmDbscanTiles: 1,
  meanShiftRows: 2048,
  meanShiftSeeds: 32,
  wasmMeanShiftSeeds: 32,
  lloydBlock: 1024,
  pairRows: 128,
  pairCols: 2048,
  reps: 2,
};

const TILE = 2048;
const FEATURES = 16;

/** n rows of d uniform features: a pool of at most 2^20 random rows, repeated (timing does not depend on the values). */
function dataOf(rng: Random, n: number, d: number): MatrixF32 {
  const pool = uniform(rng, Math.min(n, 1 << 20), d);
  if (pool.rows === n) return pool;
  const data = new Float32Array(n * d);
  for (let s = 0; s < n; s += pool.rows) data.set(pool.data.subarray(0, Math.min(pool.rows, n - s) * d), s * d);
  return { data, rows: n, cols: d };
}

/** Times `f` on `side` after uploading with `setup`; a WebGPU fallback makes it null with the reason. */
async function timed(side: Side, sizes: Sizes, setup: () => Blocks[], f: (b: Blocks[]) => Promise<void>, o: { reps?: number; warmup?: number } = {}): Promise<{ t: Timing | null; why: string | null }> {
  await use(side);
  webgpuFallbacks(true);
  const up = setup();
  try {
    const t = await timeIt(() => f(up), { warmup: o.warmup ?? 1, reps: o.reps ?? sizes.reps, budgetMs: 20_000 });
    const fell = webgpuFallbacks(true);
    if (side === 'webgpu' && fell.length > 0) return { t: null, why: `WebGPU ran the portable kernel: ${fell[0].reason}` };
    return { t, why: null };
  } finally {
    for (const b of up) b.dispose();
    await use('webgpu');
  }
}

function scale(t: Timing | null, factor: number): Timing | null {
  return t === null ? null : { ms: t.ms * factor, reps: t.reps };
}

/** One Lloyd iteration's device work over all blocks, as kmeansLloyd.lloyd does it (all blocks dispatched, then the partials read and added in float64). */
async function lloydIteration(blocks: RowBlock[], centers: tf.Tensor2D, k: number, d: number): Promise<void> {
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  const steps = blocks.map((b) => lloydStep(b.x, centers, null));
  for (const s of steps) {
    addRuns(await s.counts.data(), s.counts.shape[0], counts);
    addRuns(await s.sums.data(), s.sums.shape[0], sums);
  }
  tf.dispose(steps.flatMap((s) => [s.labels, s.distances, s.counts, s.sums]));
}

/** Every row of the table, in order; `onRow` gets each as it is measured. */
export async function runWorkloads(sizes: Sizes, seed: number, onRow: (r: Row) => void): Promise<Row[]> {
  const rng = new Random(seed);
  const rows: Row[] = [];
  const add = (r: Row): void => {
    rows.push(r);
    onRow(r);
  };
  const both = async (base: Omit<Row, 'webgpu' | 'wasm' | 'skipped' | 'wasmNote'>, gpu: () => Promise<{ t: Timing | null; why: string | null }>, wasm: () => Promise<{ t: Timing | null; note: string }>): Promise<void> => {
    let g: { t: Timing | null; why: string | null };
    try {
      g = await gpu();
    } catch (err) {
      g = { t: null, why: `WebGPU failed: ${String(err)}` };
    }
    let w: { t: Timing | null; note: string };
    try {
      w = await wasm();
    } catch (err) {
      w = { t: null, note: `wasm failed: ${String(err)}` };
    }
    add({ ...base, webgpu: g.t, wasm: w.t, wasmNote: w.note, skipped: g.why });
  };

  // ---- kernels, one call on one block ----
  {
    const d = 64;
    const k = 256;
    const t = sizes.lloydBlock;
    const x = dataOf(rng, t, d);
    const c = uniform(rng, k, d);
    for (const name of ['lloydStep', 'assignNearest'] as const) {
      const run = async (side: Side) => {
        let ct: tf.Tensor2D | null = null;
        const r = await timed(side, sizes, () => {
          ct = tf.tensor2d(c.data, [k, d]);
          return [blocksOf(x, { rowsPerBlock: t })];
        }, async ([b]) => {
          const out = name === 'lloydStep' ? lloydStep(b.blocks[0].x, ct as unknown as tf.Tensor2D, null) : assignNearest(b.blocks[0].x, ct as unknown as tf.Tensor2D);
          await out.distances.data();
          tf.dispose(Object.values(out) as tf.Tensor[]);
        });
        (ct as tf.Tensor2D | null)?.dispose();
        return r;
      };
      const outBytes = name === 'lloydStep' ? 8 * t + 4 * Math.ceil(t / 256) * k * (d + 1) : 8 * t;
      await both(
        { group: 'kernel', name, size: `t=${t} d=${d} k=${k}`, flops: 3 * t * k * d, bytes: 4 * t * d + outBytes },
        () => run('webgpu'),
        async () => ({ t: (await run('wasm')).t, note: 'measured' }),
      );
    }
  }
  {
    const d = FEATURES;
    const k = 8;
    const b = sizes.pairRows;
    const n = sizes.pairCols;
    const x = dataOf(rng, n, d);
    const labels = labelsOf(rng, n, k);
    const rowsM = rowRange(x, 0, b);
    const radius = 0.9;
    const pairs = b * n;
    const kernels: Array<[string, number, (r: Blocks, c: Blocks) => Promise<void>]> = [
      ['silhouetteTile', 4 * b * k, async (r, c) => {
        const out = silhouetteTile(r.blocks[0].x, c.blocks.map((blk, i) => ({ x: blk.x, labels: c.labels[i] })), k);
        await out.data();
        out.dispose();
      }],
      ['radiusCounts', 4 * b, async (r, c) => {
        const out = radiusCounts(r.blocks[0].x, c.blocks.map((blk) => blk.x), radius);
        await out.data();
        out.dispose();
      }],
      ['radiusPairs', 4 * b * Math.ceil(n / 24), async (r, c) => {
        const out = radiusPairs(r.blocks[0].x, c.blocks[0].x, radius);
        await out.data();
        out.dispose();
      }],
      ['meanShiftStep (flat)', 4 * b * (d + 2), async (r, c) => {
        const out = meanShiftStep(r.blocks[0].x, c.blocks.map((blk) => ({ x: blk.x })), radius, 'flat');
        await out.means.data();
        tf.dispose([out.means, out.counts, out.mass]);
      }],
    ];
    for (const [name, outBytes, f] of kernels) {
      const single = name === 'radiusPairs';
      const setup = () => [blocksOf(rowsM, { rowsPerBlock: b }), blocksOf(x, { labels, rowsPerBlock: single ? n : undefined, floatsPerRow: 3 * b + k })];
      await both(
        { group: 'kernel', name, size: `${b} rows × ${n} columns, d=${d}`, flops: 3 * pairs * d, bytes: 4 * (b + n) * d + outBytes },
        () => timed('webgpu', sizes, setup, ([r, c]) => f(r, c)),
        async () => ({ t: (await timed('wasm', sizes, setup, ([r, c]) => f(r, c), { reps: 3 })).t, note: 'measured' }),
      );
    }
  }

  // ---- k-means: one Lloyd iteration over all rows ----
  for (const d of sizes.kmeansFeatures) {
    const nMax = Math.max(...sizes.kmeansRows);
    const all = dataOf(rng, nMax, d);
    for (const n of sizes.kmeansRows) {
      const x = rowRange(all, 0, n);
      for (const k of sizes.kmeansK) {
        const c = uniform(rng, k, d);
        const iteration = (m: MatrixF32) => async (side: Side) => {
          let ct: tf.Tensor2D | null = null;
          const r = await timed(side, sizes, () => {
            ct = tf.tensor2d(c.data, [k, d]);
            // Blocks as k-means sizes them for this k (uploadData: 3k + d floats per row).
            return [blocksOf(m, { floatsPerRow: 3 * k + d })];
          }, ([b]) => lloydIteration(b.blocks, ct as unknown as tf.Tensor2D, k, d), { reps: side === 'wasm' ? 1 : sizes.reps });
          (ct as tf.Tensor2D | null)?.dispose();
          return r;
        };
        const wasmRows = Math.min(n, sizes.wasmLloydRows);
        await both(
          { group: 'algorithm', name: 'k-means, one Lloyd iteration', size: `n=${n} d=${d} k=${k}`, flops: 3 * n * k * d, bytes: 4 * n * d },
          () => iteration(x)('webgpu'),
          async () => {
            const t = (await iteration(rowRange(x, 0, wasmRows))('wasm')).t;
            const note = `one repetition, full pass (no bound pruning)${wasmRows < n ? `; ${wasmRows} rows timed, scaled ×${n / wasmRows}` : ''}`;
            return { t: scale(t, n / wasmRows), note };
          },
        );
      }
    }
  }

  // ---- k-means' refinement: one pass of distances to k centers, on the device or on the host ----
  // On a GPU backend the refinement's passes run on the host while n·k·d ≤ HOST_PASS_MAX_WORK
  // (hostPasses.ts, placedOnHost), on the grounds that a device pass then costs its dispatches
  // and read back more than the host's arithmetic. These rows test that: at the threshold, and
  // far below it (a fixture's size), the device pass (the pointDistances kernel, read back) and
  // the host pass (hostDistances, float64 JavaScript on one thread) on the same rows.
  for (const [n, d, k] of [[256, 4, 8], [HOST_PASS_MAX_WORK / 128, 16, 8]]) {
    const x = dataOf(rng, n, d);
    const c = uniform(rng, k, d);
    await both(
      { group: 'algorithm', name: 'k-means refinement pass (distances to k centers, read back)', size: `n=${n} d=${d} k=${k}`, flops: 3 * n * k * d, bytes: 4 * n * (d + k) },
      async () => {
        await use('webgpu');
        webgpuFallbacks(true);
        const data = uploadData(x, null, k);
        try {
          const passes = devicePasses(data, k);
          const t = await timeIt(async () => void (await passes.distancesTo(c.data, k)), { reps: sizes.reps, budgetMs: 20_000 });
          const fell = webgpuFallbacks(true);
          return fell.length > 0 ? { t: null, why: `WebGPU ran the portable kernel: ${fell[0].reason}` } : { t, why: null };
        } finally {
          disposeData(data);
        }
      },
      async () => ({ t: await timeIt(async () => void hostDistances(x, c.data, k), { reps: sizes.reps }), note: 'the host pass placedOnHost picks (hostDistances: JavaScript, one thread), not wasm' }),
    );
  }

  // ---- exact silhouette: the whole metric through the public function ----
  {
    const k = 8;
    const d = FEATURES;
    let wasmAt: { n: number; t: Timing | null } | null = null;
    for (const n of sizes.silhouetteRows) {
      const x = dataOf(rng, n, d);
      const labels = labelsOf(rng, n, k);
      const metric = (m: MatrixF32, l: Int32Array) => async (side: Side) =>
        timed(side, sizes, () => [], async () => void (await silhouette(m, l)), { reps: 1, warmup: 0 });
      await both(
        { group: 'algorithm', name: 'exact silhouette (upload included)', size: `n=${n} d=${d} k=${k}`, flops: 3 * n * n * d, bytes: 4 * n * (d + 1) },
        () => metric(x, labels)('webgpu'),
        async () => {
          if (wasmAt === null || n <= sizes.wasmSilhouetteRows) {
            const m = Math.min(n, sizes.wasmSilhouetteRows);
            wasmAt = { n: m, t: (await metric(rowRange(x, 0, m), labels.subarray(0, m))('wasm')).t };
          }
          const f = (n / wasmAt.n) ** 2;
          return { t: scale(wasmAt.t, f), note: f === 1 ? 'one run' : `timed at n=${wasmAt.n}, scaled ×${f} (n²)` };
        },
      );
    }
  }

  // ---- DBSCAN's neighbour counts: every row against all rows ----
  {
    const n = sizes.dbscanRows;
    const d = FEATURES;
    const x = dataOf(rng, n, d);
    const eps = 0.9;
    const pass = (tiles: number) => async (side: Side) =>
      timed(side, sizes, () => [blocksOf(rowRange(x, 0, Math.min(n, tiles * TILE)), { rowsPerBlock: TILE }), blocksOf(x, { floatsPerRow: 3 * TILE })], async ([r, c]) => {
        for (const tile of r.blocks) {
          const out = radiusCounts(tile.x, c.blocks.map((b) => b.x), eps);
          await out.data();
          out.dispose();
        }
      }, { reps: 1, warmup: 0 });
    const allTiles = Math.ceil(n / TILE);
    const wasmTiles = Math.min(allTiles, sizes.wasmDbscanTiles);
    await both(
      { group: 'algorithm', name: 'DBSCAN neighbour counts', size: `n=${n} d=${d}, row tiles of ${TILE}`, flops: 3 * n * n * d, bytes: 4 * n * (d + 1) },
      () => pass(allTiles)('webgpu'),
      async () => ({ t: scale((await pass(wasmTiles)('wasm')).t, allTiles / wasmTiles), note: wasmTiles < allTiles ? `${wasmTiles} of ${allTiles} row tiles timed, scaled ×${(allTiles / wasmTiles).toFixed(1)}` : 'one run' }),
    );
  }

  // ---- one mean shift step: every seed against all rows ----
  {
    const n = sizes.meanShiftRows;
    const d = FEATURES;
    const x = dataOf(rng, n, d);
    const h = 0.9;
    const step = (s: number) => async (side: Side) =>
      timed(side, sizes, () => [blocksOf(rowRange(x, 0, s), { rowsPerBlock: s }), blocksOf(x, { floatsPerRow: 3 * s + d })], async ([seeds, c]) => {
        const out = meanShiftStep(seeds.blocks[0].x, c.blocks.map((b) => ({ x: b.x })), h, 'flat');
        await out.means.data();
        tf.dispose([out.means, out.counts, out.mass]);
      }, { reps: side === 'wasm' ? 1 : sizes.reps });
    const s = sizes.meanShiftSeeds;
    const ws = Math.min(s, sizes.wasmMeanShiftSeeds);
    await both(
      { group: 'algorithm', name: 'mean shift step (flat)', size: `${s} seeds, n=${n} d=${d}`, flops: 3 * s * n * d, bytes: 4 * (n + 2 * s) * d },
      () => step(s)('webgpu'),
      async () => ({ t: scale((await step(ws)('wasm')).t, s / ws), note: ws < s ? `${ws} seeds timed, scaled ×${s / ws}` : 'one repetition' }),
    );
  }
  return rows;
}
