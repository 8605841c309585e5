// SPDX-License-Identifier: MIT
// These tests destroy the WebGPU device, so they sit in their own file (vitest runs each file in
// its own process here: pool 'forks').
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { deviceFacts, initBackend, webgpuDeviceInUse, webgpuDeviceLost, whenWebgpuDeviceLost } from '../../src/backend/backend.js';
import { LOST_GRACE_MS, withBackendFallback } from '../../src/backend/fallback.js';
import { DataError } from '../../src/errors.js';

// 48×48 = 2304 elements: above the 1000 under which tfjs-webgpu computes on the CPU, so the
// work really runs on (and reads back from) the GPU.
const N = 48;
const X = Float32Array.from({ length: N * N }, (_, i) => ((i * 5) % 13) - 6);

/** Row sums of X·Xᵀ, in float64: the answer every attempt must give. */
const WANT = (() => {
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += X[i * N + k] * X[j * N + k];
      out[i] += s;
    }
  }
  return Array.from(out);
})();

async function rowSumsOfGram(): Promise<number[]> {
  const x = tf.tensor2d(X, [N, N]);
  const g = tf.matMul(x, x, false, true);
  const s = tf.sum(g, 1);
  try {
    return Array.from(await s.data());
  } finally {
    tf.dispose([x, g, s]);
  }
}

/** Collects warnings instead of printing them. */
function collect(): { warnings: string[]; onWarning: (m: string) => void } {
  const warnings: string[] = [];
  return { warnings, onWarning: (m) => void warnings.push(m) };
}

describe('withBackendFallback when nothing is lost', () => {
  it('returns the result of work on wasm, with no warning', async () => {
    await initBackend('wasm');
    const { warnings, onWarning } = collect();
    const before = tf.memory().numTensors;
    expect(await withBackendFallback('test', rowSumsOfGram, onWarning)).toEqual(WANT);
    expect(warnings).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rethrows an error of work as it is, without rerunning it', async () => {
    await initBackend('wasm');
    const { warnings, onWarning } = collect();
    let attempts = 0;
    const bad = new DataError('test', 'x', 'x has NaN at row 3', 3, 0);
    await expect(
      withBackendFallback(
        'test',
        async () => {
          attempts++;
          throw bad;
        },
        onWarning,
      ),
    ).rejects.toBe(bad);
    expect(attempts).toBe(1);
    expect(warnings).toEqual([]);
  });
});

describe('withBackendFallback when the WebGPU device is lost', () => {
  let unavailable: string | null = null;
  beforeAll(async () => {
    unavailable = await initBackend('webgpu', { strict: true, onWarning: () => {} }).then(
      () => null,
      (err: unknown) => String((err as Error).message ?? err),
    );
    if (unavailable !== null) console.warn(`skipping device-loss tests: ${unavailable}`);
  });
  const startWebgpu = async (ctx: { skip: (note?: string) => void }): Promise<GPUDevice> => {
    if (unavailable !== null) ctx.skip(`webgpu cannot start: ${unavailable}`);
    const info = await initBackend('webgpu', { strict: true, onWarning: () => {} });
    expect(info.name).toBe('webgpu');
    expect(webgpuDeviceLost()).toBeNull();
    return webgpuDeviceInUse()!;
  };

  it('an error on a live device is rethrown, and the backend stays webgpu', async (ctx) => {
    await startWebgpu(ctx);
    const { warnings, onWarning } = collect();
    const bad = new DataError('test', 'x', 'bad input');
    await expect(withBackendFallback('test', () => Promise.reject(bad), onWarning)).rejects.toBe(bad);
    expect(warnings).toEqual([]);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('tfjs-webgpu after device.destroy(): ops do not throw, data() rejects with AbortError', async (ctx) => {
    const device = await startWebgpu(ctx);
    const x = tf.tensor2d(X, [N, N]);
    const before = tf.matMul(x, x);
    await before.data();
    device.destroy();
    expect(webgpuDeviceLost()).toBeNull(); // reported asynchronously
    const after = tf.matMul(x, x);
    const read = await after.data().then(
      () => null,
      (e: unknown) => e,
    );
    expect(read).toBeInstanceOf(DOMException);
    expect((read as DOMException).name).toBe('AbortError');
    expect(await whenWebgpuDeviceLost()).toMatch(/^destroyed/);
    expect(webgpuDeviceLost()).toMatch(/^destroyed/);
    // A binary op on small host-resident inputs still computes right, on tfjs's CPU forward
    // path; a unary op such as square goes to the dead device and its read is aborted.
    const small = tf.tensor1d([1, 2, 3]);
    const prod = tf.mul(small, small);
    expect(Array.from(await prod.data())).toEqual([1, 4, 9]);
    const sq = tf.square(small);
    await expect(sq.data()).rejects.toMatchObject({ name: 'AbortError' });
    tf.dispose([x, before, after, small, prod, sq]);
  });

  it('work that loses the device mid-run is rerun on wasm, with a warning naming the lost device', async (ctx) => {
    const device = await startWebgpu(ctx);
    const { warnings, onWarning } = collect();
    const backends: string[] = [];
    const before = tf.memory().numTensors;
    const result = await withBackendFallback(
      'gramRowSums',
      async () => {
        backends.push(tf.getBackend());
        const first = await rowSumsOfGram();
        if (backends.length === 1) {
          device.destroy();
          await rowSumsOfGram(); // rejects: the read is aborted on the dead device
        }
        return first;
      },
      onWarning,
    );
    expect(backends).toEqual(['webgpu', 'wasm']);
    expect(result).toEqual(WANT);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^gramRowSums: the WebGPU device was lost \(destroyed: .*\); running it again on wasm$/);
    expect(tf.getBackend()).toBe('wasm');
    expect(deviceFacts().backend).toBe('wasm');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('after the loss, initBackend("webgpu") starts a fresh device that computes', async (ctx) => {
    if (unavailable !== null) ctx.skip(`webgpu cannot start: ${unavailable}`);
    const dead = webgpuDeviceInUse();
    expect(webgpuDeviceLost()).not.toBeNull();
    const info = await initBackend('webgpu', { onWarning: () => {} });
    expect(info.name).toBe('webgpu');
    expect(info.device.isSoftwareAdapter).toBe(true);
    expect(webgpuDeviceInUse()).not.toBe(dead);
    expect(webgpuDeviceLost()).toBeNull();
    expect((tf.backend() as tf.KernelBackend & { device: GPUDevice }).device).toBe(webgpuDeviceInUse());
    expect(await rowSumsOfGram()).toEqual(WANT);
  });

  it('work that finishes after a loss is rerun too: its reads may be zeros', async (ctx) => {
    const device = await startWebgpu(ctx);
    const { warnings, onWarning } = collect();
    const backends: string[] = [];
    const result = await withBackendFallback(
      'late',
      async () => {
        backends.push(tf.getBackend());
        const sums = await rowSumsOfGram();
        if (backends.length === 1) {
          device.destroy();
          await whenWebgpuDeviceLost();
        }
        return sums;
      },
      onWarning,
    );
    expect(backends).toEqual(['webgpu', 'wasm']);
    expect(result).toEqual(WANT);
    expect(warnings[0]).toMatch(/^late: the WebGPU device was lost/);
  });

  it('work that never settles after a loss is abandoned after the grace period and rerun', async (ctx) => {
    const device = await startWebgpu(ctx);
    const { warnings, onWarning } = collect();
    const backends: string[] = [];
    const t0 = performance.now();
    const result = await withBackendFallback(
      'stuck',
      async () => {
        backends.push(tf.getBackend());
        if (backends.length === 1) {
          device.destroy();
          await new Promise<never>(() => {}); // a read that a driver never answers
        }
        return rowSumsOfGram();
      },
      onWarning,
    );
    const ms = performance.now() - t0;
    expect(backends).toEqual(['webgpu', 'wasm']);
    expect(result).toEqual(WANT);
    expect(ms).toBeGreaterThanOrEqual(LOST_GRACE_MS - 50);
    expect(ms).toBeLessThan(LOST_GRACE_MS + 5000);
    expect(warnings[0]).toMatch(/^stuck did not finish \d+ ms after the WebGPU device was lost \(destroyed: .*\); running it again on wasm$/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a device lost before work starts sends the work to wasm as well', async (ctx) => {
    const device = await startWebgpu(ctx);
    device.destroy();
    await whenWebgpuDeviceLost();
    const { warnings, onWarning } = collect();
    const backends: string[] = [];
    const result = await withBackendFallback(
      'early',
      async () => {
        backends.push(tf.getBackend());
        return rowSumsOfGram();
      },
      onWarning,
    );
    expect(backends).toEqual(['webgpu', 'wasm']);
    expect(result).toEqual(WANT);
    expect(warnings).toHaveLength(1);
  });

  it('an error of the rerun on wasm is thrown as it is', async (ctx) => {
    const device = await startWebgpu(ctx);
    const bad = new DataError('test', 'x', 'bad on every backend');
    let attempts = 0;
    await expect(
      withBackendFallback(
        'test',
        async () => {
          attempts++;
          if (attempts === 1) device.destroy();
          await rowSumsOfGram();
          throw bad;
        },
        () => {},
      ),
    ).rejects.toBe(bad);
    expect(attempts).toBe(2);
    expect(tf.getBackend()).toBe('wasm');
  });
});
