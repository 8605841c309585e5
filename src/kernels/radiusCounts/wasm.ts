// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import { beginCall, cachedData, paddedStride, wasmKernels, type KernelExports } from '../wasm/kernelModule.js';
import { chunkRows } from '../wasm/rowChunking.js';
import { runChunks } from '../wasm/threads.js';
import { RADIUS_DEFAULTS, type RadiusWasmOptions } from './options.js';

const ALIGN = 16;
/** Rounds a byte count up to whole 16-byte vectors. */
export const up16 = (bytes: number): number => (bytes + ALIGN - 1) & ~(ALIGN - 1);

/** Job kind of asm/parallel.ts. */
const RADIUS_COUNTS = 4;
/** i32 words of a radiusCounts job: the kind and eight arguments (see asm/radius.ts, radiusCountsChunk). */
const JOB_WORDS = 9;
/** The within-radius rule's squared radius: the portable kernel subtracts it as a float32 scalar. */
export function radiusSquared(radius: number): number {
  return Math.fround(radius * radius);
}

/**
 * Writes the squared norms of the column groups at `cols` ([G, dp, 4], t real columns) into
 * `norms` [G, 4], summed in feature order, with +Inf in the padding lanes (never within a radius).
 */
export function columnNorms(mod: KernelExports, cols: number, t: number, dp: number, norms: number): void {
  const groups = Math.ceil(t / 4);
  mod.groupNormsSeq(cols, groups, dp, norms);
  new Float32Array(mod.memory.buffer, norms, groups * 4).fill(Number.POSITIVE_INFINITY, t);
}

/** Checks a radius kernel's arguments; `what` names the kernel. */
export function checkRadiusArgs(what: string, rows: tf.Tensor2D, columns: readonly tf.Tensor2D[], radius: number): void {
  if (!(radius >= 0 && Number.isFinite(radius))) throw new ParameterError(what, 'radius', `radius=${radius} must be finite and >= 0`);
  if (rows.dtype !== 'float32') throw new ParameterError(what, 'rows', `rows must be float32, got ${rows.dtype}`);
  for (const c of columns) {
    if (c.shape[1] !== rows.shape[1]) throw new ParameterError(what, 'cols', `a column block has ${c.shape[1]} columns, rows have ${rows.shape[1]}`);
    if (c.dtype !== 'float32') throw new ParameterError(what, 'cols', `column blocks must be float32, got ${c.dtype}`);
  }
}

/**
 * `radiusCounts` for the tfjs 'wasm' backend, in our own WebAssembly SIMD (asm/radius.ts): for
 * each row of `rows` [b, d], how many rows of the column blocks lie within `radius`. Returns [b]
 * float32 (whole numbers). O(b·Σt·d) work, nothing b×t written.
 *
 * The decision is the portable kernel's float32 rule, operation for operation: with x·c and the
 * squared norms summed in feature order (as tfjs-wasm's matMul and Sum do), a pair is within the
 * radius iff v = (−2·x·c + fl(‖x‖² − fl(r²))) + ‖c‖² ≤ 0. Where another backend's matMul or sum
 * adds in another order, the decision can differ only for pairs whose v is within float32
 * rounding of 0 (|‖x − c‖² − r²| ≲ (d + 2)·u·(‖x‖² + ‖c‖² + r²)); points exactly at the radius
 * whose products and sums are exact (small integers) are within on every backend.
 *
 * Blocks are copied into our memory (four rows per group, lane = row) on first use and reused
 * while the tensors live; rows are cut into chunks (`options.chunking`, see options.ts) run on the
 * worker threads, each writing only its rows' counts, so any thread count and any chunking give
 * the same counts.
 */
export function radiusCountsWasm(rows: tf.Tensor2D, columns: readonly tf.Tensor2D[], radius: number, options: RadiusWasmOptions = {}): tf.Tensor1D {
  checkRadiusArgs('radiusCounts', rows, columns, radius);
  const [b, d] = rows.shape;
  if (b === 0) return tf.zeros([0]);
  const dp = paddedStride(d);
  const mod = wasmKernels();
  beginCall();
  const rowPtr = cachedData(rows, 'rowGroups4');
  const colPtrs = columns.map((c) => cachedData(c, 'rowGroups4'));
  const rowGroups = Math.ceil(b / 4);
  const b4 = rowGroups * 4;
  const colGroups = columns.map((c) => Math.ceil(c.shape[0] / 4));
  const termBytes = up16(rowGroups * 16);
  const normBytes = colGroups.map((g) => up16(g * 16));
  const tableBytes = up16(columns.length * 12);
  const outBytes = up16(b4 * 4);
  const scratch = mod.alloc(Math.max(16, termBytes + normBytes.reduce((s, v) => s + v, 0) + tableBytes + outBytes + up16(JOB_WORDS * 4)));
  try {
    const termPtr = scratch;
    let at = termPtr + termBytes;
    const normPtrs = normBytes.map((bytes) => ((at += bytes), at - bytes));
    const tablePtr = at;
    const outPtr = tablePtr + tableBytes;
    const jobPtr = outPtr + outBytes;
    mod.radiusRowTerms(rowPtr, rowGroups, dp, radiusSquared(radius), termPtr);
    columns.forEach((c, e) => columnNorms(mod, colPtrs[e], c.shape[0], dp, normPtrs[e]));
    const buf = mod.memory.buffer;
    new Int32Array(buf, tablePtr, columns.length * 3).set(columns.flatMap((_, e) => [colPtrs[e], normPtrs[e], colGroups[e]]));
    const total = columns.reduce((s, c) => s + c.shape[0], 0);
    const rowsPer = chunkRows(options.chunking ?? RADIUS_DEFAULTS.chunking, total, dp);
    new Int32Array(buf, jobPtr, JOB_WORDS).set([RADIUS_COUNTS, rowPtr, termPtr, b4, dp, tablePtr, columns.length, outPtr, rowsPer]);
    runChunks(mod, jobPtr, Math.ceil(b4 / rowsPer), 'radiusCounts');
    return tf.tensor1d(new Float32Array(mod.memory.buffer, outPtr, b).slice(), 'float32');
  } finally {
    mod.free(scratch);
  }
}
