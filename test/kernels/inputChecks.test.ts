// SPDX-License-Identifier: MIT
/**
 * The kernels' input checks are written once per kernel (its index.ts hands them to defineKernel)
 * and run before any implementation: the same typed error, naming the kernel and the argument,
 * on cpu (the portable form), wasm and webgpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { assignNearest } from '../../src/kernels/assignNearest/index.js';
import { lloydStep } from '../../src/kernels/lloydStep/index.js';
import { lloydSums } from '../../src/kernels/lloydSums/index.js';
import { meanShiftStep } from '../../src/kernels/meanShiftStep/index.js';
import { silhouetteTile } from '../../src/kernels/silhouetteTile/index.js';
import { describeEachBackend, it } from '../helpers/backends.js';

/** `call` throws a ParameterError whose message is exactly `message`. */
function expectRefused(call: () => unknown, message: string): void {
  let thrown: unknown = null;
  try {
    call();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, message).toBeInstanceOf(ParameterError);
  expect((thrown as ParameterError).message).toBe(message);
}

describeEachBackend('kernel input checks', (backend) => {
  it(`lloydStep, lloydSums and assignNearest refuse mismatched shapes and dtypes on ${backend}`, () => {
    const x = tf.zeros([4, 2]) as tf.Tensor2D;
    const c3 = tf.zeros([2, 3]) as tf.Tensor2D;
    const c = tf.zeros([2, 2]) as tf.Tensor2D;
    const none = tf.zeros([0, 2]) as tf.Tensor2D;
    const w = tf.ones([3]) as tf.Tensor1D;
    const xi = tf.zeros([4, 2], 'int32') as tf.Tensor2D;
    try {
      expectRefused(() => lloydStep(x, c3, null), 'lloydStep: centers have 3 columns, x has 2');
      expectRefused(() => lloydStep(x, none, null), 'lloydStep: needs at least one center');
      expectRefused(() => lloydStep(x, c, w), 'lloydStep: weights have 3 values for 4 rows');
      expectRefused(() => lloydStep(xi, c, null), 'lloydStep: x must be float32, got int32');
      expectRefused(() => lloydSums(x, c, w), 'lloydSums: weights have 3 values for 4 rows');
      expectRefused(() => assignNearest(x, c3), 'assignNearest: centers have 3 columns, x has 2');
    } finally {
      tf.dispose([x, c3, c, none, w, xi]);
    }
  });

  it(`silhouetteTile refuses a bad k, a block of another width and float labels on ${backend}`, () => {
    const rows = tf.zeros([2, 2]) as tf.Tensor2D;
    const wide = { x: tf.zeros([3, 3]) as tf.Tensor2D, labels: tf.zeros([3], 'int32') as tf.Tensor1D };
    const floatLabels = { x: tf.zeros([3, 2]) as tf.Tensor2D, labels: tf.zeros([3]) as tf.Tensor1D };
    try {
      expectRefused(() => silhouetteTile(rows, [], 0), 'silhouetteTile: k=0 must be an integer >= 1');
      expectRefused(() => silhouetteTile(rows, [wide], 2), 'silhouetteTile: a column block has 3 columns, rows have 2');
      expectRefused(() => silhouetteTile(rows, [floatLabels], 2), 'silhouetteTile: labels must be int32, got float32');
    } finally {
      tf.dispose([rows, wide.x, wide.labels, floatLabels.x, floatLabels.labels]);
    }
  });

  it(`meanShiftStep refuses a bad bandwidth, kernel or block on ${backend}`, () => {
    const seeds = tf.zeros([2, 2]) as tf.Tensor2D;
    const block = { x: tf.zeros([3, 2]) as tf.Tensor2D, weights: null };
    const wide = { x: tf.zeros([3, 3]) as tf.Tensor2D, weights: null };
    const weighed = { x: tf.zeros([3, 2]) as tf.Tensor2D, weights: tf.ones([2]) as tf.Tensor1D };
    try {
      expectRefused(() => meanShiftStep(seeds, [block], 0, 'flat'), 'meanShiftStep: bandwidth=0 must be a finite number > 0');
      expectRefused(() => meanShiftStep(seeds, [block], 1, 'box' as never), "meanShiftStep: kernel='box' must be 'flat' or 'gaussian'");
      expectRefused(() => meanShiftStep(seeds, [wide], 1, 'flat'), 'meanShiftStep: a data block has 3 columns, seeds have 2');
      expectRefused(() => meanShiftStep(seeds, [weighed], 1, 'gaussian'), 'meanShiftStep: a block has 2 weights for 3 rows');
    } finally {
      tf.dispose([seeds, block.x, wide.x, weighed.x, weighed.weights]);
    }
  });
});
