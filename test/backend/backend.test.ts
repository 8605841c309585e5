// SPDX-License-Identifier: MIT
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  currentBackend,
  deviceFacts,
  fallbackChain,
  initBackend,
  webgpuDeviceInUse,
  webgpuDeviceLost,
  type BackendChoice,
  type BackendInfo,
} from '../../src/backend/backend.js';
import { BackendUnavailableError, ParameterError } from '../../src/errors.js';

const tfjsNodeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

/** Collects warnings instead of printing them. */
function collect(): { warnings: string[]; onWarning: (m: string) => void } {
  const warnings: string[] = [];
  return { warnings, onWarning: (m) => void warnings.push(m) };
}

/** x·xᵀ of a 40×40 matrix (1600 elements: above tfjs-webgpu's 1000-element CPU forwarding). */
async function gramCheck(): Promise<void> {
  const n = 40;
  const x = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 11) - 5);
  const want = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[i * n + k] * x[j * n + k];
      want[i * n + j] = s;
    }
  }
  const before = tf.memory().numTensors;
  const t = tf.tensor2d(x, [n, n]);
  const g = tf.matMul(t, t, false, true);
  const got = await g.data();
  tf.dispose([t, g]);
  expect(Array.from(got)).toEqual(Array.from(want));
  expect(tf.memory().numTensors).toBe(before);
}

function expectHostFacts(info: BackendInfo, name: 'cpu' | 'wasm'): void {
  expect(info.name).toBe(name);
  expect(info.reason).toBe(`asked for ${name}`);
  expect(info.warnings).toEqual([]);
  expect(info.device).toMatchObject({ backend: name, adapter: null, isSoftwareAdapter: false });
  expect(info.device.maxStorageBufferBindingSize).toBe(Number.POSITIVE_INFINITY);
  expect(info.device.memoryBudgetBytes).toBeGreaterThan(0);
  expect(tf.getBackend()).toBe(name);
  expect(currentBackend()).toBe(info);
  expect(deviceFacts()).toEqual(info.device);
}

describe('initBackend on the host backends', () => {
  it('initBackend("cpu") starts cpu and reports it was asked for', async () => {
    const info = await initBackend('cpu', collect());
    expectHostFacts(info, 'cpu');
    await gramCheck();
  });

  it('initBackend("wasm") starts wasm and reports it was asked for', async () => {
    const info = await initBackend('wasm', collect());
    expectHostFacts(info, 'wasm');
    await gramCheck();
  });

  it('memoryBudgetBytes overrides the host tile budget', async () => {
    const info = await initBackend('cpu', { memoryBudgetBytes: 1 << 20 });
    expect(info.device.memoryBudgetBytes).toBe(1 << 20);
    expect(deviceFacts().memoryBudgetBytes).toBe(1 << 20);
  });
});

type WithDevice = tf.KernelBackend & { device: GPUDevice };

describe('initBackend("webgpu") on Dawn', () => {
  let unavailable: string | null = null;
  /** Devices seen after the first start in this process, once any late initialisation settled. */
  let firstStart: { inUse: GPUDevice | null; current: GPUDevice; registered: GPUDevice } | null = null;
  beforeAll(async () => {
    unavailable = await initBackend('webgpu', { strict: true, onWarning: () => {} }).then(
      () => null,
      (err: unknown) => String((err as Error).message ?? err),
    );
    if (unavailable !== null) {
      console.warn(`skipping webgpu tests: ${unavailable}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    firstStart = {
      inUse: webgpuDeviceInUse(),
      current: (tf.backend() as WithDevice).device,
      registered: (tf.findBackend('webgpu') as WithDevice).device,
    };
  });
  const skipIfNoWebgpu = (ctx: { skip: (note?: string) => void }): void => {
    if (unavailable !== null) ctx.skip(`webgpu cannot start: ${unavailable}`);
  };

  it('reports the SwiftShader adapter as software, with its limits, and warns about it', async (ctx) => {
    skipIfNoWebgpu(ctx);
    const { warnings, onWarning } = collect();
    const info = await initBackend('webgpu', { onWarning });
    expect(info.name).toBe('webgpu');
    expect(info.reason).toBe('asked for webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const d = info.device;
    expect(d.backend).toBe('webgpu');
    expect(d.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isSoftware: true });
    expect(d.isSoftwareAdapter).toBe(true);
    expect(d.maxStorageBufferBindingSize).toBeGreaterThan(0);
    expect(Number.isFinite(d.maxStorageBufferBindingSize)).toBe(true);
    expect(d.memoryBudgetBytes).toBeGreaterThan(0);
    expect(d.memoryBudgetBytes).toBeLessThanOrEqual(d.maxStorageBufferBindingSize);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/software adapter \(swiftshader\)/);
    expect(deviceFacts()).toEqual(d);
  });

  it('the first start runs tfjs, and registers it, on the one device it reports', (ctx) => {
    skipIfNoWebgpu(ctx);
    expect(firstStart?.inUse).toBeTruthy();
    expect(firstStart?.current).toBe(firstStart?.inUse);
    // tfjs-backend-webgpu's own factory must not have started a second device behind ours.
    expect(firstStart?.registered).toBe(firstStart?.inUse);
  });

  it('computes on the device it reports', async (ctx) => {
    skipIfNoWebgpu(ctx);
    await initBackend('webgpu', { onWarning: () => {} });
    const device = webgpuDeviceInUse();
    expect(device).not.toBeNull();
    expect((tf.backend() as WithDevice).device).toBe(device);
    expect((tf.findBackend('webgpu') as WithDevice).device).toBe(device);
    await gramCheck();
    expect(webgpuDeviceLost()).toBeNull();
  });

  it('a second initBackend("webgpu") reuses the live device', async (ctx) => {
    skipIfNoWebgpu(ctx);
    await initBackend('webgpu', { onWarning: () => {} });
    const first = webgpuDeviceInUse();
    await initBackend('cpu');
    const again = await initBackend('webgpu', { onWarning: () => {} });
    expect(again.name).toBe('webgpu');
    expect(webgpuDeviceInUse()).toBe(first);
    await gramCheck();
  });

  it('clamps a memory budget larger than one binding to maxStorageBufferBindingSize', async (ctx) => {
    skipIfNoWebgpu(ctx);
    const info = await initBackend('webgpu', { memoryBudgetBytes: 2 ** 50, onWarning: () => {} });
    expect(info.device.memoryBudgetBytes).toBe(info.device.maxStorageBufferBindingSize);
    const small = await initBackend('webgpu', { memoryBudgetBytes: 1 << 20, onWarning: () => {} });
    expect(small.device.memoryBudgetBytes).toBe(1 << 20);
  });

  it('deviceFacts() gives the GPU facts when webgpu was made current by tf.setBackend', async (ctx) => {
    skipIfNoWebgpu(ctx);
    const gpu = await initBackend('webgpu', { onWarning: () => {} });
    await initBackend('wasm');
    expect(deviceFacts().backend).toBe('wasm');
    await tf.setBackend('webgpu');
    expect(deviceFacts()).toEqual(gpu.device);
    await initBackend('wasm');
  });

  it('"auto" passes over the software adapter even while it is running', async (ctx) => {
    skipIfNoWebgpu(ctx);
    await initBackend('webgpu', { onWarning: () => {} });
    const { warnings, onWarning } = collect();
    const info = await initBackend('auto', { onWarning });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.probes).toEqual([{ backend: 'webgpu', kind: 'software', software: 'SwiftShader' }]);
    expect(info.reason).toMatch(/^auto chose wasm: WebGPU's adapter is SwiftShader, a CPU emulation/);
    expect(warnings).toEqual([]);
  });
});

describe('initBackend("auto") in Node', () => {
  it.skipIf(tfjsNodeInstalled)('picks wasm, never a software webgpu adapter, and says why in a user\'s words', async () => {
    const { warnings, onWarning } = collect();
    const info = await initBackend('auto', { onWarning });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.device).toMatchObject({ backend: 'wasm', adapter: null, isSoftwareAdapter: false });
    // tfjs-node being absent is normal for 'auto': said in the reason, not warned about.
    expect(warnings.some((w) => w.includes('tfjs-node'))).toBe(false);
    // The backends that failed to start: only tfjs-node; a passed-over adapter is no failure.
    expect(info.warnings).toHaveLength(1);
    expect(info.warnings[0]).toMatch(/^backend 'tensorflow' is unavailable: @tensorflow\/tfjs-node is not installed/);
    expect(info.calibrations).toEqual([]);
    const gpu = info.probes.find((p) => p.backend === 'webgpu');
    expect(info.probes.map((p) => p.backend)).toEqual(['webgpu']); // no WebGL in Node
    if (gpu?.kind === 'software') {
      // Dawn found SwiftShader here: passed over without starting it and without a warning.
      expect(gpu.software).toBe('SwiftShader');
      expect(info.reason).toBe(
        "auto chose wasm: WebGPU's adapter is SwiftShader, a CPU emulation; the native TensorFlow backend (tfjs-node) is not installed",
      );
      expect(warnings).toEqual([]);
    } else {
      console.warn(`webgpu probe found no SwiftShader adapter here: ${JSON.stringify(gpu)}`);
      expect(gpu?.kind).toBe('unavailable');
      expect(info.reason).toMatch(/^auto chose wasm: WebGPU: .+; the native TensorFlow backend \(tfjs-node\) is not installed$/);
    }
  });

  it('is the default choice', async () => {
    const info = await initBackend(undefined, collect());
    expect(info.reason).toMatch(/^auto chose /);
    expect(info.name).not.toBe('webgpu');
  });
});

describe('initBackend("tensorflow") without tfjs-node', () => {
  it.skipIf(tfjsNodeInstalled)('throws BackendUnavailableError saying how to install tfjs-node, with no fallback', async () => {
    await initBackend('cpu');
    const { warnings, onWarning } = collect();
    const err = await initBackend('tensorflow', { onWarning }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    const e = err as BackendUnavailableError;
    expect(e.name).toBe('BackendUnavailableError');
    expect(e.backend).toBe('tensorflow');
    expect(e.message).toContain('@tensorflow/tfjs-node');
    expect(e.message).toMatch(/npm install @tensorflow\/tfjs-node/);
    expect(warnings).toEqual([]);
    // Nothing else was started in its place.
    expect(tf.getBackend()).toBe('cpu');
    expect(currentBackend()?.name).toBe('cpu');
  });
});

describe('initBackend("webgl") in Node', () => {
  it('falls back to wasm with a warning naming webgl', async () => {
    const { warnings, onWarning } = collect();
    const info = await initBackend('webgl', { onWarning });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.reason).toMatch(/^fell back from webgl: backend 'webgl' is unavailable: WebGL needs a browser/);
    expect(info.warnings).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/backend 'webgl' is unavailable.*trying the next backend/);
  });

  it('throws BackendUnavailableError when strict', async () => {
    await initBackend('cpu');
    const { warnings, onWarning } = collect();
    const err = await initBackend('webgl', { strict: true, onWarning }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).backend).toBe('webgl');
    expect((err as Error).message).toMatch(/WebGL needs a browser/);
    expect(warnings).toEqual([]);
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('initBackend argument checks', () => {
  it('an unknown choice throws ParameterError naming the argument', async () => {
    const err = await initBackend('metal' as BackendChoice).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParameterError);
    const e = err as ParameterError;
    expect(e.fn).toBe('initBackend');
    expect(e.argument).toBe('choice');
    expect(e.message).toBe("initBackend: choice='metal' is not one of auto, cpu, wasm, webgpu, webgl, tensorflow");
  });
});

describe('fallbackChain', () => {
  it('orders backends for Node', () => {
    expect(fallbackChain('auto', false)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(fallbackChain('webgpu', false)).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(fallbackChain('webgl', false)).toEqual(['webgl', 'wasm', 'cpu']);
    expect(fallbackChain('wasm', false)).toEqual(['wasm', 'cpu']);
    expect(fallbackChain('cpu', false)).toEqual(['cpu']);
    expect(fallbackChain('tensorflow', false)).toEqual(['tensorflow']);
  });

  it('orders backends for a browser', () => {
    expect(fallbackChain('auto', true)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(fallbackChain('webgpu', true)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(fallbackChain('webgl', true)).toEqual(['webgl', 'wasm', 'cpu']);
    expect(fallbackChain('wasm', true)).toEqual(['wasm', 'cpu']);
    expect(fallbackChain('cpu', true)).toEqual(['cpu']);
    expect(fallbackChain('tensorflow', true)).toEqual(['tensorflow']);
  });

  it('defaults to the environment it runs in (Node here)', () => {
    expect(fallbackChain('auto')).toEqual(fallbackChain('auto', false));
  });
});

describe('deviceFacts', () => {
  it('returns the facts of the running backend', async () => {
    const cpu = await initBackend('cpu', { memoryBudgetBytes: 12345 });
    expect(deviceFacts()).toEqual(cpu.device);
    const wasm = await initBackend('wasm');
    expect(deviceFacts()).toEqual(wasm.device);
    expect(deviceFacts().backend).toBe('wasm');
  });

  it('follows a backend switched with tf.setBackend, with host defaults', async () => {
    await initBackend('wasm');
    await tf.setBackend('cpu');
    expect(deviceFacts()).toMatchObject({ backend: 'cpu', adapter: null, isSoftwareAdapter: false });
    expect(deviceFacts().memoryBudgetBytes).toBeGreaterThan(0);
  });
});
