// SPDX-License-Identifier: MIT
/**
 * lloydSumsWasm's bounds (Hamerly's, per row, kept between calls on a block): whatever the
 * sequence of centers, every call must give exactly the bits of a call that scans every row
 * (LLOYD_BOUNDS.enabled = false, i.e. lloydStepWasm's pass), and on Lloyd's iterations most
 * groups must be skipped once the centers settle. The scanned pass itself is checked against
 * the Float64 reference and the portable kernel in lloydStep.wasm.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, expect } from 'vitest';
import { addRuns } from '../../../src/kernels/clusterSums/index.js';
import { clearWasmData, wasmDataStats } from '../../../src/kernels/wasm/kernelModule.js';
import { LLOYD_BOUNDS, LLOYD_CHUNKING, lloydSumsStats, lloydSumsWasm, resetLloydSumsStats } from '../../../src/kernels/lloydStep/wasm.js';
import { setWasmThreads } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf } from '../../helpers/reference.js';
import { blobs, tensorOf, uniformMatrix, upload, type Uploaded } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

interface Totals {
  counts: Float32Array;
  sums: Float32Array;
}

/** lloydSumsWasm on every block of `up` with bounds on or off: the raw [2, k] and [2, k, d] runs per block, concatenated. */
async function sumsOf(up: Uploaded, centers: Float32Array, k: number, bounded: boolean): Promise<Totals> {
  const saved = LLOYD_BOUNDS.enabled;
  LLOYD_BOUNDS.enabled = bounded;
  const ct = tf.tensor2d(centers, [k, centers.length / k]);
  try {
    const counts: number[] = [];
    const sums: number[] = [];
    for (const [i, b] of up.blocks.entries()) {
      const out = lloydSumsWasm(b.x, ct, up.weights[i]);
      counts.push(...(await out.counts.data()));
      sums.push(...(await out.sums.data()));
      tf.dispose([out.counts, out.sums]);
    }
    return { counts: Float32Array.from(counts), sums: Float32Array.from(sums) };
  } finally {
    ct.dispose();
    LLOYD_BOUNDS.enabled = saved;
  }
}

/** The bounded call and a full scan on the same centers: the same bits. Returns the totals. */
async function expectSameAsScan(up: Uploaded, centers: Float32Array, k: number, what: string): Promise<Totals> {
  const bounded = await sumsOf(up, centers, k, true);
  const scanned = await sumsOf(up, centers, k, false);
  expect(bounded.counts, `counts, ${what}`).toEqual(scanned.counts);
  expect(bounded.sums, `sums, ${what}`).toEqual(scanned.sums);
  return bounded;
}

/** Lloyd's update from the runs of every block: float64 means, kept where a cluster is empty. */
function nextCenters(t: Totals, prev: Float32Array, k: number, d: number, blocks: number): Float32Array {
  const counts = new Float64Array(k);
  const sums = new Float64Array(k * d);
  for (let b = 0; b < blocks; b++) {
    addRuns(t.counts.subarray(b * 2 * k, (b + 1) * 2 * k), 2, counts);
    addRuns(t.sums.subarray(b * 2 * k * d, (b + 1) * 2 * k * d), 2, sums);
  }
  return Float32Array.from({ length: k * d }, (_, i) => {
    const c = Math.floor(i / d);
    return counts[c] > 0 ? sums[i] / counts[c] : prev[i];
  });
}

/** Runs `iterations` of Lloyd's algorithm from `init`, checking every call against a full scan; returns the stats of each call. */
async function lloydChecked(up: Uploaded, init: Float32Array, k: number, d: number, iterations: number, what: string) {
  let centers: Float32Array = init;
  const perIteration = [];
  for (let it = 0; it < iterations; it++) {
    resetLloydSumsStats();
    const t = await sumsOf(up, centers, k, true);
    perIteration.push(lloydSumsStats());
    const scanned = await sumsOf(up, centers, k, false);
    expect(t.counts, `counts, ${what}, iteration ${it}`).toEqual(scanned.counts);
    expect(t.sums, `sums, ${what}, iteration ${it}`).toEqual(scanned.sums);
    centers = nextCenters(t, centers, k, d, up.blocks.length);
  }
  return perIteration;
}

describeEachBackend(
  'lloydSums, wasm kernel with bounds',
  () => {
    const saved = { ...LLOYD_BOUNDS };
    afterEach(() => {
      Object.assign(LLOYD_BOUNDS, saved);
      clearWasmData();
    });
    afterAll(async () => {
      await setWasmThreads();
    });

    it('gives the bits of a full scan on every Lloyd iteration, and scans few groups once the centers settle', async () => {
      const rng = new Random(31);
      const n = 20_001;
      const d = 6;
      const k = 7;
      // Overlapping blobs (rows spread well past the half distance between centers), so that
      // labels keep changing for a while and the bounds have real work to do.
      const { x } = blobs(rng, n, d, k);
      for (let i = 0; i < x.data.length; i++) x.data[i] += 3 * (rng.next() - 0.5);
      const init = Float32Array.from(x.data.subarray(0, k * d));
      const up = upload(x, { rowsPerBlock: 7000 });
      try {
        const stats = await lloydChecked(up, init, k, d, 25, 'blobs');
        const groups = stats[0].groups;
        expect(groups).toBe(Math.ceil(7000 / 4) * 2 + Math.ceil(6001 / 4));
        expect(stats[0].initCalls, 'the first call on each block has no bounds yet').toBe(3);
        expect(stats[0].scanned).toBe(groups);
        expect(stats[1].initCalls).toBe(0);
        const last = stats[stats.length - 1];
        expect(last.scanned / groups, `groups scanned in the last iteration: ${last.scanned} of ${groups}`).toBeLessThan(0.25);
      } finally {
        up.dispose();
      }
    });

    it('gives the bits of a full scan with weights, without tightening, for d from 1 to 300, and on 1, 2 and 3 threads', async () => {
      const savedChunking = { ...LLOYD_CHUNKING };
      LLOYD_CHUNKING.work = 2 ** 11; // many chunks, shared by the threads
      LLOYD_CHUNKING.maxChunks = 1000;
      try {
        const rng = new Random(32);
        for (const [n, d, k] of [
          [5, 1, 2],
          [2003, 1, 3],
          [1999, 3, 5],
          [3001, 16, 8],
          [517, 300, 4],
        ]) {
          const { x } = blobs(rng, n, d, k);
          for (let i = 0; i < x.data.length; i++) x.data[i] += rng.next() - 0.5;
          const weights = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 0.25 + 4 * rng.next()));
          const init = Float32Array.from(x.data.subarray(0, k * d));
          for (const tighten of [true, false]) {
            LLOYD_BOUNDS.tighten = tighten;
            await sameOnThreadCounts(async () => {
              const up = upload(x, { weights });
              try {
                let centers: Float32Array = init;
                const totals = [];
                for (let it = 0; it < 6; it++) {
                  const t = await expectSameAsScan(up, centers, k, `n=${n} d=${d} k=${k} iteration ${it}`);
                  totals.push(t);
                  centers = nextCenters(t, centers, k, d, up.blocks.length);
                }
                return totals;
              } finally {
                up.dispose();
              }
            }, `n=${n} d=${d}`);
          }
        }
      } finally {
        Object.assign(LLOYD_CHUNKING, savedChunking);
      }
    });

    it('keeps exact ties at the lowest index: rows midway between two centers are always scanned', async () => {
      // 4001 rows at the origin; centers 1 and 4 stay exactly 1 away on either side while the
      // other centers move: the bounds never prove a winner, the scan's lowest index does.
      const k = 6;
      const centersAt = (step: number) =>
        Float32Array.from(matrixOf(Array.from({ length: k }, (_, j) => (j === 1 ? [1, 0, 0] : j === 4 ? [-1, 0, 0] : [0, 3 + j + step * 0.25, step * 0.125]))).data);
      const x: Matrix = { data: new Float32Array(4001 * 3), rows: 4001, cols: 3 };
      const up = upload(x, { rowsPerBlock: 4001 }); // one block: counts [2, k]
      try {
        for (let step = 0; step < 5; step++) {
          resetLloydSumsStats();
          const t = await expectSameAsScan(up, centersAt(step), k, `step ${step}`);
          expect(t.counts[1], 'all rows go to the lower index of the tie').toBe(4001);
          const st = lloydSumsStats();
          expect(st.scanned, 'every group is scanned: a tie is never skipped').toBe(st.groups);
        }
      } finally {
        up.dispose();
      }
    });

    it('stays exact when the centers jump anywhere, duplicate each other, change in number, or when k = 1', async () => {
      const rng = new Random(33);
      const d = 5;
      const { x } = blobs(rng, 3001, d, 4);
      const up = upload(x, { rowsPerBlock: 1500 });
      try {
        let centers: Float32Array = Float32Array.from(x.data.subarray(0, 4 * d));
        for (let it = 0; it < 4; it++) {
          const t = await expectSameAsScan(up, centers, 4, `settling ${it}`);
          centers = nextCenters(t, centers, 4, d, up.blocks.length);
        }
        // Far jumps, tiny moves, a center on top of another, then a new k on the same blocks.
        const jumped = Float32Array.from(uniformMatrix(rng, 4, d, -50, 50).data);
        await expectSameAsScan(up, jumped, 4, 'jump');
        const nudged = Float32Array.from(jumped, (v, i) => (i === 3 ? v + 1e-6 : v));
        await expectSameAsScan(up, nudged, 4, 'nudge');
        const duplicate = Float32Array.from(centers);
        duplicate.set(duplicate.subarray(0, d), 2 * d);
        await expectSameAsScan(up, duplicate, 4, 'duplicate center');
        await expectSameAsScan(up, duplicate, 4, 'duplicate center, again');
        const six = Float32Array.from(uniformMatrix(rng, 6, d, -4, 4).data);
        resetLloydSumsStats();
        await expectSameAsScan(up, six, 6, 'k = 6 on the same blocks');
        expect(lloydSumsStats().initCalls, 'a new k starts the bounds afresh').toBe(up.blocks.length);
        const one = Float32Array.from(centers.subarray(0, d));
        await expectSameAsScan(up, one, 1, 'k = 1');
        resetLloydSumsStats();
        const t = await expectSameAsScan(up, Float32Array.from(one, (v) => v + 0.5), 1, 'k = 1 moved');
        expect(t.counts.reduce((a, b) => a + b, 0), 'every row in the one cluster (two blocks, hi and lo runs)').toBe(3001);
        expect(lloydSumsStats().scanned, 'with one center nothing needs a scan').toBe(0);
      } finally {
        up.dispose();
      }
    });

    it('keeps 12 bytes per row of bounds with the cached block and frees them with it', async () => {
      clearWasmData();
      const rng = new Random(34);
      const { x } = blobs(rng, 4000, 8, 3);
      const up = upload(x, { rowsPerBlock: 4000 });
      const init = Float32Array.from(x.data.subarray(0, 3 * 8));
      await sumsOf(up, init, 3, false);
      const plain = wasmDataStats().cachedBytes;
      await sumsOf(up, init, 3, true);
      expect(wasmDataStats().cachedBytes - plain).toBe(3 * 4000 * 4);
      up.dispose();
      expect(wasmDataStats().cachedBytes).toBe(0);
      expect(wasmDataStats().entries).toBe(0);
    });
  },
  ['wasm'],
);
