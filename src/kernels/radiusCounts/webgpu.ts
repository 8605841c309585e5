// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { radiusCountsPortable } from './portable.js';
import { checkRadiusInputs, radiusWebgpuSupport, runRadiusProgram } from '../webgpu/radiusProgram.js';
import { noteFallback } from '../webgpu/run.js';
import { programCheckInputs, type ProgramCheck } from '../webgpu/selfCheck.js';

/**
 * `radiusCounts` for the tfjs 'webgpu' backend, fused in WGSL (RadiusProgram): for each row of
 * `rows` [b, d], how many rows of the column blocks `columns` (each [t, d]) lie within `radius`,
 * by the portable kernel's float32 test (‖x‖² − 2x·c + ‖c‖² − r² ≤ 0, the expansion: callers
 * center the data). Per column block, workgroups count within-radius columns in registers
 * (popcounts of 24-column words) and write partial counts per split of the block; the splits
 * are added as integers. Returns [b] float32 holding whole numbers. Nothing b×t is written.
 * O(b·Σt·d) work.
 *
 * The expansion is summed in feature order, where the portable kernel's matMul may sum in
 * another order: the two can differ only for a pair whose squared distance is within float32
 * rounding of r² (never when every term is exact, e.g. small integers and r² exact). A row
 * with NaN counts no neighbour here, where the portable count is NaN. Shapes beyond the
 * binding limit run the portable kernel, with the reason recorded (`webgpuFallbacks`).
 */
export function radiusCountsWebgpu(rows: tf.Tensor2D, columns: readonly tf.Tensor2D[], radius: number): tf.Tensor1D {
  checkRadiusInputs('radiusCounts', rows, columns, radius);
  const [b, d] = rows.shape;
  const blocks = columns.filter((c) => c.shape[0] > 0);
  if (b === 0 || blocks.length === 0) return tf.zeros([b]);
  const reason = radiusWebgpuSupport('counts', b, blocks.map((c) => c.shape[0]), d);
  if (reason !== null) {
    noteFallback('radiusCounts', reason);
    return radiusCountsPortable(rows, columns, radius);
  }
  return tf.tidy(() => {
    let total: tf.Tensor1D | null = null;
    for (const col of blocks) {
      const { out, splits } = runRadiusProgram('radiusCounts', 'counts', rows, col, radius);
      const counts = splits === 1 ? out : (tf.sum(tf.reshape(out, [splits, b]), 0) as tf.Tensor1D);
      total = total === null ? counts : (tf.add(total, counts) as tf.Tensor1D);
    }
    return tf.cast(total as tf.Tensor1D, 'float32');
  });
}

/** Known-answer check of the program (see ../webgpu/selfCheck.ts). */
export function radiusCountsChecks(): ProgramCheck[] {
  const { x, centers } = programCheckInputs;
  return [
    {
      name: 'radiusCounts',
      wgsl: () => tf.tidy(() => [radiusCountsWebgpu(x(), [x(), centers()], 2)]),
      portable: () => tf.tidy(() => [radiusCountsPortable(x(), [x(), centers()], 2)]),
    },
  ];
}
