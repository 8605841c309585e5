// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { PAIR_BITS } from '../radiusPairs/portable.js';
import { beginCall, cachedData, paddedStride, wasmKernels } from '../wasm/kernelModule.js';
import { checkRadiusArgs, columnNorms, radiusSquared, up16 } from '../radiusCounts/wasm.js';
import { RADIUS_DEFAULTS, type RadiusWasmOptions } from '../radiusCounts/options.js';
import { chunkRows } from '../wasm/rowChunking.js';
import { runChunks } from '../wasm/threads.js';

/** Job kind of asm/parallel.ts. */
const RADIUS_PAIRS = 5;
/** i32 words of a radiusPairs job: the kind and ten arguments (see asm/radius.ts, radiusPairsChunk). */
const JOB_WORDS = 11;

/**
 * `radiusPairs` for the tfjs 'wasm' backend, in our own WebAssembly SIMD (asm/radius.ts): which
 * pairs of rows `rows` [b, d] and columns `cols` [t, d] lie within `radius`, packed as the
 * portable kernel packs them: [b, ⌈t / PAIR_BITS⌉] int32, bit k of word w of row i set iff column
 * w·PAIR_BITS + k is within. Four columns per SIMD vector give four bits at once (i32x4.bitmask);
 * PAIR_BITS = 24 is a multiple of 4, so a vector never straddles two words. O(b·t·d) work.
 *
 * The within rule is radiusCountsWasm's, the portable float32 rule operation for operation (see
 * there for where another backend can differ: only for pairs within float32 rounding of the
 * radius). Rows run in chunks (`options.chunking`, see radiusCounts/options.ts) on the worker
 * threads, each writing only its rows' words, so any thread count and any chunking give the same
 * words.
 */
export function radiusPairsWasm(rows: tf.Tensor2D, cols: tf.Tensor2D, radius: number, options: RadiusWasmOptions = {}): tf.Tensor2D {
  checkRadiusArgs('radiusPairs', rows, [cols], radius);
  const [b, d] = rows.shape;
  const t = cols.shape[0];
  const words = Math.ceil(t / PAIR_BITS);
  if (b === 0 || t === 0) return tf.zeros([b, words], 'int32');
  const dp = paddedStride(d);
  const mod = wasmKernels();
  beginCall();
  const rowPtr = cachedData(rows, 'rowGroups4');
  const colPtr = cachedData(cols, 'rowGroups4');
  const rowGroups = Math.ceil(b / 4);
  const b4 = rowGroups * 4;
  const colGroups = Math.ceil(t / 4);
  const termBytes = up16(rowGroups * 16);
  const normBytes = up16(colGroups * 16);
  const outBytes = up16(b4 * words * 4);
  const scratch = mod.alloc(termBytes + normBytes + outBytes + up16(JOB_WORDS * 4));
  try {
    const termPtr = scratch;
    const normPtr = termPtr + termBytes;
    const outPtr = normPtr + normBytes;
    const jobPtr = outPtr + outBytes;
    mod.radiusRowTerms(rowPtr, rowGroups, dp, radiusSquared(radius), termPtr);
    columnNorms(mod, colPtr, t, dp, normPtr);
    const rowsPer = chunkRows(options.chunking ?? RADIUS_DEFAULTS.chunking, t, dp);
    new Int32Array(mod.memory.buffer, jobPtr, JOB_WORDS).set([RADIUS_PAIRS, rowPtr, termPtr, b4, dp, colPtr, normPtr, colGroups, outPtr, words, rowsPer]);
    runChunks(mod, jobPtr, Math.ceil(b4 / rowsPer), 'radiusPairs');
    return tf.tensor2d(new Int32Array(mod.memory.buffer, outPtr, b * words).slice(), [b, words], 'int32');
  } finally {
    mod.free(scratch);
  }
}
