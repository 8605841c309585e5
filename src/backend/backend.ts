// SPDX-License-Identifier: MIT
/**
 * Choosing and starting a tfjs backend. One call, `initBackend(choice)`, starts a backend and
 * returns what it picked, why, and the device facts kernels size their tiles from.
 *
 * 'auto' in Node: tfjs-node if the user installed it, else a hardware WebGPU adapter, else wasm.
 * In a browser: the WebGPU adapter and the WebGL renderer are probed first, and neither is used
 * when it is a software renderer (SwiftShader, llvmpipe, lavapipe, WARP: a CPU emulation, far
 * slower than wasm); where both are hardware and both start, a short calibration keeps the
 * faster; otherwise wasm. The reason says which and why in a user's words. An explicit choice
 * that fails to start falls back to the next backend of its chain, with a warning, unless `strict`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, ParameterError, assertUnreachable } from '../errors.js';
import { decideGpu, hardwareCandidates, type Calibration, type GpuBackendName, type GpuProbe } from './autoChoice.js';
import { calibrationStepMs } from './calibrate.js';
import { probeWebGl } from './webglRenderer.js';
import { adapterFacts, getGpu, type AdapterFacts } from './webgpuAdapter.js';

export type { Calibration, GpuBackendName, GpuProbe } from './autoChoice.js';

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
  /** What 'auto' found for each GPU backend it considered (empty for an explicit choice). */
  probes: GpuProbe[];
  /** The hardware GPU backends 'auto' started, and their calibration times where it timed them. */
  calibrations: Calibration[];
}

export interface InitBackendOptions {
  /**
   * Throw instead of falling back when the chosen backend cannot start. Default false. With
   * 'auto', throws only when no backend at all starts.
   */
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
 * info.name; // 'wasm'
 * info.reason; // 'asked for wasm'
 */
export async function initBackend(choice: BackendChoice = 'auto', options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (choice !== 'auto' && !BACKEND_NAMES.includes(choice)) {
    throw new ParameterError('initBackend', 'choice', `choice='${String(choice)}' is not one of auto, ${BACKEND_NAMES.join(', ')}`);
  }
  const warn = options.onWarning ?? ((m: string) => console.warn(`segments: ${m}`));
  if (choice === 'auto') return initAuto(options, warn);
  const chain = fallbackChain(choice);
  const warnings: string[] = [];
  for (const name of chain) {
    try {
      const device = await start(name, options.memoryBudgetBytes, warn);
      const reason = name === choice ? `asked for ${name}` : `fell back from ${choice}: ${warnings.join('; ')}`;
      if (device.isSoftwareAdapter) {
        warn(`webgpu runs on a software adapter (${device.adapter?.architecture}); results are correct but not GPU-fast`);
      }
      current = { name, reason, device, warnings, probes: [], calibrations: [] };
      return current;
    } catch (err) {
      if (choice === 'tensorflow' || options.strict) {
        throw err instanceof BackendUnavailableError ? err : new BackendUnavailableError(name, String(err), { cause: err });
      }
      const why = failure(name, err);
      warnings.push(why);
      warn(`${why}; trying the next backend`);
    }
  }
  throw new BackendUnavailableError(choice, `no backend could start: ${warnings.join('; ')}`);
}

function failure(name: BackendName, err: unknown): string {
  return err instanceof BackendUnavailableError ? err.message : `backend '${name}' failed to start: ${String(err)}`;
}

/**
 * 'auto': tfjs-node where installed (Node); else the GPU backends on hardware, timed against each
 * other where more than one starts; else wasm, then cpu. Software renderers are never started.
 */
async function initAuto(options: InitBackendOptions, warn: (message: string) => void): Promise<BackendInfo> {
  const budget = options.memoryBudgetBytes;
  const warnings: string[] = [];
  const notes: string[] = [];
  if (isNode) {
    try {
      const device = await start('tensorflow', budget, warn);
      current = { name: 'tensorflow', reason: 'auto chose tensorflow: the native TensorFlow backend (tfjs-node) is installed', device, warnings, probes: [], calibrations: [] };
      return current;
    } catch (err) {
      const why = failure('tensorflow', err);
      warnings.push(why);
      // tfjs-node being absent is the normal case: the reason says so, no warning.
      if (err instanceof BackendUnavailableError && /is not installed/.test(err.message)) {
        notes.push('the native TensorFlow backend (tfjs-node) is not installed');
      } else {
        notes.push('the native TensorFlow backend (tfjs-node) did not start');
        warn(`${why}; trying the next backend`);
      }
    }
  }

  const probes: GpuProbe[] = [await probeWebGpu()];
  if (!isNode) probes.push(webglProbe());
  const candidates = hardwareCandidates(probes);
  const calibrations: Calibration[] = [];
  const started = new Map<GpuBackendName, DeviceFacts>();
  for (const name of candidates) {
    try {
      started.set(name, await start(name, budget, warn));
      calibrations.push({ backend: name, ms: candidates.length > 1 ? await calibrationStepMs() : null });
    } catch (err) {
      const why = failure(name, err);
      warnings.push(why);
      warn(`${why}; trying the next backend`);
      calibrations.push({ backend: name, ms: null, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const decision = decideGpu(probes, calibrations);
  if (decision.backend !== null) {
    const device = started.get(decision.backend) as DeviceFacts;
    if (tf.getBackend() !== decision.backend) await setBackend(decision.backend);
    const reason = `auto chose ${decision.backend}: ${[decision.why, ...notes].join('; ')}`;
    current = { name: decision.backend, reason, device, warnings, probes, calibrations };
    return current;
  }

  const hostFailures: string[] = [];
  for (const name of ['wasm', 'cpu'] as const) {
    try {
      const device = await start(name, budget, warn);
      const reason = `auto chose ${name}: ${[decision.why, ...notes, ...hostFailures].join('; ')}`;
      current = { name, reason, device, warnings, probes, calibrations };
      return current;
    } catch (err) {
      const why = failure(name, err);
      warnings.push(why);
      hostFailures.push(`${name} did not start (${err instanceof Error ? err.message : String(err)})`);
      warn(`${why}; trying the next backend`);
    }
  }
  throw new BackendUnavailableError('auto', `no backend could start: ${warnings.join('; ')}`);
}

/** The WebGPU adapter, asked for but not started on; the live device's adapter when there is one. */
async function probeWebGpu(): Promise<GpuProbe> {
  let facts: AdapterFacts;
  if (webgpu !== null && webgpu.lostReason === null) {
    facts = webgpu.adapter;
  } else {
    const { gpu, reason } = await getGpu();
    if (gpu === null) return { backend: 'webgpu', kind: 'unavailable', why: isNode ? reason : 'this browser has no WebGPU' };
    let adapter: GPUAdapter | null;
    try {
      adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    } catch (err) {
      return { backend: 'webgpu', kind: 'unavailable', why: `asking for an adapter failed (${String(err)})` };
    }
    if (adapter === null) return { backend: 'webgpu', kind: 'unavailable', why: 'no adapter was found' };
    facts = adapterFacts(adapter);
  }
  if (facts.softwareName !== null) return { backend: 'webgpu', kind: 'software', software: facts.softwareName };
  const device = facts.description !== '' ? facts.description : `${facts.vendor} ${facts.architecture}`.trim();
  return { backend: 'webgpu', kind: 'hardware', device: device !== '' ? device : 'an unnamed adapter' };
}

function webglProbe(): GpuProbe {
  const gl = probeWebGl();
  if (!gl.available) return { backend: 'webgl', kind: 'unavailable', why: gl.reason };
  if (gl.software !== null) return { backend: 'webgl', kind: 'software', software: gl.software };
  return { backend: 'webgl', kind: 'hardware', device: gl.renderer !== '' ? gl.renderer : 'an unnamed renderer' };
}

/**
 * tfjs's cpu backend prints an npm hint on stderr at its first tensor in Node ("install our node
 * backend"), unasked, even under `segments --quiet`; the reason initBackend gives already says
 * whether tfjs-node is installed. The hint is printed when the backend's `firstUse` flag is set
 * (tfjs-backend-cpu 4.22, backend_cpu.ts), so the flag is cleared here.
 */
function quietCpuHint(): void {
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if (backend.firstUse === true) backend.firstUse = false;
}

/** What a start hook is told: the backend just started, its device facts, and where warnings go. */
export interface BackendStart {
  name: BackendName;
  facts: DeviceFacts;
  warn: (message: string) => void;
}

const startHooks: Array<(started: BackendStart) => Promise<void>> = [];

/**
 * Runs `hook` each time initBackend starts a backend (each fallback step and each restart too),
 * after tfjs runs on it and before initBackend returns; a hook that rejects fails that start, like
 * a backend that does not start. The kernels use it to load their implementations for the
 * backend (src/kernels/shared/registry.ts): this folder imports nothing of theirs, so that the
 * imports go one way, kernels -> backend.
 */
export function onBackendStart(hook: (started: BackendStart) => Promise<void>): void {
  startHooks.push(hook);
}

async function start(name: BackendName, budget: number | undefined, warn: (message: string) => void): Promise<DeviceFacts> {
  const facts = await startTfjs(name, budget);
  for (const hook of startHooks) await hook({ name, facts, warn });
  return facts;
}

async function startTfjs(name: BackendName, budget: number | undefined): Promise<DeviceFacts> {
  switch (name) {
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      await setBackend('cpu');
      quietCpuHint();
      return hostFacts('cpu', budget);
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      await setBackend('wasm');
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
    case 'webgpu':
      return startWebGpu(budget);
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

async function startWebGpu(budget: number | undefined): Promise<DeviceFacts> {
  // A live device is reused: a second GPUDevice would only double the memory, and tensors made
  // since the first initBackend('webgpu') stay valid. A lost device is replaced.
  if (webgpu !== null && webgpu.lostReason === null) {
    const live = webgpu;
    if (tf.findBackend('webgpu') === live.backend) {
      await setBackend('webgpu');
      return webgpuFacts(live, budget);
    }
  }
  const { gpu, reason } = await getGpu();
  if (gpu === null) throw new BackendUnavailableError('webgpu', reason);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new BackendUnavailableError('webgpu', 'no WebGPU adapter was found');
  const facts = adapterFacts(adapter);
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
