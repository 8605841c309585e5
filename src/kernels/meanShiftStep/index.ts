// SPDX-License-Identifier: MIT
/** The `meanShiftStep` kernel: name, portable form (portable.ts) and the backends with an implementation of their own, loaded when a backend starts. */
import type * as tf from '@tensorflow/tfjs-core';
import { defineKernel } from '../shared/registry.js';
import { checkStepInputs } from './check.js';
import { meanShiftStepPortable, type MeanShiftKernel, type MeanShiftStepResult, type WeightedBlock } from './portable.js';

export * from './portable.js';

/** See `meanShiftStepPortable` (portable.ts) for what it computes. */
export const meanShiftStep = defineKernel('meanShiftStep', meanShiftStepPortable, {
  wasm: () => import('./wasm.js').then((m) => ({ impl: m.meanShiftStepWasm })),
  webgpu: () => import('./webgpu.js').then((m) => ({ impl: m.meanShiftStepWebgpu, checks: m.meanShiftStepChecks })),
}, checkStepInputs);

/**
 * meanShiftStep on our wasm module whatever the backend (as it runs on 'wasm'), for steps that are
 * cheaper on the host than on a device with a fixed cost per call (mean shift on small data on a
 * GPU: algorithms/hostPasses.ts). It reads the blocks' host rows (uploadRows keeps them) and the
 * weights' and seeds' values, and makes its results with tf.tensor: on a GPU backend nothing is
 * dispatched or read back. The same bits as on 'wasm'.
 */
export async function meanShiftStepOnHost(): Promise<(seeds: tf.Tensor2D, blocks: readonly WeightedBlock[], bandwidth: number, kernel: MeanShiftKernel) => MeanShiftStepResult> {
  const { meanShiftStepWasm } = await import('./wasm.js');
  return (seeds, blocks, bandwidth, kernel) => {
    checkStepInputs(seeds, blocks, bandwidth, kernel);
    return meanShiftStepWasm(seeds, blocks, bandwidth, kernel);
  };
}
