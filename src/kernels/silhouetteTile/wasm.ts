// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import type { LabeledBlock } from '../silhouetteTile/portable.js';
import { beginCall, cachedLabeledData, paddedStride, wasmKernels, writeSplat, type LabeledCopy } from '../wasm/kernelModule.js';
import { chunkRows as rowsPerChunk } from '../wasm/rowChunking.js';
import { runChunks } from '../wasm/threads.js';
import { SILHOUETTE_TILE_DEFAULTS, type SilhouetteTileWasmOptions } from './options.js';

const ALIGN = 16;
const up = (bytes: number): number => (bytes + ALIGN - 1) & ~(ALIGN - 1);

/** Job kind of asm/parallel.ts. */
const SILHOUETTE_TILE = 2;
/** i32 words of a silhouetteTile job: the kind and nine arguments (see asm/silhouetteTile.ts, silhouetteChunk). */
const JOB_WORDS = 10;
/**
 * `silhouetteTile` for the tfjs 'wasm' backend, fused in our own WebAssembly
 * (asm/silhouetteTile.ts): for the rows `rows` [b, d] and the column blocks `columns`, out[i, c]
 * = Σ_{j : labels[j] = c} ‖rows_i − x_j‖, with distances, square roots and per-cluster sums in
 * f32x4 registers, four columns per vector; nothing b×t is written. Returns [b, k] float32.
 * O(b·n·d) work, O(b·(d + k)) memory besides the cached blocks.
 *
 * Each column block is copied into our module's memory on first use, sorted by label into
 * groups of four columns (see kernelModule.ts, 'labelGroups4'), and reused for every later row
 * block while the block and its labels live: sorted, a run of groups belongs to one cluster, so
 * its distances add lane-wise into one vector, with no scatter by label per column.
 *
 * Squared distances are ‖x‖² + ‖y‖² − 2x·y in float32 and, as pairwiseSqDist, 0 below
 * NOISE·(‖x‖² + ‖y‖²); the norms are computed with the very operations of the dot product, so a
 * row's distance to itself or to a duplicate is exactly 0 at any d. Square roots are added in
 * float32 over runs of at most 256 columns of one cluster, the runs in float64, so the sums
 * hold their digits at n = 200,000 (the result is rounded to float32 once).
 *
 * Threads (threads.ts): the rows are cut into chunks (`options.chunking`, see options.ts); a
 * chunk's rows meet every column block in order on whichever thread claims it, so each output is
 * the same bits on 1 or N threads and under any chunking (nothing is reduced across chunks).
 */
export function silhouetteTileWasm(rows: tf.Tensor2D, columns: readonly LabeledBlock[], k: number, options: SilhouetteTileWasmOptions = {}): tf.Tensor2D {
  const [b, d] = rows.shape;
  const dp = paddedStride(d);
  const mod = wasmKernels();
  beginCall();
  // Every copy first: an allocation may grow (and detach) the memory, so views come after.
  const copies: LabeledCopy[] = columns.map((col) => cachedLabeledData(col.x, col.labels, k));

  // Scratch: rows [b4, dp, 4] (each value splat over four lanes), row norms [b4, 4], out [b4, k]
  // f64, with b4 = b rounded up to whole fours (the kernel takes four rows at a time; the zero
  // rows it adds cost at most three rows' work and are not read back), the column copies'
  // pointers [copies, 3] i32 and the job's words.
  const b4 = (b + 3) & ~3;
  const rowBytes = up(b4 * dp * 16);
  const normBytes = up(b4 * 16);
  const outBytes = up(b4 * k * 8);
  const tableBytes = up(copies.length * 12);
  const scratch = mod.alloc(Math.max(16, rowBytes + normBytes + outBytes + tableBytes + up(JOB_WORDS * 4)));
  const rowPtr = scratch;
  const normPtr = rowPtr + rowBytes;
  const outPtr = normPtr + normBytes;
  const tablePtr = outPtr + outBytes;
  const jobPtr = tablePtr + tableBytes;
  try {
    writeSplat(rowPtr, rows.dataSync() as Float32Array, b, d, dp, b4);
    mod.groupNorms(rowPtr, b4, dp, normPtr);
    const buf = mod.memory.buffer;
    new Float64Array(buf, outPtr, b4 * k).fill(0);
    new Int32Array(buf, tablePtr, copies.length * 3).set(copies.flatMap((c) => [c.cols, c.norms, c.starts]));
    const columnCount = columns.reduce((sum, col) => sum + col.x.shape[0], 0);
    const chunkRows = rowsPerChunk(options.chunking ?? SILHOUETTE_TILE_DEFAULTS.chunking, columnCount, dp);
    const job = [SILHOUETTE_TILE, rowPtr, normPtr, b4, dp, tablePtr, copies.length, k, outPtr, chunkRows];
    new Int32Array(buf, jobPtr, JOB_WORDS).set(job);

    runChunks(mod, jobPtr, Math.ceil(b4 / chunkRows), 'silhouetteTile');

    return tf.tensor2d(Float32Array.from(new Float64Array(mod.memory.buffer, outPtr, b * k)), [b, k], 'float32');
  } finally {
    mod.free(scratch);
  }
}
