// SPDX-License-Identifier: MIT
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/backend.js';
import { calibrationStepMs } from '../../src/backend/calibrate.js';

// Speed is not asserted (bench/ measures it): only that the step runs, gives a time, and leaks nothing.
describe.each(['cpu', 'wasm', 'webgpu'] as const)('calibrationStepMs on %s', (name) => {
  it('returns a positive finite time and leaves no tensors behind', async (ctx) => {
    const info = await initBackend(name, { strict: true, onWarning: () => {} }).catch((err: unknown) => String(err));
    if (typeof info === 'string') return ctx.skip(`${name} cannot start: ${info}`);
    const before = tf.memory().numTensors;
    const ms = await calibrationStepMs();
    expect(Number.isFinite(ms)).toBe(true);
    expect(ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
