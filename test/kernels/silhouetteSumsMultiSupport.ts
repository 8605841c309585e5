// SPDX-License-Identifier: MIT
/** Helpers of the silhouetteSumsMulti specs (every backend, and the wasm kernel's own). */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { NOISE } from '../../src/kernels/pairwiseSqDist/index.js';
import type { MultiLabeledBlock } from '../../src/kernels/silhouetteSumsMulti/index.js';
import type { Matrix } from '../../src/matrix.js';
import { silhouetteSumsMultiRef, sqDistRef } from '../helpers/reference.js';
import { U32, centeredSqNorms, distBound, readFloat32, sqDistBound, sqNorms, upload } from './support.js';

/** The labelings side by side, [n, S] row-major, as the kernel takes them. */
export function interleave(labelings: readonly Int32Array[]): Int32Array {
  const n = labelings[0]?.length ?? 0;
  const out = new Int32Array(n * labelings.length);
  labelings.forEach((l, s) => l.forEach((c, i) => (out[i * labelings.length + s] = c)));
  return out;
}

/** Uploads `x` in blocks of `blockRows` rows with the labelings as [t, S] int32 per block, runs `impl`, disposes everything; checks no tensor leaks. */
export async function runMulti(
  impl: (blocks: readonly MultiLabeledBlock[], ks: readonly number[]) => tf.Tensor2D,
  x: Matrix,
  labelings: readonly Int32Array[],
  ks: readonly number[],
  blockRows?: number,
): Promise<Float32Array> {
  const before = tf.memory().numTensors;
  const up = upload(x, { floatsPerRow: 3 * (blockRows ?? x.rows) + ks.reduce((a, b) => a + b, 0), rowsPerBlock: blockRows });
  const all = interleave(labelings);
  const S = ks.length;
  const labels = up.blocks.map((b) => tf.tensor2d(all.subarray(b.start * S, (b.start + b.x.shape[0]) * S), [b.x.shape[0], S], 'int32'));
  try {
    const out = impl(
      up.blocks.map((b, i) => ({ x: b.x, labels: labels[i] })),
      ks,
    );
    return await readFloat32(out, [x.rows, ks.reduce((a, b) => a + b, 0)]);
  } finally {
    up.dispose();
    tf.dispose(labels);
    expect(tf.memory().numTensors, 'no tensor leaks').toBe(before);
  }
}

/**
 * Per-entry bound on |kernel − Float64 reference|: each term's squared distance off by at most the
 * float32 expansion's bound (d + 2 terms: the wasm form centers the rows first) or the NOISE clamp,
 * with the larger of the raw and the centered norms; plus `sumUnits` units of float32 rounding of
 * the summed distances (n + 2 for the portable form's float32 matMul; the wasm form sums in f64).
 */
export function multiBounds(x: Matrix, labelings: readonly Int32Array[], ks: readonly number[], sumUnits = x.rows + 2): { ref: Float64Array; slack: (i: number) => number } {
  const ref = silhouetteSumsMultiRef(x, labelings, ks).data as Float64Array;
  const { rows: n, cols: d } = x;
  const cen = centeredSqNorms(x);
  const nn = sqNorms(x).map((v, i) => Math.max(v, cen[i]));
  const width = ks.reduce((a, b) => a + b, 0);
  const offsets = ks.map((_, s) => ks.slice(0, s).reduce((a, b) => a + b, 0));
  const term = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const e = distBound(sqDistRef(x, i, x, j), Math.max(sqDistBound(d + 2, nn[i], nn[j]), NOISE * (1 + 1e-5) * (nn[i] + nn[j])));
      labelings.forEach((l, s) => (term[i * width + offsets[s] + l[j]] += e));
    }
  }
  return { ref, slack: (i) => term[i] + sumUnits * U32 * ref[i] };
}
