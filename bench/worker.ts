// SPDX-License-Identifier: MIT
/**
 * One measurement of ours, in its own process so that its peak RSS is this task's alone.
 * Started by bench/run.ts as `node --import tsx bench/worker.ts <task> --backend ... --x ...`.
 * Prints progress on stderr and one line `BENCH_RESULT {json}` on stdout.
 *
 * Tasks:
 *   kmeans      warm-up fit (maxIter 1, discarded), then --repeats pairs of timed fits, one with
 *               maxIter 1 and one with maxIter = --max-iter, all from the same given centers, tol
 *               as given; the medians are reported, every sample is kept.
 *   kmeans-default  `new KMeans({ k, seed })`: the library's default fit (k-means++, default nInit,
 *               tol, refine), --repeats timed fits with seeds 1..repeats, no warm-up beyond the
 *               first; `--refine off` for the same with refine: false.
 *   silhouette  silhouetteScore(X, labels), exact, timed once.
 *   probe       starts the backend only and reports what it is.
 *
 * On a software WebGPU adapter (SwiftShader) nothing is timed: the result says it is not
 * measurable, because a CPU emulation's times say nothing about GPU speed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/backend/backend.js';
import { KMeans } from '../src/algorithms/kmeans.js';
import { silhouetteScore } from '../src/metrics/silhouette.js';
import { setWasmThreads } from '../src/kernels/wasm/threads.js';
import { readDataset } from './data.js';
import { parseFlags } from './flags.js';

const RESULT_PREFIX = 'BENCH_RESULT ';

/** tfjs-wasm's memory can grow to 4 GiB − 64 KiB (its getHeapMax) and never shrinks. */
const WASM_HEAP_MAX = 4294901760;

interface Peak {
  sampledRssBytes: number;
  /** Size of the wasm backend's memory at the last sample (it only grows); null off wasm. */
  wasmHeapBytes: number | null;
  stop(): void;
}

/** Size of the wasm backend's linear memory, when the wasm backend is running. */
function wasmHeapBytes(): number | null {
  try {
    if (tf.getBackend() !== 'wasm') return null;
    const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
    return heap?.length ?? null;
  } catch {
    return null; // the backend is still starting
  }
}

/** Samples RSS every `ms` ms (only runs between awaited device reads; maxRSS is the real peak). */
function sampleRss(ms: number): Peak {
  const peak: Peak = {
    sampledRssBytes: process.memoryUsage.rss(),
    wasmHeapBytes: null,
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    peak.sampledRssBytes = Math.max(peak.sampledRssBytes, process.memoryUsage.rss());
    peak.wasmHeapBytes = wasmHeapBytes() ?? peak.wasmHeapBytes;
  }, ms);
  timer.unref();
  return peak;
}

let activePeak: Peak | null = null;

function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const [task, ...rest] = process.argv.slice(2);
  const f = parseFlags(rest);
  const backend = (f.str('backend') ?? 'wasm') as BackendName;
  const peak = sampleRss(100);
  activePeak = peak;
  const warnings: string[] = [];
  const onWarning = (m: string): void => {
    warnings.push(m);
  };

  const info = await initBackend(backend, { strict: true, onWarning });
  // Our wasm kernels run on worker threads: give them as many threads as scikit-learn gets
  // (run.ts passes --threads to both sides through OMP_NUM_THREADS).
  const wantThreads = Number(process.env.OMP_NUM_THREADS ?? '') || undefined;
  const wasmThreads = info.name === 'wasm' ? await setWasmThreads(wantThreads) : null;
  // run.ts --no-lloyd-bounds: every Lloyd iteration scans every row (KMeans' lloydBounds option).
  const lloydBounds = process.env.SEGMENTS_BENCH_LLOYD_BOUNDS !== '0';
  const env = tf.env();
  const backendFacts = {
    backend: info.name,
    tfjsVersion: tf.version_core,
    wasmSimd: info.name === 'wasm' ? env.getBool('WASM_HAS_SIMD_SUPPORT') : null,
    wasmMultithread: info.name === 'wasm' ? env.getBool('WASM_HAS_MULTITHREAD_SUPPORT') : null,
    // Threads our kernels ran on (tfjs-wasm's own kernels stay on one thread in Node).
    threads: wasmThreads !== null ? wasmThreads.threads : info.name === 'cpu' ? 1 : null,
    threadsReason: wasmThreads?.reason ?? null,
    lloydBounds: info.name === 'wasm' ? lloydBounds : null,
    adapter: info.device.adapter,
    isSoftwareAdapter: info.device.isSoftwareAdapter,
    memoryBudgetBytes: info.device.memoryBudgetBytes,
  };
  const base = { side: 'ours', task, ...backendFacts, warnings };

  if (info.device.isSoftwareAdapter) {
    const a = info.device.adapter;
    emit({ ...base, status: 'not-measurable', reason: `not measurable on a software adapter (${a?.vendor} ${a?.architecture})` });
    return;
  }
  if (task === 'probe') {
    emit({ ...base, status: 'ok' });
    return;
  }

  const n = f.int('n');
  const d = f.int('d');
  const k = f.int('k');
  const loadStart = performance.now();
  const data = readDataset({ xPath: f.req('x'), labelsPath: f.req('labels'), initPath: f.req('init') }, n, d, k);
  const loadMs = performance.now() - loadStart;
  const x = { data: data.x, rows: n, cols: d };
  const rssBeforeTaskBytes = process.memoryUsage.rss();

  if (task === 'kmeans') {
    const maxIter = f.int('max-iter');
    const tol = f.num('tol');
    const init = { data: data.init, rows: k, cols: d };
    // scikit-learn's Lloyd exactly: no post-Lloyd refinement, where the library has one (it is a
    // spread, not a literal field, so this compiles whether or not KMeansOptions has `refine`).
    const equalWork = { refine: false };
    const fit = async (iters: number) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await new KMeans({ ...equalWork, k, init, maxIter: iters, tol, lloydBounds, onWarning }).fit(x);
      return { ms: performance.now() - t0, cpuMs: cpuMsSince(c0), r };
    };
    const repeats = f.int('repeats', 1);
    process.stderr.write(`ours kmeans n=${n} ${info.name}: warm-up\n`);
    await fit(1);
    // Pairs of (1 iteration, maxIter) fits; the medians make the figures robust to a moment of
    // other work on the machine.
    const ones: Array<Awaited<ReturnType<typeof fit>>> = [];
    const fulls: Array<Awaited<ReturnType<typeof fit>>> = [];
    for (let rep = 0; rep < repeats; rep++) {
      ones.push(await fit(1));
      fulls.push(await fit(maxIter));
      process.stderr.write(`ours kmeans n=${n} ${info.name}: repeat ${rep + 1}/${repeats}: 1 iteration ${ones[rep].ms.toFixed(0)} ms, maxIter=${maxIter} ${fulls[rep].ms.toFixed(0)} ms\n`);
    }
    const one = median(ones);
    const full = median(fulls);
    const extra = full.r.nIter - one.r.nIter;
    emit({
      ...base,
      status: 'ok',
      n,
      d,
      k,
      maxIter,
      tol,
      repeats,
      loadMs,
      timeMs: full.ms,
      cpuMs: full.cpuMs,
      fitMsSamples: fulls.map((x) => x.ms),
      oneIterFitMsSamples: ones.map((x) => x.ms),
      nIter: full.r.nIter,
      converged: full.r.converged,
      msPerIterAverage: full.ms / full.r.nIter,
      oneIterFitMs: one.ms,
      oneIterNIter: one.r.nIter,
      // Median over the pairs of (maxIter fit − 1-iteration fit) / extra iterations.
      msPerIterMarginal: extra > 0 ? median(fulls.map((p, i) => ({ ms: (p.ms - ones[i].ms) / extra }))).ms : null,
      inertia: full.r.inertia,
      options: equalWork,
      refineMoves: (full.r as { refineMoves?: number }).refineMoves ?? null,
      computedOn: full.r.backend,
      rssBeforeTaskBytes,
      ...finish(peak),
      // Drop the "did not converge" warnings: with tol 0 and maxIter 20 they are expected.
      warnings: warnings.filter((w) => !/did not converge/.test(w)),
    });
  } else if (task === 'kmeans-default') {
    const repeats = f.int('repeats', 1);
    const refine = f.str('refine') !== 'off';
    const samples: Array<{ ms: number; cpuMs: number; inertia: number } & Record<string, unknown>> = [];
    for (let rep = 1; rep <= repeats; rep++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const runs: number[] = [];
      const r = await new KMeans({ k, seed: rep, refine, lloydBounds, onWarning, onRun: (p) => runs.push(p.inertia) }).fit(x);
      const ms = performance.now() - t0;
      samples.push({ seed: rep, ms, cpuMs: cpuMsSince(c0), inertia: r.inertia, runInertias: runs, nIter: r.nIter, refineMoves: r.refineMoves, refineStopped: r.refineStopped });
      process.stderr.write(`ours kmeans-default n=${n} refine=${refine} seed ${rep}: ${ms.toFixed(0)} ms, inertia ${r.inertia}, ${runs.length} runs, refine ${r.refineStopped} (${r.refineMoves} moves)\n`);
    }
    const mid = median(samples);
    emit({ ...base, status: 'ok', n, d, k, repeats, refine, loadMs, timeMs: mid.ms, cpuMs: mid.cpuMs, inertia: mid.inertia, samples, rssBeforeTaskBytes, ...finish(peak) });
  } else if (task === 'silhouette') {
    process.stderr.write(`ours silhouette n=${n} ${info.name}: running\n`);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const value = await silhouetteScore(x, data.labels);
    const ms = performance.now() - t0;
    emit({ ...base, status: 'ok', n, d, k, loadMs, timeMs: ms, cpuMs: cpuMsSince(c0), value, computedOn: tf.getBackend(), rssBeforeTaskBytes, ...finish(peak) });
  } else {
    throw new Error(`bench worker: unknown task '${task}' (kmeans, kmeans-default, silhouette, probe)`);
  }
}

/** The sample with the median time (the upper median for an even count). */
function median<T extends { ms: number }>(samples: T[]): T {
  return [...samples].sort((p, q) => p.ms - q.ms)[Math.floor(samples.length / 2)];
}

/** User + system CPU time of this process since `start`, ms (all threads). */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

function finish(peak: Peak): {
  peakRssBytes: number;
  sampledPeakRssBytes: number;
  maxRssBytes: number;
  wasmHeapBytes: number | null;
} {
  peak.stop();
  const sampled = Math.max(peak.sampledRssBytes, process.memoryUsage.rss());
  const maxRss = process.resourceUsage().maxRSS * 1024; // kilobytes on Linux
  const heap = wasmHeapBytes() ?? peak.wasmHeapBytes;
  return { peakRssBytes: Math.max(sampled, maxRss), sampledPeakRssBytes: sampled, maxRssBytes: maxRss, wasmHeapBytes: heap };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    const mem = activePeak === null ? null : finish(activePeak);
    let reason = String((err as Error)?.stack ?? err);
    const heap = mem?.wasmHeapBytes ?? null;
    if (heap !== null && heap > 0.9 * WASM_HEAP_MAX) {
      const [first, ...rest] = reason.split('\n');
      reason = [`${first} [the wasm heap had grown to ${(heap / 2 ** 20).toFixed(0)} MB of its ${(WASM_HEAP_MAX / 2 ** 20).toFixed(0)} MB maximum: out of memory]`, ...rest].join('\n');
    }
    emit({ side: 'ours', task: process.argv[2], status: 'error', reason, ...(mem ?? {}) });
    process.exit(1);
  },
);
