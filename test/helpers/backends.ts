// SPDX-License-Identifier: MIT
/**
 * Runs a spec on every backend that can start here: cpu, wasm, and webgpu (Dawn on SwiftShader
 * in CI). A backend that cannot start is skipped with its reason printed, never silently.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../src/backend/backend.js';

export const TEST_BACKENDS: BackendName[] = (process.env.SEGMENTS_TEST_BACKENDS ?? 'cpu,wasm,webgpu').split(',') as BackendName[];

const availability = new Map<BackendName, Promise<string | null>>();

/** Starts `name` strictly; resolves to null when it runs, else the reason it cannot. */
export function tryBackend(name: BackendName): Promise<string | null> {
  let p = availability.get(name);
  if (p === undefined) {
    p = initBackend(name, { strict: true, onWarning: () => {} }).then(
      () => null,
      (err: unknown) => String((err as Error).message ?? err),
    );
    availability.set(name, p);
  }
  return p;
}

/**
 * `describe` once per backend; inside, the backend is current and every test checks that it
 * left no tensors behind.
 */
export function describeEachBackend(title: string, body: (backend: BackendName) => void, backends = TEST_BACKENDS): void {
  for (const backend of backends) {
    describe(`${title} [${backend}]`, () => {
      let reason: string | null = null;
      let before = 0;
      beforeAll(async () => {
        reason = await tryBackend(backend);
        if (reason !== null) console.warn(`skipping ${title} on ${backend}: ${reason}`);
      });
      beforeEach(async (ctx) => {
        if (reason !== null) {
          ctx.skip(`backend ${backend} cannot start: ${reason}`);
          return;
        }
        await initBackend(backend, { strict: true, onWarning: () => {} });
        before = tf.memory().numTensors;
      });
      afterEach((ctx) => {
        if (reason === null && ctx.task.result?.state !== 'fail') {
          expect(tf.memory().numTensors, 'tensors leaked by this test').toBe(before);
        }
      });
      body(backend);
    });
  }
}

export { it };
