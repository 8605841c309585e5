// SPDX-License-Identifier: MIT
/**
 * What the runtime allows for our threaded wasm kernels: a shared WebAssembly memory needs
 * SharedArrayBuffer (in a browser, only on a cross-origin isolated page); the calling thread
 * must be allowed to block in Atomics.wait (Node's main thread and worker threads, a browser's
 * Web Workers; not a browser page's main thread); and there must be a Worker to start.
 */

/** The facts about the runtime that decide whether threads can run. */
export interface ThreadEnvironment {
  /** Node (worker_threads) rather than a browser (Web Workers). */
  isNode: boolean;
  /** `SharedArrayBuffer` exists. */
  sharedArrayBuffer: boolean;
  /** `globalThis.crossOriginIsolated` (undefined outside browsers). */
  crossOriginIsolated: boolean | undefined;
  /** Atomics.wait is allowed on this thread. */
  atomicsWait: boolean;
  /** Worker threads can be started (Node always; a browser when `Worker` exists). */
  workers: boolean;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

let canBlock: boolean | null = null;

/** Whether Atomics.wait may block here: it throws a TypeError on a browser page's main thread. */
function atomicsWaitAllowed(): boolean {
  if (canBlock === null) {
    try {
      // The value differs, so this returns 'not-equal' at once where blocking is allowed.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      canBlock = true;
    } catch {
      canBlock = false;
    }
  }
  return canBlock;
}

/** The facts of the runtime this code runs in. */
export function threadEnvironment(): ThreadEnvironment {
  const sab = typeof SharedArrayBuffer === 'function';
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  return {
    isNode,
    sharedArrayBuffer: sab,
    crossOriginIsolated: isNode ? undefined : g.crossOriginIsolated,
    atomicsWait: sab && atomicsWaitAllowed(),
    workers: isNode || typeof g.Worker === 'function',
  };
}

const ISOLATION =
  'SharedArrayBuffer needs a cross-origin isolated page (serve it with Cross-Origin-Opener-Policy: same-origin ' +
  'and Cross-Origin-Embedder-Policy: require-corp)';

/** Why a shared WebAssembly memory cannot be made here, or null when it can. */
export function sharedMemoryUnavailableReason(env: ThreadEnvironment): string | null {
  if (env.crossOriginIsolated === false) return ISOLATION;
  if (!env.sharedArrayBuffer) return 'this runtime has no SharedArrayBuffer';
  return null;
}

/** Why the kernels cannot run on worker threads here, or null when they can. */
export function threadsUnavailableReason(env: ThreadEnvironment): string | null {
  const memory = sharedMemoryUnavailableReason(env);
  if (memory !== null) return memory;
  if (!env.atomicsWait) {
    return "Atomics.wait is not allowed on this thread (a browser page's main thread): run segments in a Web Worker to use threads";
  }
  if (!env.workers) return 'this runtime has no Worker';
  return null;
}

/** Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser, else 1. */
export async function coreCount(): Promise<number> {
  if (isNode) {
    const spec = 'node:os'; // a variable specifier: browser bundles leave it alone
    const os = (await import(/* @vite-ignore */ spec)) as typeof import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}
