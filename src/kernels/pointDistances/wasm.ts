// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import { beginCall, cachedData, paddedStride, wasmKernels, writeSplat } from '../wasm/kernelModule.js';
import { lloydChunkRows } from '../lloydStep/wasm.js';
import type { LloydWasmOptions } from '../lloydStep/options.js';
import { runChunks } from '../wasm/threads.js';

/** Job kind of asm/parallel.ts. */
const POINT_DISTANCES = 8;
/** i32 words of a pointDistances job: the kind and seven arguments (asm/lloydStep.ts, pointDistancesChunk). */
const JOB_WORDS = 8;

const up = (bytes: number): number => (bytes + 15) & ~15;

/**
 * `pointDistances` for the tfjs 'wasm' backend, in our WebAssembly (asm/lloydStep.ts,
 * pointDistances): for each group of four rows of the block's cached copy and each point, the
 * direct differences Σ(x − c)² in f32x4 SIMD (the distance lloydStep computes, the same bits),
 * written to [t, p]. The rows are cut into chunks as lloydStep cuts them (by shape only) and run on
 * the worker threads; each chunk writes its own rows, so any thread count gives the same bits.
 * At n = 10^6, d = 16 and four points, one call over the rows takes about 20 ms on 2 threads
 * against about 150 ms for the portable form on tfjs-wasm (its matMul runs on one thread).
 * `options.chunking`: lloydStep's (lloydStep/options.ts), the same default.
 */
export function pointDistancesWasm(x: tf.Tensor2D, points: tf.Tensor2D, options: LloydWasmOptions = {}): tf.Tensor2D {
  const [t, d] = x.shape;
  const p = points.shape[0];
  if (points.shape[1] !== d) throw new ParameterError('pointDistances', 'points', `points have ${points.shape[1]} columns, x has ${d}`);
  if (x.dtype !== 'float32') throw new ParameterError('pointDistances', 'x', `x must be float32, got ${x.dtype}`);
  if (t === 0 || p === 0) return tf.zeros([t, p], 'float32');
  const dp = paddedStride(d);
  const mod = wasmKernels();
  beginCall();
  const xPtr = cachedData(x, 'rowGroups4');
  const chunkRows = lloydChunkRows(t, p, dp, options.chunking);
  const chunks = Math.ceil(t / chunkRows);
  const cBytes = up(p * dp * 16);
  const outBytes = up(t * p * 4);
  const scratch = mod.alloc(cBytes + outBytes + up(JOB_WORDS * 4));
  const outPtr = scratch + cBytes;
  const jobPtr = outPtr + outBytes;
  try {
    writeSplat(scratch, points.dataSync() as Float32Array, p, d, dp);
    new Int32Array(mod.memory.buffer, jobPtr, JOB_WORDS).set([POINT_DISTANCES, xPtr, t, dp, scratch, p, outPtr, chunkRows]);
    runChunks(mod, jobPtr, chunks, 'pointDistances');
    // The wasm backend copies a new tensor's values into its own heap at once; another backend
    // may keep the array, so it gets a copy (our memory is reused by the next call).
    const view = new Float32Array(mod.memory.buffer, outPtr, t * p);
    return tf.tensor2d(tf.getBackend() === 'wasm' ? view : view.slice(), [t, p], 'float32');
  } finally {
    mod.free(scratch);
  }
}
