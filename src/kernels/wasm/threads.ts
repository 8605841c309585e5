// SPDX-License-Identifier: MIT
/**
 * Our wasm kernels on every core: worker threads (Node worker_threads, browser Web Workers)
 * instantiate the same module on the same shared WebAssembly memory, and a kernel call, which
 * stays synchronous, is split into chunks that the calling thread and the workers claim from a
 * shared counter (protocol in control.ts). The calling thread allocates everything, writes the
 * job, wakes the workers, runs chunks itself, and blocks in Atomics.wait until every chunk is
 * done. Chunk boundaries depend on the data only, never on the thread count, and each chunk
 * writes its own outputs, so a call gives the same bits on any number of threads.
 *
 * Workers start with initBackend('wasm'), `setWasmThreads`, or lazily at the first kernel call;
 * until they are ready, kernels run on the calling thread alone. Node workers are unref'd: they
 * never keep the process alive. A worker that fails, exits or stops making progress while it
 * holds a chunk makes the call throw a SegmentsError (the wait has a time limit), and threads
 * stay off until `setWasmThreads` is called again.
 */
import { ParameterError, SegmentsError } from '../../errors.js';
import * as C from './control.js';
import { coreCount, threadEnvironment, threadsUnavailableReason } from './environment.js';
import { sharedKernelModule, sharedModuleUnavailableReason, wasmKernels, type KernelExports } from './kernelModule.js';
import { WORKER_SOURCE } from './workerSource.js';

/** How many threads the wasm kernels run on, and why. */
export interface WasmThreadStats {
  /** Threads a kernel call uses now, the calling thread included (1 = single-threaded). */
  threads: number;
  /** Threads asked for (by `setWasmThreads`, or the default: the number of logical cores); 0 before the first request. */
  requested: number;
  /** Worker threads started and ready (threads − 1 while the pool is up). */
  workersReady: number;
  /** Worker threads started, ready or not. */
  workersStarted: number;
  /** Chunks the workers of the current pool have run (the calling thread ran the others). */
  workerChunks: number;
  /** The module runs on a shared WebAssembly memory (needed for threads). */
  sharedMemory: boolean;
  /** Why `threads` is what it is. */
  reason: string;
}

export interface WasmThreadOptions {
  /**
   * A kernel call whose workers make no progress (no chunk finished) for this long throws a
   * SegmentsError instead of waiting for ever. Default 30,000 ms: a chunk is at most about a
   * second of work, so only a stuck worker gets near it (a worker that traps or exits is seen
   * at once).
   */
  stallTimeoutMs?: number;
  /** Starting workers that are not all ready after this long turns threads off. Default 30,000 ms. */
  startTimeoutMs?: number;
}

/** A started worker, Node's or a browser's. */
interface WorkerHandle {
  terminate(): void;
  /** Resolves once the thread has ended (at once in a browser, which does not say). */
  exited: Promise<void>;
}

interface Pool {
  control: number;
  /** The control block's words (a view that stays valid when the memory grows: shared buffers never detach). */
  c: Int32Array;
  workers: WorkerHandle[];
  /** Resolves once every worker is ready, or the pool failed or stopped (so nothing waits for ever). */
  ready: Promise<void>;
  /** Resolves `ready`. */
  settle: () => void;
  stopping: boolean;
}

const DEFAULT_STALL_MS = 30_000;
const DEFAULT_START_MS = 30_000;
/** Longest single Atomics.wait; between waits the caller checks for failed or exited workers. */
const WAIT_SLICE_MS = 20;
const GEN_MASK = 0x3fffffff;

let pool: Pool | null = null;
let requested = 0;
let configured = false;
let stallTimeoutMs = DEFAULT_STALL_MS;
let reason = "not started: workers start with initBackend('wasm'), setWasmThreads, or the first kernel call";
/** Requests run one after another, so that a pool is never started twice at once. */
let chain: Promise<unknown> = Promise.resolve();

function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const next = chain.then(task, task);
  chain = next.catch(() => undefined);
  return next;
}

/** How many threads the wasm kernels use now, and why. */
export function wasmThreadStats(): WasmThreadStats {
  const workersStarted = pool?.workers.length ?? 0;
  const workersReady = pool === null ? 0 : Math.min(workersStarted, Atomics.load(pool.c, C.READY));
  const why =
    pool !== null && workersReady < workersStarted ? `${reason} (${workersReady} of ${workersStarted} workers ready so far; one thread until then)` : reason;
  const workerChunks = pool === null ? 0 : Atomics.load(pool.c, C.WORKER_CHUNKS);
  return { threads: 1 + workersReady, requested, workersReady, workersStarted, workerChunks, sharedMemory: sharedKernelModule() !== null, reason: why };
}

/**
 * Sets how many threads the wasm kernels run on, the calling thread included: `threads` − 1
 * workers are started (the previous ones stopped first). Default: the number of logical cores
 * (os.availableParallelism() in Node, navigator.hardwareConcurrency in a browser); 1 runs
 * everything on the calling thread. Resolves once the workers are ready, with what was
 * obtained: where threads cannot run (no SharedArrayBuffer, a browser page that is not
 * cross-origin isolated, a browser page's main thread) it is one thread and `reason` says why.
 * Kernels called before it resolves run on the threads ready at that moment. Never rejects
 * once the arguments are valid. More threads than cores are allowed (and give the same results).
 *
 * @example
 * const stats = await setWasmThreads(2);
 * stats.threads; // 2
 * stats.reason; // 'asked for 2 threads'
 */
export function setWasmThreads(threads?: number, options: WasmThreadOptions = {}): Promise<WasmThreadStats> {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new ParameterError('setWasmThreads', 'threads', `threads=${threads} must be an integer >= 1`);
  }
  for (const key of ['stallTimeoutMs', 'startTimeoutMs'] as const) {
    const v = options[key];
    if (v !== undefined && !(v > 0)) throw new ParameterError('setWasmThreads', key, `${key}=${v} must be > 0`);
  }
  configured = true;
  return enqueue(() => configure(threads, options));
}

/** The workers of initBackend('wasm'): started with the default count unless threads were already set; resolves once ready. */
export function ensureWasmThreads(): Promise<WasmThreadStats> {
  return configured ? enqueue(async () => wasmThreadStats()) : setWasmThreads();
}

/** Stops the workers (kernels then run on the calling thread) and resolves once they have ended. */
export function stopWasmThreads(): Promise<void> {
  configured = true;
  return enqueue(async () => {
    await stopPool();
    requested = 1;
    reason = '1 thread: stopped by stopWasmThreads';
  });
}

async function configure(threads: number | undefined, options: WasmThreadOptions): Promise<WasmThreadStats> {
  await stopPool();
  try {
    stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;
    const cores = threads === undefined ? await coreCount() : 0;
    requested = threads ?? cores;
    const asked = threads === undefined ? `default: ${cores} logical cores` : `asked for ${threads} thread${threads === 1 ? '' : 's'}`;
    if (requested === 1) {
      reason = `1 thread: ${asked}`;
      return wasmThreadStats();
    }
    const why = threadsUnavailableReason(threadEnvironment()) ?? (sharedKernelModule() === null ? sharedModuleUnavailableReason() : null);
    if (why !== null) {
      reason = `1 thread: ${why}`;
      return wasmThreadStats();
    }
    const workers = Math.min(requested - 1, C.MAX_WORKERS);
    reason = workers < requested - 1 ? `${asked}, at most ${C.MAX_WORKERS + 1} run` : asked;
    const p = await startPool(workers, options.startTimeoutMs ?? DEFAULT_START_MS);
    await p.ready;
  } catch (err) {
    await stopPool();
    reason = `1 thread: starting worker threads failed: ${String(err)}`;
  }
  return wasmThreadStats();
}

async function startPool(count: number, startTimeoutMs: number): Promise<Pool> {
  const mod = wasmKernels();
  const shared = sharedKernelModule();
  if (shared === null) throw new SegmentsError(sharedModuleUnavailableReason());
  // Never freed: a worker being terminated may still touch it; it is 1.2 KB per pool started.
  const control = mod.alloc(C.CONTROL_BYTES);
  const c = new Int32Array(shared.memory.buffer, control, C.CONTROL_BYTES / 4);
  c.fill(0);
  Atomics.store(c, C.OPEN, -1);
  let readyCount = 0;
  let settle: () => void = () => {};
  const ready = new Promise<void>((resolve) => (settle = resolve));
  const p: Pool = { control, c, workers: [], ready, settle, stopping: false };
  const timer = setTimeout(() => failPool(p, `worker threads were not ready within ${startTimeoutMs} ms`), startTimeoutMs);
  (timer as { unref?: () => void }).unref?.();
  void p.ready.then(() => clearTimeout(timer));
  const events: WorkerEvents = {
    ready: () => {
      if (++readyCount === count) settle();
    },
    failed: (id, message) => failPool(p, `wasm worker ${id} failed: ${message}`),
    exited: (id, code) => {
      if (!p.stopping) failPool(p, `wasm worker ${id} exited unexpectedly (code ${code})`);
    },
  };
  pool = p;
  const init = { module: shared.module, memory: shared.memory, control };
  for (let id = 0; id < count; id++) {
    const worker = await spawn(id, init, events);
    p.workers.push(worker);
    // A failure while this one started (spawn awaits) stopped the others; stop it too.
    if (p.stopping) {
      worker.terminate();
      break;
    }
  }
  return p;
}

interface WorkerEvents {
  ready(): void;
  failed(id: number, message: string): void;
  exited(id: number, code: number): void;
}

interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
}

/** Starts worker `id`: Node's worker_threads (imported on demand, so browser bundles never see it) or a Web Worker. */
async function spawn(id: number, init: WorkerInit, on: WorkerEvents): Promise<WorkerHandle> {
  const onMessage = (m: unknown, ready: () => void): void => {
    const msg = m as { type?: string; message?: string };
    if (msg.type === 'ready') {
      ready();
      on.ready();
    } else if (msg.type === 'error') on.failed(id, String(msg.message));
  };
  if (threadEnvironment().isNode) {
    const spec = 'node:worker_threads'; // a variable specifier: browser bundles leave it alone
    const { Worker } = (await import(/* @vite-ignore */ spec)) as typeof import('node:worker_threads');
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: `segments-wasm-${id}`, execArgv: [] });
    const exited = new Promise<void>((resolve) => {
      worker.on('exit', (code) => {
        resolve();
        on.exited(id, code);
      });
    });
    // Referenced while it starts (an await on its readiness must keep Node running), unref'd once
    // ready (after the listeners are attached: adding a 'message' listener refs the port again).
    worker.on('message', (m) => onMessage(m, () => worker.unref()));
    worker.on('error', (err) => on.failed(id, String(err)));
    worker.postMessage({ ...init, id });
    return { terminate: () => void worker.terminate(), exited };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: `segments-wasm-${id}` });
  worker.onmessage = (e: MessageEvent) => onMessage(e.data, () => URL.revokeObjectURL(url));
  worker.onerror = (e: ErrorEvent) => on.failed(id, e.message || 'the worker script could not run (a Content-Security-Policy forbidding blob: workers?)');
  worker.postMessage({ ...init, id });
  return { terminate: () => worker.terminate(), exited: Promise.resolve() };
}

/** Turns threads off after a failure: the reason stays in the stats until setWasmThreads is called again. */
function failPool(p: Pool, why: string): void {
  if (p.stopping) return;
  p.stopping = true;
  if (pool === p) {
    pool = null;
    reason = `1 thread: ${why}; threads stay off until setWasmThreads is called again`;
  }
  signalStop(p);
  for (const w of p.workers) w.terminate();
  p.settle();
}

function signalStop(p: Pool): void {
  Atomics.store(p.c, C.STOP, 1);
  Atomics.store(p.c, C.GEN, (Atomics.load(p.c, C.GEN) + 1) & GEN_MASK);
  Atomics.notify(p.c, C.GEN);
}

/** Asks the workers to leave, waits up to a second for them to end, then terminates any left. */
async function stopPool(): Promise<void> {
  const p = pool;
  if (p === null) return;
  pool = null;
  p.stopping = true;
  signalStop(p);
  p.settle();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([Promise.all(p.workers.map((w) => w.exited)), late]);
  clearTimeout(timer);
  for (const w of p.workers) w.terminate();
}

/**
 * Runs chunks 0..nChunks−1 of the job at `job` (words in module memory, kind first; see
 * asm/parallel.ts) on the calling thread and the ready workers, and returns once all are done.
 * With one chunk, or no ready worker, the calling thread runs them in order by itself. `what`
 * names the kernel in errors. Starts the workers (in the background) if nothing did yet.
 */
export function runChunks(mod: KernelExports, job: number, nChunks: number, what: string): void {
  if (!configured) void setWasmThreads();
  const p = pool;
  if (p === null || nChunks < 2 || Atomics.load(p.c, C.READY) === 0) {
    for (let i = 0; i < nChunks; i++) mod.runChunk(job, i);
    return;
  }
  runParallel(p, mod, job, nChunks, what, false);
}

/**
 * For tests only: runs a job on the ready workers alone (the calling thread claims no chunk and
 * only waits), so that a test can make a worker fail (a job that traps, or the FAULT_* codes of
 * control.ts as `job`) and check the error. Throws when no worker is ready.
 */
export function runChunksOnWorkersForTest(job: number, nChunks: number): void {
  const p = pool;
  if (p === null || Atomics.load(p.c, C.READY) === 0) throw new SegmentsError('runChunksOnWorkersForTest: no worker is ready');
  runParallel(p, wasmKernels(), job, nChunks, 'test job', true);
}

/** A failure seen while waiting; `stalled` when no worker made progress (a stuck worker will not leave the job either). */
class WorkerFailure extends SegmentsError {
  constructor(
    message: string,
    readonly stalled: boolean,
  ) {
    super(message);
  }
}

function runParallel(p: Pool, mod: KernelExports, job: number, n: number, what: string, workersOnly: boolean): void {
  const c = p.c;
  Atomics.store(c, C.NCHUNKS, n);
  Atomics.store(c, C.JOB, job);
  Atomics.store(c, C.NEXT, 0);
  Atomics.store(c, C.DONE, 0);
  const gen = (Atomics.load(c, C.GEN) + 1) & GEN_MASK;
  Atomics.store(c, C.OPEN, gen);
  Atomics.store(c, C.GEN, gen);
  Atomics.notify(c, C.GEN);
  let failure: unknown = null;
  try {
    if (!workersOnly) {
      for (let i; (i = Atomics.add(c, C.NEXT, 1)) < n; ) {
        mod.runChunk(job, i);
        Atomics.add(c, C.DONE, 1);
      }
    }
    waitFor(p, C.DONE, n, what, true);
  } catch (err) {
    failure = err;
    Atomics.store(c, C.NEXT, n + (1 << 24)); // no one claims another chunk
  }
  // Closed, then no worker inside: only then may the caller free the job's memory or write the next job.
  Atomics.store(c, C.OPEN, -1);
  if (!(failure instanceof WorkerFailure && failure.stalled)) {
    try {
      waitFor(p, C.JOINED, 0, what, failure === null);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== null) {
    if (failure instanceof WorkerFailure || Atomics.load(c, C.ERROR) !== 0) {
      const message = failure instanceof Error ? failure.message : String(failure);
      failPool(p, message);
      if (failure instanceof WorkerFailure) {
        throw new SegmentsError(`${message}; the wasm kernels run on one thread until setWasmThreads is called again`, { cause: failure });
      }
    }
    throw failure;
  }
}

/** Blocks until c[word] = target, in slices, checking for failed workers between slices (when `check`). */
function waitFor(p: Pool, word: number, target: number, what: string, check: boolean): void {
  const c = p.c;
  let seen = Atomics.load(c, word);
  let since = performance.now();
  while (seen !== target) {
    if (check) checkWorkers(p, what);
    Atomics.wait(c, word, seen, WAIT_SLICE_MS);
    const now = Atomics.load(c, word);
    if (now !== seen) {
      seen = now;
      since = performance.now();
    } else if (performance.now() - since > stallTimeoutMs) {
      const busy = p.workers.map((_, w) => Atomics.load(c, C.BUSY + w)).flatMap((b, w) => (b > 0 ? [`worker ${w} on chunk ${b - 1}`] : []));
      throw new WorkerFailure(
        `${what}: the wasm worker threads made no progress for ${stallTimeoutMs} ms (${busy.join(', ') || 'no worker busy'}, ` +
          `${Atomics.load(c, C.DONE)} of ${Atomics.load(c, C.NCHUNKS)} chunks done)`,
        true,
      );
    }
  }
}

function checkWorkers(p: Pool, what: string): void {
  const c = p.c;
  const failed = Atomics.load(c, C.ERROR);
  if (failed > 0) {
    const units = new Uint16Array(c.buffer, p.control + C.MESSAGE * 4, Atomics.load(c, C.ERROR_LENGTH));
    const message = String.fromCharCode(...units);
    throw new WorkerFailure(`${what}: wasm worker ${failed - 1} failed on chunk ${Atomics.load(c, C.ERROR_CHUNK)}: ${message}`, false);
  }
  for (let w = 0; w < p.workers.length; w++) {
    const busy = Atomics.load(c, C.BUSY + w);
    if (busy > 0 && Atomics.load(c, C.EXITED + w) !== 0) {
      throw new WorkerFailure(`${what}: wasm worker ${w} exited while it ran chunk ${busy - 1}`, false);
    }
  }
}
