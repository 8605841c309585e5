// SPDX-License-Identifier: MIT
/**
 * Kernel dispatch. A kernel is a named tensor operation with one portable implementation made
 * of tfjs ops (it runs on every backend and is the oracle in tests) and, optionally, faster
 * implementations for particular backends under the same name. Each kernel's folder says which
 * (src/kernels/<name>/index.ts) and loads them lazily: the wasm ones pull in our WebAssembly
 * module and the webgpu ones WGSL programs, which a page on another backend never needs.
 *
 * They are loaded when a backend starts (initBackend runs the hook installed below), for every
 * kernel defined by then, so that a kernel call, which is synchronous, finds its implementation
 * in place. A kernel defined after its backend started loads it then, in the background; until
 * it is in place calls run the portable form, and a failed load is thrown by the next call.
 * Algorithms call the kernel; which implementation runs is decided here, from the current
 * tfjs backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { onBackendStart, type BackendName, type BackendStart } from '../../backend/backend.js';
import { SegmentsError } from '../../errors.js';
import type { ProgramCheck } from '../webgpu/selfCheck.js';
import { onBlocksDisposed } from './tiling.js';

export interface Kernel<A extends unknown[], R> {
  (...args: A): R;
  readonly kernelName: string;
  /** The tf-op implementation: runs on any backend. */
  readonly portable: (...args: A) => R;
  /** The backends this kernel has an implementation of its own for (loaded when they start). */
  readonly backends: readonly BackendName[];
  /** Registers a faster implementation for one backend; replaces an earlier one. */
  register(backend: BackendName, impl: (...args: A) => R): void;
  /** Removes a backend's implementation, so the portable one runs there again. */
  unregister(backend: BackendName): void;
  /** Which implementation a call on `backend` (default: the current one) would run. */
  implementationFor(backend?: string): 'portable' | BackendName;
  /**
   * The kernel's wasm implementation, with the kernel's input checks, to call whatever backend is
   * current: our module runs on the host, for passes cheaper there than on a device with a fixed
   * cost per call (algorithms/hostPasses.ts). It reads its tensors' values (a row block's host
   * rows, where uploadRows kept them) and makes its results with tf.tensor, so on a GPU backend
   * nothing is dispatched. Rejects when the kernel has no wasm implementation.
   */
  onHost(): Promise<(...args: A) => R>;
}

/** A backend implementation as a kernel's folder hands it over. */
export interface BackendImplementation<A extends unknown[], R> {
  impl: (...args: A) => R;
  /** WebGPU only: known-answer checks of its WGSL programs, run before it is registered where initBackend asks for them. */
  checks?: () => ProgramCheck[];
}

/** Loaders of a kernel's own implementations, by backend: `() => import('./wasm.js').then(...)`. */
export type BackendLoaders<A extends unknown[], R> = Partial<Record<BackendName, () => Promise<BackendImplementation<A, R>>>>;

interface Entry {
  kernel: Kernel<never[], unknown>;
  loaders: BackendLoaders<never[], unknown>;
  /** Failures of background loads (kernels defined after their backend started), thrown at the next call. */
  failed: Map<string, unknown>;
}

const allKernels = new Map<string, Entry>();

/**
 * Creates a kernel from its portable implementation and the loaders of its backend ones. Names
 * are unique. `check`, the kernel's input checks, runs before every call whatever implementation
 * runs it: the checks are written once per kernel, not once per backend.
 */
export function defineKernel<A extends unknown[], R>(name: string, portable: (...args: A) => R, backends: BackendLoaders<A, R> = {}, check?: (...args: A) => void): Kernel<A, R> {
  if (allKernels.has(name)) throw new SegmentsError(`defineKernel: kernel '${name}' is defined twice`);
  const impls = new Map<string, (...args: A) => R>();
  const failed = new Map<string, unknown>();
  const kernel = ((...args: A): R => {
    check?.(...args);
    const backend = tf.getBackend();
    const impl = impls.get(backend);
    if (impl !== undefined) return impl(...args);
    if (failed.has(backend)) throw failed.get(backend);
    return portable(...args);
  }) as Kernel<A, R>;
  Object.defineProperty(kernel, 'kernelName', { value: name });
  Object.defineProperty(kernel, 'portable', { value: portable });
  Object.defineProperty(kernel, 'backends', { value: Object.freeze(Object.keys(backends) as BackendName[]) });
  kernel.register = (backend, impl) => {
    failed.delete(backend);
    impls.set(backend, impl);
  };
  kernel.unregister = (backend) => void impls.delete(backend);
  kernel.implementationFor = (backend = tf.getBackend()) => (impls.has(backend) ? (backend as BackendName) : 'portable');
  kernel.onHost = async () => {
    const load = backends.wasm;
    if (load === undefined) throw new SegmentsError(`${name}: no wasm implementation to run on the host`);
    const { impl } = await load();
    return (...args: A): R => {
      check?.(...args);
      return impl(...args);
    };
  };
  const entry: Entry = { kernel: kernel as unknown as Kernel<never[], unknown>, loaders: backends as BackendLoaders<never[], unknown>, failed };
  allKernels.set(name, entry);
  for (const [backend, check] of started) {
    if (backends[backend] !== undefined) void loadInto([entry], backend, check).catch((err: unknown) => void failed.set(backend, err));
  }
  return kernel;
}

/** Every kernel defined so far, by name (for diagnostics and the bench). */
export function listKernels(): ReadonlyMap<string, Kernel<never[], unknown>> {
  return new Map([...allKernels].map(([name, entry]) => [name, entry.kernel]));
}

/**
 * Loads the implementations for `backend` of every kernel defined so far and registers them. On
 * webgpu with `check`, every WGSL program is first run against the portable kernel on a tiny
 * input (see webgpu/selfCheck.ts): a program that does not compile on this device rejects with
 * Dawn's message and nothing is registered, rather than kernels that return zeros.
 */
export async function loadKernels(backend: BackendName, options: { check: boolean } = { check: false }): Promise<void> {
  await loadInto([...allKernels.values()], backend, options.check);
}

/** The known-answer checks of the WGSL programs of the kernels defined so far, in their order. */
export async function webgpuProgramChecks(): Promise<ProgramCheck[]> {
  const checks: ProgramCheck[] = [];
  for (const entry of allKernels.values()) {
    const load = entry.loaders.webgpu;
    if (load !== undefined) checks.push(...((await load()).checks?.() ?? []));
  }
  return checks;
}

/** Runs every check of `webgpuProgramChecks`, in order; rejects at the first that fails. */
export async function checkWebgpuPrograms(): Promise<void> {
  const { runProgramCheck } = await import('../webgpu/selfCheck.js');
  for (const check of await webgpuProgramChecks()) await runProgramCheck(check);
}

async function loadInto(entries: Entry[], backend: BackendName, check: boolean): Promise<void> {
  const loaded: Array<{ entry: Entry; impl: BackendImplementation<never[], unknown> }> = [];
  for (const entry of entries) {
    const load = entry.loaders[backend];
    if (load !== undefined) loaded.push({ entry, impl: await load() });
  }
  if (check && backend === 'webgpu') {
    const { runProgramCheck } = await import('../webgpu/selfCheck.js');
    for (const { impl } of loaded) for (const c of impl.checks?.() ?? []) await runProgramCheck(c);
  }
  for (const { entry, impl } of loaded) entry.kernel.register(backend, impl.impl);
}

/** Backends started so far, with whether their programs are checked (webgpu on hardware adapters). */
const started = new Map<BackendName, boolean>();
let wasmCacheHooked = false;

async function onStart({ name, facts, warn }: BackendStart): Promise<void> {
  if (name === 'wasm') {
    // The worker threads our wasm kernels run on (one thread, with a warning saying why, where
    // threads cannot run), and the release of their copies of blocks that are disposed.
    const { ensureWasmThreads } = await import('../wasm/threads.js');
    const threads = await ensureWasmThreads();
    if (threads.threads < threads.requested) warn(`wasm kernels on ${threads.threads} of ${threads.requested} threads: ${threads.reason}`);
    if (!wasmCacheHooked) {
      const { releaseDisposedWasmData } = await import('../wasm/kernelModule.js');
      onBlocksDisposed(() => void releaseDisposedWasmData());
      wasmCacheHooked = true;
    }
  }
  // Each WGSL program is checked first on a hardware adapter, where it costs little; on a software
  // adapter (SwiftShader: about 14 s of shader compiles per process) it is not, since that is where
  // the test suite compares every program with its reference anyway.
  const check = name === 'webgpu' && !facts.isSoftwareAdapter;
  await loadKernels(name, { check });
  started.set(name, check);
}

onBackendStart(onStart);
