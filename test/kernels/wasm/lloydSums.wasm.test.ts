// SPDX-License-Identifier: MIT
/**
 * The wasm Lloyd session's bounds (Hamerly's, per row, kept between steps): whatever the sequence
 * of centers, every step must give exactly the bits of a session that scans every row
 * (`bounds: false`, lloydStepWasm's pass), and on Lloyd's iterations most groups must be skipped
 * once the centers settle (the step's `scanned`). The scanned pass itself is checked against the
 * Float64 reference and the portable kernel in lloydStep.wasm.test.ts.
 */
import { afterAll, afterEach, expect } from 'vitest';
import { ParameterError } from '../../../src/errors.js';
import type { LloydChunking, LloydSessionOptions } from '../../../src/kernels/lloydStep/options.js';
import { openLloydSession, type LloydSession, type LloydSessionStep } from '../../../src/kernels/lloydSums/session.js';
import { lloydSums } from '../../../src/kernels/lloydSums/index.js';
import { clearWasmData, wasmKernels } from '../../../src/kernels/wasm/kernelModule.js';
import { setWasmThreads } from '../../../src/kernels/wasm/threads.js';
import type { Matrix } from '../../../src/matrix.js';
import { Random } from '../../../src/random.js';
import { describeEachBackend, it } from '../../helpers/backends.js';
import { matrixOf } from '../../helpers/reference.js';
import { blobs, f32, uniformMatrix, upload, type Uploaded } from '../support.js';
import { sameOnThreadCounts } from './threadCounts.js';

/**
 * A session on the blocks of `up`, with the host rows as kmeansLloyd opens it when `x` is given,
 * else reading the blocks back from the device.
 */
function open(up: Uploaded, x: Matrix | null, k: number, options: LloydSessionOptions): Promise<LloydSession> {
  const blocks = up.blocks.map((b, i) => {
    const [t, d] = b.x.shape;
    const hostRows = x === null ? undefined : f32(x).data.subarray(b.start * d, (b.start + t) * d);
    return { start: b.start, x: b.x, weights: up.weights[i], hostRows };
  });
  return openLloydSession(blocks, k, options);
}

/** Two sessions on the same blocks, with bounds and scanning every row. */
interface Pair {
  bounded: LloydSession;
  scan: LloydSession;
  dispose(): void;
}

async function openPair(up: Uploaded, x: Matrix | null, k: number, options: LloydSessionOptions = {}): Promise<Pair> {
  const bounded = await open(up, x, k, { ...options, bounds: true });
  const scan = await open(up, x, k, { ...options, bounds: false });
  return { bounded, scan, dispose: () => (bounded.dispose(), scan.dispose()) };
}

/** A step of both sessions on the same centers: the same bits. Returns the bounded step. */
async function expectSameAsScan(pair: Pair, centers: Float32Array, what: string): Promise<LloydSessionStep> {
  const bounded = await pair.bounded.step(centers);
  const scanned = await pair.scan.step(centers);
  expect(bounded.counts, `counts, ${what}`).toEqual(scanned.counts);
  expect(bounded.sums, `sums, ${what}`).toEqual(scanned.sums);
  expect(scanned.scanned, 'without bounds every group is scanned').toBe(scanned.groups);
  return bounded;
}

/** Lloyd's update: float64 means, kept where a cluster is empty. */
function nextCenters(t: LloydSessionStep, prev: Float32Array, k: number, d: number): Float32Array {
  return Float32Array.from({ length: k * d }, (_, i) => {
    const c = Math.floor(i / d);
    return t.counts[c] > 0 ? t.sums[i] / t.counts[c] : prev[i];
  });
}

/** Runs `iterations` of Lloyd's algorithm from `init`, checking every step against a full scan; returns the bounded steps. */
async function lloydChecked(pair: Pair, init: Float32Array, k: number, d: number, iterations: number, what: string): Promise<LloydSessionStep[]> {
  let centers: Float32Array = init;
  const steps = [];
  for (let it = 0; it < iterations; it++) {
    const t = await expectSameAsScan(pair, centers, `${what}, iteration ${it}`);
    steps.push(t);
    centers = nextCenters(t, centers, k, d);
  }
  return steps;
}

describeEachBackend(
  'lloydSums, wasm session with bounds',
  () => {
    afterEach(() => clearWasmData());
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
      expect(lloydSums.implementationFor('wasm'), 'a session on wasm is the wasm one').toBe('wasm');
      const pair = await openPair(up, x, k);
      try {
        const steps = await lloydChecked(pair, init, k, d, 25, 'blobs');
        const groups = steps[0].groups;
        expect(groups).toBe(Math.ceil(7000 / 4) * 2 + Math.ceil(6001 / 4));
        expect(steps[0].scanned, 'the first step has no bounds yet').toBe(groups);
        expect(steps[1].scanned).toBeLessThan(groups);
        const last = steps[steps.length - 1];
        expect(last.scanned / groups, `groups scanned in the last iteration: ${last.scanned} of ${groups}`).toBeLessThan(0.25);
      } finally {
        pair.dispose();
        up.dispose();
      }
    });

    it('gives the bits of a full scan with weights, without tightening, for d from 1 to 300, and on 1, 2 and 3 threads', async () => {
      const chunking: LloydChunking = { work: 2 ** 11, maxChunks: 1000 }; // many chunks, shared by the threads
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
          await sameOnThreadCounts(async () => {
            const up = upload(x, { weights });
            // No host rows: the session reads the blocks and weights back from the device.
            const pair = await openPair(up, null, k, { chunking, tighten });
            try {
              const steps = await lloydChecked(pair, init, k, d, 6, `n=${n} d=${d} k=${k} tighten=${tighten}`);
              if (!tighten) expect(steps.every((t) => t.tightened === 0), 'tighten: false tightens no group').toBe(true);
              return steps.map((t) => [t.counts, t.sums]);
            } finally {
              pair.dispose();
              up.dispose();
            }
          }, `n=${n} d=${d}`);
        }
      }
    });

    it('keeps exact ties at the lowest index: rows midway between two centers are always scanned', async () => {
      // 4001 rows at the origin; centers 1 and 4 stay exactly 1 away on either side while the
      // other centers move: the bounds never prove a winner, the scan's lowest index does.
      const k = 6;
      const centersAt = (step: number) =>
        Float32Array.from(matrixOf(Array.from({ length: k }, (_, j) => (j === 1 ? [1, 0, 0] : j === 4 ? [-1, 0, 0] : [0, 3 + j + step * 0.25, step * 0.125]))).data);
      const x: Matrix = { data: new Float32Array(4001 * 3), rows: 4001, cols: 3 };
      const up = upload(x, { rowsPerBlock: 4001 });
      const pair = await openPair(up, x, k);
      try {
        for (let step = 0; step < 5; step++) {
          const t = await expectSameAsScan(pair, centersAt(step), `step ${step}`);
          expect(t.counts[1], 'all rows go to the lower index of the tie').toBe(4001);
          expect(t.scanned, 'every group is scanned: a tie is never skipped').toBe(t.groups);
        }
      } finally {
        pair.dispose();
        up.dispose();
      }
    });

    it('stays exact when the centers jump anywhere, duplicate each other, or when k = 1; a new k is a new session', async () => {
      const rng = new Random(33);
      const d = 5;
      const { x } = blobs(rng, 3001, d, 4);
      const up = upload(x, { rowsPerBlock: 1500 });
      const pair = await openPair(up, x, 4);
      try {
        let centers: Float32Array = Float32Array.from(x.data.subarray(0, 4 * d));
        for (let it = 0; it < 4; it++) {
          const t = await expectSameAsScan(pair, centers, `settling ${it}`);
          centers = nextCenters(t, centers, 4, d);
        }
        // Far jumps, tiny moves, a center on top of another.
        const jumped = Float32Array.from(uniformMatrix(rng, 4, d, -50, 50).data);
        await expectSameAsScan(pair, jumped, 'jump');
        const nudged = Float32Array.from(jumped, (v, i) => (i === 3 ? v + 1e-6 : v));
        await expectSameAsScan(pair, nudged, 'nudge');
        const duplicate = Float32Array.from(centers);
        duplicate.set(duplicate.subarray(0, d), 2 * d);
        await expectSameAsScan(pair, duplicate, 'duplicate center');
        await expectSameAsScan(pair, duplicate, 'duplicate center, again');
        await expect(pair.bounded.step(new Float32Array(6 * d))).rejects.toThrow('lloydSession.step: centers have 30 values, expected k·d = 4·5');
      } finally {
        pair.dispose();
      }
      const six = await openPair(up, x, 6);
      try {
        const t = await expectSameAsScan(six, Float32Array.from(uniformMatrix(rng, 6, d, -4, 4).data), 'k = 6 on the same blocks');
        expect(t.scanned, 'a new session starts without bounds').toBe(t.groups);
      } finally {
        six.dispose();
      }
      const one = await openPair(up, x, 1);
      try {
        const c = Float32Array.from(x.data.subarray(0, d));
        await expectSameAsScan(one, c, 'k = 1');
        const t = await expectSameAsScan(one, Float32Array.from(c, (v) => v + 0.5), 'k = 1 moved');
        expect(t.counts[0], 'every row in the one cluster').toBe(3001);
        expect(t.scanned, 'with one center nothing needs a scan').toBe(0);
      } finally {
        one.dispose();
        up.dispose();
      }
    });

    it('assigns as lloydStep does, keeps nothing in the tensor-keyed cache, and frees its memory on dispose', async () => {
      clearWasmData();
      const rng = new Random(34);
      const { x, centers } = blobs(rng, 4000, 8, 3);
      const up = upload(x, { rowsPerBlock: 1500 });
      const c = Float32Array.from(centers.data);
      try {
        const cycle = async (): Promise<number> => {
          const session = await open(up, x, 3, {});
          const step = await session.step(c);
          const assigned = await session.assign(c, x.rows);
          expect(clearWasmData(), 'the session owns its copies: none in the cache').toBe(0);
          session.dispose();
          session.dispose(); // idempotent
          await expect(session.step(c)).rejects.toThrow(ParameterError);
          // The labels give the step's counts (unit weights).
          const counts = new Float64Array(3);
          for (const l of assigned.labels) counts[l]++;
          expect(Array.from(counts)).toEqual(Array.from(step.counts));
          return wasmKernels().memory.buffer.byteLength;
        };
        const first = await cycle();
        expect(await cycle(), 'freed copies and bounds are reused: the module memory does not grow').toBe(first);
      } finally {
        up.dispose();
      }
    });
  },
  ['wasm'],
);
