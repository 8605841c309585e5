// SPDX-License-Identifier: MIT
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, expect } from 'vitest';
import { ParameterError, SegmentsError } from '../../../src/errors.js';
import { FAULT_EXIT, FAULT_HANG } from '../../../src/kernels/wasm/control.js';
import { threadEnvironment, threadsUnavailableReason, type ThreadEnvironment } from '../../../src/kernels/wasm/environment.js';
import { clearWasmData, sharedKernelModule, wasmKernels } from '../../../src/kernels/wasm/kernelModule.js';
import { lloydStepWasm } from '../../../src/kernels/lloydStep/wasm.js';
import { runChunksOnWorkersForTest, setWasmThreads, stopWasmThreads, wasmThreadStats } from '../../../src/kernels/wasm/threads.js';
import { describeEachBackend, it } from '../../helpers/backends.js';

const node: ThreadEnvironment = { isNode: true, sharedArrayBuffer: true, crossOriginIsolated: undefined, atomicsWait: true, workers: true };

/** Labels and counts of one lloydStepWasm call on a fixed block, disposed. */
async function step(): Promise<{ labels: number[]; counts: number[] }> {
  const x = tf.tensor2d(Float32Array.from({ length: 3000 * 3 }, (_, i) => (i * 31) % 17), [3000, 3]);
  const c = tf.tensor2d([0, 0, 0, 16, 16, 16], [2, 3]);
  const out = lloydStepWasm(x, c, null);
  const got = { labels: Array.from(await out.labels.data()), counts: Array.from(await out.counts.data()) };
  tf.dispose([x, c, out.labels, out.distances, out.counts, out.sums]);
  return got;
}

/** A job whose kind is 0: asm/parallel.ts's runChunk traps (unreachable) on it. */
function trappingJob(): number {
  const mod = wasmKernels();
  const job = mod.alloc(16);
  new Int32Array(mod.memory.buffer, job, 4).fill(0);
  return job;
}

describeEachBackend(
  'wasm kernels on worker threads',
  () => {
    afterAll(async () => {
      await setWasmThreads();
    });

    it('threadsUnavailableReason says why threads cannot run: no isolation, a page main thread, no SharedArrayBuffer', () => {
      expect(threadsUnavailableReason(node)).toBeNull();
      const page = { ...node, isNode: false, crossOriginIsolated: true };
      expect(threadsUnavailableReason({ ...page, atomicsWait: false })).toMatch(/main thread.*Web Worker/);
      expect(threadsUnavailableReason({ ...page, crossOriginIsolated: false })).toMatch(/cross-origin isolated.*Cross-Origin-Opener-Policy/);
      expect(threadsUnavailableReason({ ...page, sharedArrayBuffer: false, crossOriginIsolated: false })).toMatch(/cross-origin isolated/);
      expect(threadsUnavailableReason({ ...node, sharedArrayBuffer: false })).toMatch(/no SharedArrayBuffer/);
      expect(threadsUnavailableReason({ ...page, workers: false })).toMatch(/no Worker/);
      expect(threadsUnavailableReason(page)).toBeNull();
      expect(threadsUnavailableReason(threadEnvironment()), 'Node here').toBeNull();
    });

    it('setWasmThreads starts n − 1 workers on the shared memory and says so; 1 is the calling thread alone', async () => {
      expect(sharedKernelModule(), 'the module runs on a shared memory in Node').not.toBeNull();
      const three = await setWasmThreads(3);
      expect(three).toMatchObject({ threads: 3, requested: 3, workersReady: 2, workersStarted: 2, sharedMemory: true });
      expect(three.reason).toBe('asked for 3 threads');
      const one = await setWasmThreads(1);
      expect(one).toMatchObject({ threads: 1, requested: 1, workersStarted: 0 });
      expect(one.reason).toMatch(/asked for 1 thread/);
      const byDefault = await setWasmThreads();
      expect(byDefault.requested).toBeGreaterThanOrEqual(1);
      expect(byDefault.threads).toBe(byDefault.requested);
      expect(byDefault.reason).toMatch(/default: \d+ logical cores/);
      expect(() => setWasmThreads(0)).toThrow(ParameterError);
      expect(() => setWasmThreads(1.5)).toThrow(/threads=1.5 must be an integer >= 1/);
      expect(() => setWasmThreads(2, { stallTimeoutMs: 0 })).toThrow(ParameterError);
    });

    it('workers see the memory grown after they started, and starting workers leaves the cached blocks intact', async () => {
      clearWasmData();
      await setWasmThreads(3); // workers start on the memory as it is now
      const before = wasmKernels().memory.buffer.byteLength;
      const blockRows = Math.ceil((before + 2 ** 20) / 32); // its copy cannot fit the memory as it is
      const x = tf.tensor2d(Float32Array.from({ length: blockRows * 8 }, (_, i) => ((i * 2654435761) >>> 0) / 2 ** 32), [blockRows, 8]);
      const c = tf.tensor2d(Float32Array.from({ length: 5 * 8 }, (_, i) => ((i * 40503) % 97) / 97), [5, 8]);
      const once = async (): Promise<number[]> => {
        const out = lloydStepWasm(x, c, null);
        const got = [...(await out.labels.data()), ...(await out.sums.data())];
        tf.dispose([out.labels, out.distances, out.counts, out.sums]);
        return got;
      };
      try {
        const grown = await once(); // copying the block grows the memory under the running workers
        expect(wasmKernels().memory.buffer.byteLength).toBeGreaterThan(before);
        expect(wasmThreadStats().threads).toBe(3);
        await setWasmThreads(2); // new workers instantiate the module again on the same memory
        // The block's one copy, [ceil(t/4), 8, 4] float32, is still cached; freeing it makes the next call copy again.
        expect(clearWasmData(), 'the cached copy of the block is still there').toBe(Math.ceil(blockRows / 4) * 8 * 4 * 4);
        const again = await once(); // a new copy, made under the new workers
        await setWasmThreads(1);
        const reference = await once(); // reads the copy made before this restart
        expect(grown).toEqual(reference);
        expect(again).toEqual(reference);
      } finally {
        tf.dispose([x, c]);
        clearWasmData();
      }
    });

    it('stopWasmThreads ends the workers; kernels then run on one thread with the same results', async () => {
      await setWasmThreads(2);
      const threaded = await step();
      await stopWasmThreads();
      expect(wasmThreadStats()).toMatchObject({ threads: 1, workersStarted: 0, reason: '1 thread: stopped by stopWasmThreads' });
      expect(await step()).toEqual(threaded);
    });

    it('a worker whose chunk traps makes the call throw a SegmentsError naming it, and threads go off until set again', async () => {
      await setWasmThreads(2);
      const reference = await step();
      const job = trappingJob();
      try {
        expect(() => runChunksOnWorkersForTest(job, 4)).toThrow(SegmentsError);
        expect(() => runChunksOnWorkersForTest(job, 4), 'the pool is gone after a failure').toThrow(/no worker is ready/);
      } finally {
        wasmKernels().free(job);
      }
      const stats = wasmThreadStats();
      expect(stats.threads).toBe(1);
      expect(stats.reason).toMatch(/test job: wasm worker 0 failed on chunk \d: RuntimeError: unreachable.*until setWasmThreads is called again/);
      expect(await step(), 'kernels still run, on one thread').toEqual(reference);
      expect((await setWasmThreads(2)).threads).toBe(2);
      expect(await step()).toEqual(reference);
    });

    it('the error says what failed: the trap message as thrown', async () => {
      await setWasmThreads(3);
      const job = trappingJob();
      try {
        runChunksOnWorkersForTest(job, 8);
        expect.unreachable('the job traps');
      } catch (err) {
        expect(err).toBeInstanceOf(SegmentsError);
        expect((err as Error).message).toMatch(/^test job: wasm worker [01] failed on chunk [0-7]: RuntimeError: unreachable/);
      } finally {
        wasmKernels().free(job);
      }
    });

    it('a worker that exits while it holds a chunk gives a SegmentsError, not a hang', async () => {
      await setWasmThreads(2, { stallTimeoutMs: 60_000 });
      const t0 = performance.now();
      expect(() => runChunksOnWorkersForTest(FAULT_EXIT, 3)).toThrow(/test job: wasm worker 0 exited while it ran chunk 0/);
      // Found through the worker's exit mark, long before the stall limit.
      expect(performance.now() - t0).toBeLessThan(60_000);
      expect(wasmThreadStats().threads).toBe(1);
    });

    it('a worker that stops making progress gives a SegmentsError after the stall limit, not a hang', async () => {
      await setWasmThreads(2, { stallTimeoutMs: 300 });
      expect(() => runChunksOnWorkersForTest(FAULT_HANG, 3)).toThrow(/made no progress for 300 ms \(worker 0 on chunk 0, 0 of 3 chunks done\)/);
      expect(wasmThreadStats().reason).toMatch(/no progress/);
      await setWasmThreads(2);
      expect((await step()).counts.length).toBe(4);
    });

    it('the workers never keep Node alive: a process that used them exits by itself, with or without stopWasmThreads', () => {
      const probe = fileURLToPath(new URL('./threadsExitProbe.ts', import.meta.url));
      const root = fileURLToPath(new URL('../../../', import.meta.url));
      for (const args of [[], ['stop']]) {
        const child = spawnSync(process.execPath, ['--import', 'tsx', probe, ...args], { cwd: root, encoding: 'utf8', timeout: 90_000 });
        expect(child.error, `the probe ${args.join(' ')} did not exit by itself within 90 s`).toBeUndefined();
        expect(child.status, child.stderr).toBe(0);
        const line = child.stdout.split('\n').find((l) => l.startsWith('PROBE '));
        expect(line, child.stdout).toBeDefined();
        const report = JSON.parse((line as string).slice(6)) as { started: { threads: number }; counts: number[]; after: { workersStarted: number } };
        expect(report.started.threads).toBe(3);
        expect(report.counts.slice(0, 2).reduce((a, b) => a + b)).toBe(4000);
        expect(report.after.workersStarted).toBe(args.length === 0 ? 2 : 0);
      }
    });
  },
  ['wasm'],
);
