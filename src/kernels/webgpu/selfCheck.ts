// SPDX-License-Identifier: MIT
/**
 * A known-answer check of every WGSL program, run once when the kernels are registered (each
 * kernel's webgpu.ts lists its own checks; shared/registry.ts runs them). Under
 * tfjs 4.22 a WGSL program that does not compile throws nothing: Dawn prints a validation error
 * and the output reads as zeros. Here each program variant runs on a tiny input inside a Dawn
 * validation error scope and is compared with the portable kernel on the same input, so a broken
 * shader stops registration with a clear error (Dawn's message, or the wrong value) instead.
 * The pipelines compiled here are the ones tfjs caches for later calls.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '../../errors.js';
import { webgpuBackend, webgpuFallbacks } from './run.js';

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

/** The tiny inputs every kernel's checks run on, each answer not zero: made anew at each call. */
export const programCheckInputs = {
  /** [19, 3] rows. */
  x: (): tf.Tensor2D => lattice(19, 3, 1),
  /** [4, 3] centers. */
  centers: (): tf.Tensor2D => lattice(4, 3, 2),
  /** [19] weights 1, 2, 3, 1, ... */
  weights: (): tf.Tensor1D => tf.tensor1d(Float32Array.from({ length: 19 }, (_, i) => 1 + (i % 3)), 'float32'),
  /** `blocks` labelled blocks of 7, 8, ... rows, labels 0, 1, 2, 0, ... */
  labelled: (blocks: number): Array<{ x: tf.Tensor2D; labels: tf.Tensor1D }> => {
    const labels = (n: number): tf.Tensor1D => tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % 3), 'int32');
    return Array.from({ length: blocks }, (_, b) => ({ x: lattice(7 + b, 3, 3 + b), labels: labels(7 + b) }));
  },
};
