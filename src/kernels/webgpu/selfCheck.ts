// SPDX-License-Identifier: MIT
/**
 * A known-answer check of every WGSL program, run once when the kernels are registered. Under
 * tfjs 4.22 a WGSL program that does not compile throws nothing: Dawn prints a validation error
 * and the output reads as zeros. Here each program variant runs on a tiny input inside a Dawn
 * validation error scope and is compared with the portable kernel on the same input, so a broken
 * shader stops registration with a clear error (Dawn's message, or the wrong value) instead.
 * The pipelines compiled here are the ones tfjs caches for later calls.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../../errors.js';
import { assignNearest } from '../assignNearest.js';
import { lloydStep } from '../lloydStep.js';
import { meanShiftStep } from '../meanShiftStep.js';
import { radiusCounts } from '../radiusCounts.js';
import { radiusPairs } from '../radiusPairs.js';
import { silhouetteTile } from '../silhouetteTile.js';
import { assignNearestWebgpu } from './assignNearest.js';
import { lloydStepWebgpu } from './lloydStep.js';
import { meanShiftStepWebgpu } from './meanShiftStep.js';
import { radiusCountsWebgpu } from './radiusCounts.js';
import { radiusPairsWebgpu } from './radiusPairs.js';
import { webgpuBackend, webgpuFallbacks } from './run.js';
import { silhouetteTileWebgpu } from './silhouetteTile.js';

/** One program variant to check: what it computes with WGSL and with the portable kernel. */
export interface ProgramCheck {
  name: string;
  /** The WGSL kernel's outputs on the check's input. */
  wgsl: () => tf.Tensor[];
  /** The portable kernel's outputs on the same input. */
  portable: () => tf.Tensor[];
}

/** Relative tolerance of a value against the portable kernel's (square roots and exp round differently). */
const TOLERANCE = 1e-5;

/**
 * Runs `check` inside a validation error scope of the current WebGPU device and compares its
 * outputs with the portable kernel's. Rejects with a BackendUnavailableError naming the program
 * and giving Dawn's message when a program fails validation (a WGSL compile error), or the first
 * wrong value when it runs but computes something else.
 */
export async function runProgramCheck(check: ProgramCheck): Promise<void> {
  const device = webgpuBackend('runProgramCheck').device;
  const lastFallback = webgpuFallbacks().at(-1);
  device.pushErrorScope('validation');
  let got: tf.Tensor[] = [];
  let want: tf.Tensor[] = [];
  let values: { got: ArrayLike<number>[]; want: ArrayLike<number>[] } | null = null;
  let failure: unknown = null;
  try {
    got = check.wgsl();
    want = check.portable();
    values = {
      got: await Promise.all(got.map((t) => t.data() as Promise<ArrayLike<number>>)),
      want: await Promise.all(want.map((t) => t.data() as Promise<ArrayLike<number>>)),
    };
  } catch (err) {
    failure = err;
  }
  tf.dispose([...got, ...want]);
  // The validation error, when there is one, explains any other failure.
  const error = await device.popErrorScope();
  if (error !== null) throw new BackendUnavailableError('webgpu', `the WGSL program of ${check.name} failed WebGPU validation: ${error.message}`);
  if (failure !== null || values === null) throw failure;
  if (webgpuFallbacks().at(-1) !== lastFallback) {
    throw new BackendUnavailableError('webgpu', `${check.name} ran the portable kernel instead of its WGSL program: ${webgpuFallbacks().at(-1)?.reason}`);
  }
  const checked = values;
  checked.want.forEach((want, o) => {
    const got = checked.got[o];
    if (got.length !== want.length) {
      throw new BackendUnavailableError('webgpu', `the WGSL program of ${check.name} gave ${got.length} values in output ${o}, the portable kernel ${want.length}`);
    }
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= TOLERANCE * (1 + Math.abs(want[i])))) {
        throw new BackendUnavailableError('webgpu', `the WGSL program of ${check.name} gave ${got[i]} at index ${i} of output ${o}, where the portable kernel gives ${want[i]}`);
      }
    }
  });
}

/** A [rows, cols] float32 tensor of small integers, from a seed: exact in every sum below. */
function lattice(rows: number, cols: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, (_, i) => ((i * 7 + seed * 3) % 5) - 2), [rows, cols], 'float32');
}

/** Every WGSL program variant in src/kernels/webgpu, each on a tiny input whose answer is not zero. */
export function programChecks(): ProgramCheck[] {
  const x = (): tf.Tensor2D => lattice(19, 3, 1);
  const centers = (): tf.Tensor2D => lattice(4, 3, 2);
  const weights = (): tf.Tensor1D => tf.tensor1d(Float32Array.from({ length: 19 }, (_, i) => 1 + (i % 3)), 'float32');
  const lloyd = (r: { labels: tf.Tensor; distances: tf.Tensor; counts: tf.Tensor; sums: tf.Tensor }): tf.Tensor[] => [r.labels, r.distances, r.counts, r.sums];
  const assign = (r: { labels: tf.Tensor; distances: tf.Tensor }): tf.Tensor[] => [r.labels, r.distances];
  const labelled = (blocks: number) => {
    const labels = (n: number): tf.Tensor1D => tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % 3), 'int32');
    return Array.from({ length: blocks }, (_, b) => ({ x: lattice(7 + b, 3, 3 + b), labels: labels(7 + b) }));
  };
  const checks: ProgramCheck[] = [
    ...[null, 'weights'].map((w) => ({
      name: `lloydStep (${w ?? 'unit weights'})`,
      wgsl: () => tf.tidy(() => lloyd(lloydStepWebgpu(x(), centers(), w ? weights() : null))),
      portable: () => tf.tidy(() => lloyd(lloydStep.portable(x(), centers(), w ? weights() : null))),
    })),
    {
      name: 'assignNearest',
      wgsl: () => tf.tidy(() => assign(assignNearestWebgpu(x(), centers()))),
      portable: () => tf.tidy(() => assign(assignNearest.portable(x(), centers()))),
    },
    // One column block runs the merge that starts and ends; three run the other three variants.
    ...[1, 3].map((blocks) => ({
      name: `silhouetteTile (${blocks} column blocks)`,
      wgsl: () => tf.tidy(() => [silhouetteTileWebgpu(x(), labelled(blocks), 3)]),
      portable: () => tf.tidy(() => [silhouetteTile.portable(x(), labelled(blocks), 3)]),
    })),
    {
      name: 'radiusCounts',
      wgsl: () => tf.tidy(() => [radiusCountsWebgpu(x(), [x(), centers()], 2)]),
      portable: () => tf.tidy(() => [radiusCounts.portable(x(), [x(), centers()], 2)]),
    },
    {
      name: 'radiusPairs',
      wgsl: () => tf.tidy(() => [radiusPairsWebgpu(x(), x(), 2)]),
      portable: () => tf.tidy(() => [radiusPairs.portable(x(), x(), 2)]),
    },
  ];
  for (const kernel of ['flat', 'gaussian'] as const) {
    for (const w of [null, 'weights']) {
      const blocks = () => [{ x: x(), weights: w ? weights() : null }];
      const step = (r: { means: tf.Tensor; counts: tf.Tensor; mass: tf.Tensor }): tf.Tensor[] => [r.means, r.counts, r.mass];
      checks.push({
        name: `meanShiftStep (${kernel}, ${w ?? 'unit weights'})`,
        wgsl: () => tf.tidy(() => step(meanShiftStepWebgpu(centers(), blocks(), 2, kernel))),
        portable: () => tf.tidy(() => step(meanShiftStep.portable(centers(), blocks(), 2, kernel))),
      });
    }
  }
  return checks;
}

/** Runs every check in `programChecks`, in order; rejects at the first that fails. */
export async function checkWebgpuPrograms(): Promise<void> {
  for (const check of programChecks()) await runProgramCheck(check);
}
