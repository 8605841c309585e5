// SPDX-License-Identifier: MIT
/**
 * Choosing and starting a tfjs backend. One call, `initBackend(choice)`, starts a backend and
 * returns what it picked, why, and the device facts kernels size their tiles from.
 *
 * 'auto' in Node: tfjs-node if the user installed it, else a hardware WebGPU adapter, else wasm
 * (never a software adapter such as SwiftShader). In a browser: WebGPU, WebGL, wasm. A backend
 * that fails to start falls back to the next one in that order, with a warning, unless `strict`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, ParameterError, assertUnreachable } from '../errors.js';
import { adapterFacts, getGpu, type AdapterFacts } from './webgpuAdapter.js';

/** The tfjs backends this engine runs on. 'tensorflow' is tfjs-node's native backend. */
export type BackendName = 'cpu' | 'wasm' | 'webgpu' | 'webgl' | 'tensorflow';
export type BackendChoice = 'auto' | BackendName;

export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'webgpu', 'webgl', 'tensorflow'];

/** What kernels need to know about the device they run on. */
export interface DeviceFacts {
  backend: BackendName;
  /** WebGPU adapter facts; null on other backends. */
  adapter: AdapterFacts | null;
  /** True when the device is a CPU emulation of a GPU (e.g. SwiftShader). */
  isSoftwareAdapter: boolean;
  /** Largest single buffer a kernel may bind, in bytes (Infinity where there is no such limit). */
  maxStorageBufferBindingSize: number;
  /** Bytes one tile of a kernel's temporaries may take; tiles are sized from this. */
  memoryBudgetBytes: number;
}

/** The backend that was started, and why. */
export interface BackendInfo {
  name: BackendName;
  reason: string;
  device: DeviceFacts;
  /** Backends that were tried first and failed, with their reasons. */
  warnings: string[];
}

export interface InitBackendOptions {
  /** Throw instead of falling back when the chosen backend cannot start. Default false. */
  strict?: boolean;
  /** Receives each warning (fallbacks, software adapters). Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Overrides the per-tile memory budget, in bytes. */
  memoryBudgetBytes?: number;
}

/** Default per-tile budget on cpu and wasm: big enough to amortise op overhead, small for caches. */
const HOST_TILE_BUDGET = 64 * 1024 * 1024;
/** Cap on the GPU tile budget even where the adapter allows more. */
const GPU_TILE_BUDGET = 256 * 1024 * 1024;

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

let current: BackendInfo | null = null;

/** The WebGPU device this module started and the tfjs backend that runs on it. */
interface WebGpuState {
  device: GPUDevice;
  backend: tf.KernelBackend;
  adapter: AdapterFacts;
  /** min(maxStorageBufferBindingSize, maxBufferSize) of the device. */
  maxBinding: number;
  /** Resolves with the reason once the device is lost (destroyed, driver reset, ...). */
  lost: Promise<string>;
  lostReason: string | null;
}
let webgpu: WebGpuState | null = null;

/** The backend started by the last `initBackend`, or null before the first. */
export function currentBackend(): BackendInfo | null {
  return current;
}

/** Device facts of the running backend; starts nothing. */
export function deviceFacts(): DeviceFacts {
  const name = tf.getBackend() as BackendName;
  if (current !== null && current.name === name) return current.device;
  // WebGPU made current by tf.setBackend rather than initBackend: still our device.
  if (name === 'webgpu' && webgpu !== null && tf.findBackend('webgpu') === webgpu.backend) {
    return webgpuFacts(webgpu, undefined);
  }
  return hostFacts(BACKEND_NAMES.includes(name) ? name : 'cpu');
}

/** Why the WebGPU device was lost, or null while it is alive (or WebGPU is not in use). */
export function webgpuDeviceLost(): string | null {
  return webgpu?.lostReason ?? null;
}

/**
 * A promise that resolves with the reason once the WebGPU device in use is lost; null when no
 * WebGPU device was started. Dawn reports a loss asynchronously: right after `device.destroy()`
 * `webgpuDeviceLost()` is still null, this promise resolves a moment later.
 */
export function whenWebgpuDeviceLost(): Promise<string> | null {
  return webgpu?.lost ?? null;
}

/** The GPUDevice the tfjs WebGPU backend runs on, for tests and custom programs. */
export function webgpuDeviceInUse(): GPUDevice | null {
  return webgpu?.device ?? null;
}

function hostFacts(backend: BackendName, budget?: number): DeviceFacts {
  return {
    backend,
    adapter: null,
    isSoftwareAdapter: false,
    maxStorageBufferBindingSize: Number.POSITIVE_INFINITY,
    memoryBudgetBytes: budget ?? HOST_TILE_BUDGET,
  };
}

/** The order in which backends are tried for a choice. */
export function fallbackChain(choice: BackendChoice, inBrowser = !isNode): BackendName[] {
  const auto: BackendName[] = inBrowser ? ['webgpu', 'webgl', 'wasm', 'cpu'] : ['tensorflow', 'webgpu', 'wasm', 'cpu'];
  switch (choice) {
    case 'auto':
      return auto;
    case 'tensorflow':
      return ['tensorflow'];
    case 'cpu':
      return ['cpu'];
    case 'wasm':
      return ['wasm', 'cpu'];
    case 'webgl':
      return ['webgl', 'wasm', 'cpu'];
    case 'webgpu':
      return inBrowser ? ['webgpu', 'webgl', 'wasm', 'cpu'] : ['webgpu', 'wasm', 'cpu'];
    default:
      return assertUnreachable(choice);
  }
}

/**
 * Starts a backend and makes it tfjs's current one.
 *
 * @param choice 'auto' (default) or a backend name. Asking for 'tensorflow' when
 *   `@tensorflow/tfjs-node` is not installed throws a BackendUnavailableError saying how to
 *   install it. Another explicit choice that cannot start falls back to the next backend
 *   (see `fallbackChain`) with a warning, unless `options.strict`. A WebGPU device that is
 *   alive is reused by the next initBackend('webgpu'); a lost one is replaced by a fresh device.
 * @example
 * const info = await initBackend('wasm');
 * console.log(info.name, info.reason); // 'wasm' 'asked for wasm'
 */
export async function initBackend(choice: BackendChoice = 'auto', options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (choice !== 'auto' && !BACKEND_NAMES.includes(choice)) {
    throw new ParameterError('initBackend', 'choice', `choice='${String(choice)}' is not one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  const warn = options.onWarning ?? ((m: string) => console.warn(`segments: ${m}`));
  const chain = fallbackChain(choice);
  const warnings: string[] = [];
  for (const name of chain) {
    const isAuto = choice === 'auto';
    try {
      const device = await start(name, isAuto, options.memoryBudgetBytes, warn);
      const reason =
        name === choice
          ? `asked for ${name}`
          : isAuto
            ? `auto: ${autoReason(name, warnings)}`
            : `fell back from ${choice}: ${warnings.join('; ')}`;
      if (device.isSoftwareAdapter) {
        warn(`webgpu runs on a software adapter (${device.adapter?.architecture}); results are correct but not GPU-fast`);
      }
      current = { name, reason, device, warnings };
      return current;
    } catch (err) {
      const why = err instanceof BackendUnavailableError ? err.message : `backend '${name}' failed to start: ${String(err)}`;
      if (choice === 'tensorflow' || options.strict) {
        throw err instanceof BackendUnavailableError ? err : new BackendUnavailableError(name, String(err), { cause: err });
      }
      warnings.push(why);
      // For 'auto', tfjs-node being absent and a software adapter are the normal case: the
      // reason says so, no warning.
      if (!(isAuto && (name === 'tensorflow' || err instanceof PassedOver))) warn(`${why}; trying the next backend`);
    }
  }
  throw new BackendUnavailableError(choice, `no backend could start: ${warnings.join('; ')}`);
}

/** WebGPU that 'auto' does not take: no adapter, or only a software one. Not worth a warning. */
class PassedOver extends BackendUnavailableError {}

function autoReason(name: BackendName, warnings: string[]): string {
  const tried = warnings.length > 0 ? ` (${warnings.join('; ')})` : '';
  return `${name} is the first backend that started${tried}`;
}

async function start(name: BackendName, isAuto: boolean, budget: number | undefined, warn: (message: string) => void): Promise<DeviceFacts> {
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await setBackend('cpu');
      return hostFacts('cpu', budget);
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      await setBackend('wasm');
      // Our own WebAssembly SIMD kernels, registered under the portable kernels' names, and the
      // worker threads they run on (one thread, with a warning saying why, where threads cannot run).
      const { ensureWasmThreads } = await import('../kernels/wasm/register.js');
      const threads = await ensureWasmThreads();
      if (threads.threads < threads.requested) warn(`wasm kernels on ${threads.threads} of ${threads.requested} threads: ${threads.reason}`);
      return hostFacts('wasm', budget);
    }
    case 'webgl':
      if (isNode) throw new BackendUnavailableError('webgl', 'WebGL needs a browser; Node has no WebGL context');
      await import('@tensorflow/tfjs-backend-webgl');
      await setBackend('webgl');
      return { ...hostFacts('webgl', budget), memoryBudgetBytes: budget ?? GPU_TILE_BUDGET / 2 };
    case 'tensorflow':
      await startTfjsNode();
      return hostFacts('tensorflow', budget);
    case 'webgpu': {
      const facts = await startWebGpu(isAuto, budget);
      // Our own WGSL kernels, registered under the portable kernels' names; each program is
      // checked first on a hardware adapter (see register.ts for why not on a software one).
      const { registerWebgpuKernels } = await import('../kernels/webgpu/register.js');
      await registerWebgpuKernels({ check: !facts.isSoftwareAdapter });
      return facts;
    }
    default:
      return assertUnreachable(name);
  }
}

async function setBackend(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendUnavailableError(name, 'tfjs could not initialise it');
  await tf.ready();
}

async function startTfjsNode(): Promise<void> {
  const pkg = '@tensorflow/tfjs-node';
  try {
    // A variable specifier keeps bundlers from resolving an optional dependency.
    await import(/* @vite-ignore */ pkg);
  } catch (err) {
    throw new BackendUnavailableError(
      'tensorflow',
      `${pkg} is not installed. ` +
        `Install it with 'npm install ${pkg}@4.22.0' on a machine that can download libtensorflow, or choose another backend`,
      { cause: err },
    );
  }
  await setBackend('tensorflow');
}

async function startWebGpu(isAuto: boolean, budget: number | undefined): Promise<DeviceFacts> {
  // A live device is reused: a second GPUDevice would only double the memory, and tensors made
  // since the first initBackend('webgpu') stay valid. A lost device is replaced.
  if (webgpu !== null && webgpu.lostReason === null) {
    const live = webgpu;
    if (isAuto && live.adapter.isSoftware) throw softwareAdapterError(live.adapter);
    if (tf.findBackend('webgpu') === live.backend) {
      await setBackend('webgpu');
      return webgpuFacts(live, budget);
    }
  }
  const { gpu, reason } = await getGpu();
  if (gpu === null) throw new BackendUnavailableError('webgpu', reason);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new PassedOver('webgpu', 'no WebGPU adapter was found');
  const facts = adapterFacts(adapter);
  if (isAuto && facts.isSoftware) throw softwareAdapterError(facts);
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const backend = new WebGPUBackend(device, info as never);
  const state: WebGpuState = {
    device,
    backend,
    adapter: facts,
    maxBinding: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize),
    lost: device.lost.then((lost) => `${lost.reason}: ${lost.message}`),
    lostReason: null,
  };
  void state.lost.then((why) => {
    state.lostReason = why;
  });
  // Our factory replaces the package's own, so the backend runs on the adapter checked above.
  // Not tf.findBackend('webgpu') here: on a factory that was never started it starts it, and the
  // package's factory then creates a second device whose backend lands in tfjs's registry after
  // ours (seen with tfjs 4.22). removeBackend drops the factory and disposes an earlier instance.
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  const previous = webgpu;
  webgpu = state;
  tf.registerBackend('webgpu', () => backend, 3);
  // The previous device (lost, or one tfjs no longer runs on) is destroyed so that Dawn frees it now.
  if (previous !== null && previous.device !== device) previous.device.destroy();
  await setBackend('webgpu');
  return webgpuFacts(state, budget);
}

function softwareAdapterError(facts: AdapterFacts): BackendUnavailableError {
  return new PassedOver(
    'webgpu',
    `the only adapter is a software one (${facts.vendor} ${facts.architecture}), slower than wasm`,
  );
}

function webgpuFacts(state: WebGpuState, budget: number | undefined): DeviceFacts {
  return {
    backend: 'webgpu',
    adapter: state.adapter,
    isSoftwareAdapter: state.adapter.isSoftware,
    maxStorageBufferBindingSize: state.maxBinding,
    // One tile's temporaries must fit one binding, whatever budget was asked for.
    memoryBudgetBytes: Math.min(budget ?? GPU_TILE_BUDGET, state.maxBinding),
  };
}
