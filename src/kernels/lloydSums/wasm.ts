// SPDX-License-Identifier: MIT
import { addSplitTotals, chunkTotals, lloydChunkRows, runStepJob } from '../lloydStep/wasm.js';
import type { LloydSessionOptions } from '../lloydStep/options.js';
import { lloydOptions } from '../lloydStep/options.js';
import { allocRegions, copyFlat, copyRowGroups, paddedStride, wasmKernels, writeSplat } from '../wasm/kernelModule.js';
import { runChunks } from '../wasm/threads.js';
import type { LloydAssignment, LloydSession, LloydSessionBlock, LloydSessionStep } from './sessionTypes.js';

/** Job kind of asm/parallel.ts. */
const LLOYD_BOUNDED = 7;
/** i32 words of a lloydBounded job: the kind and sixteen arguments (asm/lloydStep.ts, lloydBoundedChunk). */
const BOUNDED_JOB_WORDS = 17;
/** Bytes of the header of a lloydBounded info block (asm/lloydStep.ts, INFO_HEADER). */
const INFO_HEADER = 32;

/** What a wasm session holds for one block, all in our module's memory and freed by dispose. */
interface BlockState {
  start: number;
  t: number;
  /** The rows as groups of four ('rowGroups4'). */
  xPtr: number;
  /** The weights, or 0. */
  wPtr: number;
  /** Per row: labels [4·G] i32, then upper [4·G] f32, then lower [4·G] f32 (asm/lloydStep.ts, lloydBounded); 0 without bounds. */
  boundsPtr: number;
  /** The centers the bounds hold for, or null when they hold nothing yet. */
  centers: Float32Array | null;
  /** The share of groups the last step scanned in full (1 before any). */
  scanned: number;
}

/**
 * A Lloyd session on the 'wasm' backend (see openLloydSession): each block's rows and weights
 * copied into our module's memory once, at open (from the host rows when given, else read back
 * from the device), and with `bounds`, Hamerly's bounds per row, 12 bytes per row:
 *
 * Between steps each row keeps its label, an upper bound on its distance to that center and a
 * lower bound on its distance to every other (see asm/lloydStep.ts, lloydBounded). A step first
 * measures, in float64 on the host, how far each center moved since the previous step (rounded
 * up to float32) and half of each center's distance to the nearest other (rounded down), then the
 * kernel moves each row's bounds by those shifts and keeps the row's label when the upper bound
 * times `rho` is below the larger of the lower bound and that half distance. rho covers the
 * float32 error of the distances lloydStepWasm compares (relative (dp + 4)·2^-24 for squared
 * distances, dp = d rounded up to 4; rho = 1 + 4·that + 2^-20), so a kept row is one whose label
 * lloydStepWasm's own argmin would give, strictly: exact ties and near ties are always scanned.
 * The bounds are valid for any new centers (the triangle inequality), so a step may follow any
 * other; the first step scans every row.
 *
 * On Lloyd's iterations this skips most rows once the centers move little: at n = 10^6, d = 16,
 * k = 8 (the bench data), 5% of the groups of four rows are scanned by iteration 12. The counts
 * and sums are still added over every row (the same order as lloydStepWasm), so the cost per row
 * of a skipped row is that addition, about a third of a full scan at d = 16, k = 8.
 */
export function openLloydSessionWasm(blocks: LloydSessionBlock[], k: number, d: number, options: LloydSessionOptions = {}): LloydSession {
  const o = lloydOptions(options);
  const mod = wasmKernels();
  const states: BlockState[] = [];
  // Idempotent: the states are emptied as they are freed (openLloydSession's wrapper also refuses calls after it).
  const dispose = (): void => {
    for (const s of states) for (const ptr of [s.xPtr, s.wPtr, s.boundsPtr]) if (ptr !== 0) mod.free(ptr);
    states.length = 0;
  };
  try {
    for (const b of blocks) {
      const t = b.x.shape[0];
      const rows = b.hostRows ?? (b.x.dataSync() as Float32Array);
      const state: BlockState = { start: b.start, t, xPtr: 0, wPtr: 0, boundsPtr: 0, centers: null, scanned: 1 };
      states.push(state);
      state.xPtr = copyRowGroups(rows, t, d);
      if (b.weights !== null) state.wPtr = copyFlat(b.hostWeights ?? (b.weights.dataSync() as Float32Array));
      if (o.bounds) state.boundsPtr = mod.alloc(Math.max(16, 3 * Math.ceil(t / 4) * 4 * 4));
    }
  } catch (err) {
    dispose();
    throw err;
  }
  const dp = paddedStride(d);
  return {
    k,
    async step(centers: Float32Array): Promise<LloydSessionStep> {
      const counts = new Float64Array(k);
      const sums = new Float64Array(k * d);
      let groups = 0;
      let scanned = 0;
      let tightened = 0;
      for (const s of states) {
        const g = Math.ceil(s.t / 4);
        groups += g;
        if (s.boundsPtr === 0) {
          const { counts64, sums64 } = runStepJob(s.xPtr, s.t, d, centers, k, s.wPtr, o.chunking, null);
          addSplitTotals(counts64, sums64, k, d, dp, counts, sums);
          scanned += g;
        } else {
          const r = boundedStep(s, centers, k, d, o.chunking, o.tighten);
          addSplitTotals(r.counts64, r.sums64, k, d, dp, counts, sums);
          scanned += r.scanned;
          tightened += r.tightened;
        }
      }
      return { counts, sums, groups, scanned, tightened };
    },
    async assign(centers: Float32Array, n: number): Promise<LloydAssignment> {
      const labels = new Int32Array(n);
      const distances = new Float32Array(n);
      for (const s of states) {
        runStepJob(s.xPtr, s.t, d, centers, k, s.wPtr, o.chunking, (l, dist) => {
          labels.set(l, s.start);
          distances.set(dist, s.start);
        });
      }
      return { labels, distances };
    },
    dispose,
  };
}

/** One bounded step on a block (see openLloydSessionWasm and asm/lloydStep.ts, lloydBounded). */
function boundedStep(
  s: BlockState,
  c: Float32Array,
  k: number,
  d: number,
  chunking: LloydSessionOptions['chunking'],
  tighten: boolean,
): { counts64: Float64Array; sums64: Float64Array; scanned: number; tightened: number } {
  const t = s.t;
  const dp = paddedStride(d);
  const mod = wasmKernels();
  const prev = s.centers;
  const info = boundsInfo(c, prev, k, d, dp);
  const chunkRows = lloydChunkRows(t, k, dp, chunking);
  const chunks = Math.max(1, Math.ceil(t / chunkRows));
  const [scratch, cPtr, infoPtr, countPtr, sumPtr, statPtr, jobPtr] = allocRegions(mod, [k * dp * 16, info.length * 4, chunks * k * 8, chunks * k * dp * 8, chunks * 8, BOUNDED_JOB_WORDS * 4]);
  const slot = Math.ceil(t / 4) * 4 * 4;
  try {
    writeSplat(cPtr, c, k, d, dp);
    new Float32Array(mod.memory.buffer, infoPtr, info.length).set(info);
    const init = prev === null ? 1 : 0;
    const p = s.boundsPtr;
    const job = [LLOYD_BOUNDED, s.xPtr, t, dp, cPtr, k, s.wPtr, p, p + slot, p + 2 * slot, infoPtr, countPtr, sumPtr, chunkRows, init, tighten && s.scanned < 0.5 ? 1 : 0, statPtr];
    new Int32Array(mod.memory.buffer, jobPtr, BOUNDED_JOB_WORDS).set(job);
    // Rows are rewritten chunk by chunk: until every chunk is done the bounds hold for no
    // centers (a step that fails half way leaves them empty, and the next step scans all).
    s.centers = null;
    runChunks(mod, jobPtr, chunks, 'lloydSums');
    s.centers = c.slice();

    const buf = mod.memory.buffer;
    const counts64 = chunkTotals(new Float64Array(buf, countPtr, chunks * k), chunks);
    const sums64 = chunkTotals(new Float64Array(buf, sumPtr, chunks * k * dp), chunks);
    const st = new Int32Array(buf, statPtr, 2 * chunks);
    let scanned = 0;
    let tightened = 0;
    for (let ch = 0; ch < chunks; ch++) {
      scanned += st[2 * ch];
      tightened += st[2 * ch + 1];
    }
    s.scanned = scanned / Math.ceil(t / 4);
    return { counts64, sums64, scanned, tightened };
  } finally {
    mod.free(scratch);
  }
}

/** Rounds a float64 up (`dir` 1) or down (−1) to a float32. */
function round32(v: number, dir: 1 | -1): number {
  const f = Math.fround(v);
  if (f === v || !Number.isFinite(f)) return f;
  if ((f - v) * dir > 0) return f;
  if (f === 0) return dir * 2 ** -149; // v is a tiny number of the sign of dir: the smallest subnormal
  const bits = new Float32Array([f]);
  const u = new Int32Array(bits.buffer);
  u[0] += (f > 0) === (dir > 0) ? 1 : -1;
  return bits[0];
}

/**
 * The info block of a lloydBounded call (asm/lloydStep.ts): the header of factors, then per
 * center a: how far it moved from `prev` (up), the farthest any other center moved (up), half
 * its distance to the nearest other center (down), 0. Float64 on the host.
 */
function boundsInfo(c: Float32Array, prev: Float32Array | null, k: number, d: number, dp: number): Float32Array {
  const info = new Float32Array(INFO_HEADER / 4 + 4 * k);
  const eps = (dp + 4) * 2 ** -24;
  info.set([round32(1 + 4 * eps + 2 ** -20, 1), round32(1 + 2 * eps + 2 ** -20, 1), round32(1 - 2 * eps - 2 ** -20, -1), round32(1 + 2 ** -22, 1), round32(1 - 2 ** -22, -1)]);
  const shift = new Float64Array(k);
  if (prev !== null) {
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += (c[a * d + f] - prev[a * d + f]) ** 2;
      shift[a] = Math.sqrt(s);
    }
  }
  let first = -1;
  let second = -1;
  for (let a = 0; a < k; a++) {
    if (first < 0 || shift[a] > shift[first]) [first, second] = [a, first];
    else if (second < 0 || shift[a] > shift[second]) second = a;
  }
  const o = INFO_HEADER / 4;
  for (let a = 0; a < k; a++) {
    let nearest = Number.POSITIVE_INFINITY;
    for (let b = 0; b < k; b++) {
      if (b === a) continue;
      let s = 0;
      for (let f = 0; f < d; f++) s += (c[a * d + f] - c[b * d + f]) ** 2;
      nearest = Math.min(nearest, s);
    }
    const other = a === first ? second : first;
    // Float64 sums of squares of float32 differences: relative error ~d·2^-53, far below the
    // margins of the rounding below (one float32 ulp); the factor 1 ± 2^-40 covers it.
    info[o + 4 * a] = round32(shift[a] * (1 + 2 ** -40), 1);
    info[o + 4 * a + 1] = other < 0 ? 0 : round32(shift[other] * (1 + 2 ** -40), 1);
    info[o + 4 * a + 2] = round32((Math.sqrt(nearest) / 2) * (1 - 2 ** -40), -1);
  }
  return info;
}
