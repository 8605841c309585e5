// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { PAIR_BITS, radiusPairsPortable } from './portable.js';
import { checkRadiusInputs, radiusWebgpuSupport, runRadiusProgram } from '../webgpu/radiusProgram.js';
import { noteFallback } from '../webgpu/run.js';
import { programCheckInputs, type ProgramCheck } from '../webgpu/selfCheck.js';

/**
 * `radiusPairs` for the tfjs 'webgpu' backend, fused in WGSL (RadiusProgram): for rows `rows`
 * [b, d] and columns `cols` [t, d], returns [b, ⌈t / PAIR_BITS⌉] int32 where bit k of word w of
 * row i is set iff rows_i is within `radius` of cols_{w·PAIR_BITS + k}, by the portable
 * kernel's float32 test (see radiusCountsWebgpu for where the two can differ), packed as the
 * portable kernel packs them (decode with `forEachPair`). Each thread builds its row's words in
 * a register: no b×t mask exists anywhere. O(b·t·d) work.
 *
 * Shapes beyond the binding limit run the portable kernel, with the reason recorded.
 */
export function radiusPairsWebgpu(rows: tf.Tensor2D, cols: tf.Tensor2D, radius: number): tf.Tensor2D {
  checkRadiusInputs('radiusPairs', rows, [cols], radius);
  const [b, d] = rows.shape;
  const t = cols.shape[0];
  const words = Math.ceil(t / PAIR_BITS);
  if (b === 0 || t === 0) return tf.zeros([b, words], 'int32');
  const reason = radiusWebgpuSupport('pairs', b, [t], d);
  if (reason !== null) {
    noteFallback('radiusPairs', reason);
    return radiusPairsPortable(rows, cols, radius);
  }
  return tf.tidy(() => tf.reshape(runRadiusProgram('radiusPairs', 'pairs', rows, cols, radius).out, [b, words]) as tf.Tensor2D);
}

/** Known-answer check of the program (see ../webgpu/selfCheck.ts). */
export function radiusPairsChecks(): ProgramCheck[] {
  const { x } = programCheckInputs;
  return [
    {
      name: 'radiusPairs',
      wgsl: () => tf.tidy(() => [radiusPairsWebgpu(x(), x(), 2)]),
      portable: () => tf.tidy(() => [radiusPairsPortable(x(), x(), 2)]),
    },
  ];
}
