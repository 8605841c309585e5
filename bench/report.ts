// SPDX-License-Identifier: MIT
/** The bench's result record, and its rendering as a markdown report. */

export type TaskStatus = 'ok' | 'timeout' | 'error' | 'not-run' | 'not-measurable';

/** One side (ours or scikit-learn) of one task. Times in ms, memory in bytes. */
export interface Measurement {
  status: TaskStatus;
  /** Why it is not 'ok'. */
  reason?: string;
  /** Wall time of the task itself (data loading and start-up excluded). */
  timeMs?: number;
  /** CPU time (user + system, all threads) of the same span: with T threads busy it is about
   * T × timeMs; far below that means the process waited for a core (a loaded machine). */
  cpuMs?: number;
  /** The machine's 1-minute load average when the task ended. */
  loadAverage1m?: number;
  nIter?: number;
  /** fit time / nIter. */
  msPerIterAverage?: number;
  /** Median over repeats of (fit(maxIter) − fit(1 iteration)) / (nIter − 1): the cost of one more
   * Lloyd iteration without the fixed costs of a fit (see marginalPerIter). */
  msPerIterMarginal?: number | null;
  inertia?: number;
  /** Silhouette score. */
  value?: number;
  /** Peak RSS of the worker process (its own report, or /proc VmHWM polled by run.ts). */
  peakRssBytes?: number | null;
  /** Threads the side computed with. */
  threads?: number | null;
  /** Wall time of the worker process, start-up and data loading included. */
  processMs?: number;
  /** For a task not run or timed out: its time scaled from a smaller run, with the basis. */
  estimateMs?: number;
  estimateBasis?: string;
  /** Everything the worker reported. */
  raw?: Record<string, unknown> | null;
}

export interface KMeansRow {
  n: number;
  d: number;
  k: number;
  backend: string;
  ours: Measurement;
  sklearn: Measurement;
  /** sklearn time / ours time: above 1 means ours is faster. */
  ratio: number | null;
  /** sklearn ms per iteration / ours (marginal figures): above 1 means ours is faster. */
  ratioPerIter: number | null;
  /** |ours − sklearn| / sklearn inertia: near 0 when both did the same work. */
  inertiaRelDiff: number | null;
}

export interface SilhouetteRow {
  n: number;
  d: number;
  k: number;
  backend: string;
  ours: Measurement;
  sklearn: Measurement;
  ratio: number | null;
  /** |ours − sklearn| silhouette. */
  valueAbsDiff: number | null;
}

export interface Target {
  name: string;
  measured: string;
  status: 'met' | 'not met' | 'not measured' | 'info';
}

export interface BenchResults {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  command: string;
  config: {
    sizes: number[];
    silhouetteSizes: number[];
    sklearnSilhouetteMax: number;
    backends: string[];
    threads: number;
    d: number;
    k: number;
    maxIter: number;
    tol: number;
    /** Timed k-means fit pairs per side (medians reported); absent in results before it existed. */
    repeats?: number;
    seed: number;
    std: number;
    centerBox: number;
    maxMinutes: number;
    quick: boolean;
    tag: string | null;
    /** Ours skipped rows by Hamerly bounds in Lloyd's iterations (wasm); absent in results before it existed (then: no bounds). */
    lloydBounds?: boolean;
  };
  machine: {
    cpuModel: string;
    cores: number;
    totalMemoryBytes: number;
    platform: string;
    nodeVersion: string;
    tfjsVersion: string | null;
    wasmSimd: boolean | null;
    wasmMultithread: boolean | null;
    python: Record<string, unknown> | null;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  source: { commit: string | null; uncommittedSrcFiles: string[]; srcSha256: string; label: string | null };
  threads: { ours: number | null; oursNote: string; sklearn: number; sklearnNote: string };
  kmeans: KMeansRow[];
  silhouette: SilhouetteRow[];
  targets: Target[];
}

const MB = 1024 * 1024;

function secs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  const s = ms / 1000;
  return s < 1 ? s.toFixed(3) : s < 100 ? s.toFixed(2) : s.toFixed(0);
}

function msFmt(ms: number | null | undefined): string {
  if (ms === undefined || ms === null) return '–';
  return ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0);
}

function mem(bytes: number | null | undefined): string {
  return bytes === undefined || bytes === null ? '–' : `${(bytes / MB).toFixed(0)} MB`;
}

/**
 * True when a task kept clearly fewer cores busy than it has threads, i.e. it waited for a core
 * that other work held. Only for tasks whose every step runs on all their threads: ours (one
 * thread) and scikit-learn's k-means (OpenMP); its silhouette has single-threaded numpy steps.
 */
export function contended(m: Measurement, fullyParallel: boolean): boolean {
  if (m.status !== 'ok' || m.cpuMs === undefined || m.timeMs === undefined || m.timeMs <= 0) return false;
  const threads = fullyParallel ? (m.threads ?? 1) : 1;
  return m.cpuMs / m.timeMs < 0.8 * threads;
}

/** CPU time / wall time of each side, e.g. "0.98 / 1.91": how many cores each kept busy. */
function busy(o: Measurement, s: Measurement, sklearnParallel: boolean): string {
  const one = (m: Measurement, parallel: boolean): string =>
    m.cpuMs !== undefined && m.timeMs !== undefined && m.timeMs > 0
      ? `${(m.cpuMs / m.timeMs).toFixed(2)}${contended(m, parallel) ? ' ⚠' : ''}`
      : '–';
  return `${one(o, true)} / ${one(s, sklearnParallel)}`;
}

function ratio(r: number | null): string {
  return r === null ? '–' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

export function sizeLabel(n: number): string {
  const e = Math.log10(n);
  if (Number.isInteger(e)) return `10^${e}`;
  return n.toLocaleString('en-US');
}

/** A time cell: the time, or what happened instead (with a footnote number for the reason). */
function timeCell(m: Measurement, notes: string[]): string {
  if (m.status === 'ok') return secs(m.timeMs);
  if (m.status === 'not-measurable') return m.reason ?? 'not measurable on a software adapter';
  const label = m.status === 'timeout' ? 'timed out' : m.status === 'not-run' ? 'not run' : 'error';
  const est = m.estimateMs !== undefined ? ` (est. ${estimate(m.estimateMs)})` : '';
  if (m.reason !== undefined) {
    notes.push(`${m.reason}${m.estimateBasis !== undefined ? `; estimate: ${m.estimateBasis}` : ''}`);
    return `${label}${est} [${notes.length}]`;
  }
  return `${label}${est}`;
}

function estimate(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const py = (m.python ?? {}) as Record<string, unknown>;
  const pools = (py.threadpools as Array<Record<string, unknown>> | undefined) ?? [];
  const blas = pools.find((p) => p.user_api === 'blas');
  const c = r.config;
  const out: string[] = [];
  out.push(`# k-means and silhouette: segments vs scikit-learn`);
  out.push('');
  out.push(`Run ${r.startedAt} → ${r.finishedAt}${c.quick ? ' (quick run)' : ''}${c.tag ? ` (tag: ${c.tag})` : ''}. \`${r.command}\``);
  out.push('');
  out.push('## Machine');
  out.push('');
  out.push(`- CPU: ${m.cpuModel}, ${m.cores} logical cores; memory ${(m.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB; ${m.platform}`);
  out.push(`- Node ${m.nodeVersion}; tfjs ${m.tfjsVersion ?? '?'} (wasm SIMD: ${m.wasmSimd}, wasm multithread: ${m.wasmMultithread})`);
  out.push(
    `- Python ${py.python ?? '?'}: scikit-learn ${py.sklearn ?? '?'}, numpy ${py.numpy ?? '?'}, scipy ${py.scipy ?? '?'}` +
      (blas !== undefined ? `; BLAS ${blas.internal_api} ${blas.version} (${blas.architecture})` : ''),
  );
  out.push(`- Threads: ours ${r.threads.ours ?? '?'} (${r.threads.oursNote}); scikit-learn ${r.threads.sklearn} (${r.threads.sklearnNote})`);
  out.push(
    `- Lloyd's iterations, ours on wasm: ${c.lloydBounds === true ? 'rows whose nearest center provably stays are skipped (Hamerly bounds in lloydSums; the same labels and sums as a full scan; `--no-lloyd-bounds` turns it off)' : 'every row scanned in every iteration'}; scikit-learn: algorithm='lloyd', every row`,
  );
  out.push(`- Load average at start ${m.loadAverageStart.map((x) => x.toFixed(2)).join(', ')}, at end ${m.loadAverageEnd.map((x) => x.toFixed(2)).join(', ')} (other work on the machine makes times noisy)`);
  const dirty = r.source.uncommittedSrcFiles.length;
  const commit = r.source.commit !== null ? `commit ${r.source.commit.slice(0, 12)}${dirty > 0 ? ` with ${dirty} uncommitted file(s) under src/` : ''}; ` : '';
  out.push(`- Source: ${r.source.label !== null ? `${r.source.label}; ` : ''}${commit}src sha256 ${r.source.srcSha256.slice(0, 12)}`);
  out.push(
    `- Data: Gaussian blobs, d = ${c.d}, ${c.k} centers uniform in [−${c.centerBox}, ${c.centerBox}]^d, std ${c.std}, seed ${c.seed}` +
      ' (bench/data.ts); both sides read the same float32 files.',
  );
  out.push('');

  const notes: string[] = [];
  if (r.kmeans.length > 0) {
    out.push(`## k-means (Lloyd), d = ${c.d}, k = ${c.k}, nInit = 1, maxIter = ${c.maxIter}, tol = ${c.tol}, same initial centers`);
    out.push('');
    out.push('| n | backend | ours fit (s) | sklearn fit (s) | ratio | ours ms/iter | sklearn ms/iter | ratio/iter | nIter ours / sklearn | inertia rel. diff | peak RSS ours | peak RSS sklearn | cpu/wall ours / sklearn |');
    out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const row of r.kmeans) {
      const o = row.ours;
      const s = row.sklearn;
      out.push(
        `| ${sizeLabel(row.n)} | ${row.backend} | ${timeCell(o, notes)} | ${timeCell(s, notes)} | ${ratio(row.ratio)} | ` +
          `${msFmt(o.msPerIterMarginal)} | ${msFmt(s.msPerIterMarginal)} | ${ratio(row.ratioPerIter)} | ` +
          `${o.nIter ?? '–'} / ${s.nIter ?? '–'} | ${row.inertiaRelDiff === null ? '–' : row.inertiaRelDiff.toExponential(1)} | ` +
          `${mem(o.peakRssBytes)} | ${mem(s.peakRssBytes)} | ${busy(o, s, true)} |`,
      );
    }
    out.push('');
  }
  if (r.silhouette.length > 0) {
    out.push(`## Silhouette (exact, all n² pairs), d = ${c.d}, ${c.k} clusters (the true blob labels)`);
    out.push('');
    out.push('| n | backend | ours (s) | sklearn (s) | ratio | ours value | sklearn value | abs. diff | peak RSS ours | peak RSS sklearn | cpu/wall ours / sklearn |');
    out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const row of r.silhouette) {
      const o = row.ours;
      const s = row.sklearn;
      out.push(
        `| ${sizeLabel(row.n)} | ${row.backend} | ${timeCell(o, notes)} | ${timeCell(s, notes)} | ${ratio(row.ratio)} | ` +
          `${o.value?.toFixed(6) ?? '–'} | ${s.value?.toFixed(6) ?? '–'} | ${row.valueAbsDiff === null ? '–' : row.valueAbsDiff.toExponential(1)} | ` +
          `${mem(o.peakRssBytes)} | ${mem(s.peakRssBytes)} | ${busy(o, s, false)} |`,
      );
    }
    out.push('');
  }
  if (notes.length > 0) {
    notes.forEach((note, i) => out.push(`[${i + 1}] ${note.replace(/\n/g, ' ')}  `));
    out.push('');
  }
  if (r.targets.length > 0) {
    out.push('## Targets of the next issue');
    out.push('');
    out.push('| target | measured | status |');
    out.push('|---|---|---|');
    for (const t of r.targets) out.push(`| ${t.name} | ${t.measured} | ${t.status} |`);
    out.push('');
  }
  out.push(`Columns: times are wall time of the task alone (data loading and process start-up excluded); k-means figures are the median of ${c.repeats ?? 1} timed fit${(c.repeats ?? 1) > 1 ? 's' : ''} per side.`);
  out.push('ratio = sklearn time / ours (above 1: ours is faster). ms/iter = (fit with maxIter − fit with 1 iteration) /');
  out.push('(nIter − 1), median over the repeats: the cost of one more Lloyd iteration without the fixed costs of a fit. Peak RSS is the');
  out.push("worker process's maximum resident set (getrusage ru_maxrss), data and runtime included. cpu/wall is the");
  out.push('CPU time of the task over its wall time: about the number of threads kept busy; well under the');
  out.push('threads a side uses means it waited for a core because other work was running (⚠: under 0.8 × its');
  out.push("threads; such times are inflated, scikit-learn's OpenMP k-means by up to 10× at small n).");
  out.push('');
  return out.join('\n');
}

/** A side's cost of one Lloyd iteration: the marginal figure, else fit time / nIter. */
export function perIter(m: Measurement): number | null {
  return m.msPerIterMarginal ?? m.msPerIterAverage ?? null;
}

/**
 * Gives every silhouette task that has no time (not run, timed out, failed) an estimate: the
 * time of the largest smaller n that completed on the same side and backend, times (n/n0)²
 * (the exact silhouette is O(n²)). Labelled as an estimate wherever it is shown.
 */
export function annotateEstimates(r: BenchResults): void {
  const sides: Array<[string, (row: SilhouetteRow) => Measurement]> = [
    ['sklearn', (row) => row.sklearn],
    ...[...new Set(r.silhouette.map((row) => row.backend))].map(
      (b): [string, (row: SilhouetteRow) => Measurement] => [b, (row) => row.ours],
    ),
  ];
  for (const [backend, pick] of sides) {
    const rows = r.silhouette.filter((row) => backend === 'sklearn' || row.backend === backend);
    const done = new Map<number, number>();
    for (const row of rows) {
      const m = pick(row);
      if (m.status === 'ok' && m.timeMs !== undefined) done.set(row.n, m.timeMs);
    }
    for (const row of rows) {
      const m = pick(row);
      if (m.status === 'ok' || m.status === 'not-measurable') continue;
      const n0 = [...done.keys()].filter((x) => x < row.n).sort((a, b) => b - a)[0];
      if (n0 === undefined) continue;
      m.estimateMs = (done.get(n0) as number) * (row.n / n0) ** 2;
      m.estimateBasis = `the n = ${sizeLabel(n0)} time × (n / ${sizeLabel(n0)})², not measured`;
    }
  }
}

const GIB = 1024 ** 3;

/** The next issue's targets, read off the rows (wasm, the backend they are about). */
export function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const sil = (n: number): SilhouetteRow | undefined => r.silhouette.find((row) => row.n === n && row.backend === 'wasm');
  const s50 = sil(50_000);
  if (s50 !== undefined) {
    out.push({
      name: 'exact silhouette, n = 50,000, d = 16, k = 8: ≥ 10× faster than sklearn silhouette_score',
      measured:
        s50.ratio === null
          ? `ours ${s50.ours.status}, sklearn ${s50.sklearn.status}`
          : `${s50.ratio.toFixed(2)}× (ours ${((s50.ours.timeMs as number) / 1000).toFixed(1)} s, sklearn ${((s50.sklearn.timeMs as number) / 1000).toFixed(1)} s)`,
      status: s50.ratio === null ? 'not measured' : s50.ratio >= 10 ? 'met' : 'not met',
    });
  }
  const km = r.kmeans.find((row) => row.n === 1_000_000 && row.backend === 'wasm');
  if (km !== undefined) {
    const o = km.ours.status === 'ok' ? perIter(km.ours) : null;
    const s = km.sklearn.status === 'ok' ? perIter(km.sklearn) : null;
    out.push({
      name: 'k-means n = 10^6, d = 16, k = 8, nInit = 1, 20 iterations: ms per Lloyd iteration vs sklearn',
      measured:
        o === null || s === null
          ? `ours ${km.ours.status}, sklearn ${km.sklearn.status}`
          : `ours ${o.toFixed(1)} ms, sklearn ${s.toFixed(1)} ms (${r.threads.sklearn} thread${r.threads.sklearn > 1 ? 's' : ''}): ${(s / o).toFixed(3)}×`,
      status: o === null || s === null ? 'not measured' : 'info',
    });
  }
  const s200 = sil(200_000);
  if (s200 !== undefined) {
    const m = s200.ours;
    const peak = m.peakRssBytes ?? null;
    const mb = (b: number | null): string => `${((b ?? 0) / 2 ** 20).toFixed(0)} MB`;
    out.push({
      name: 'exact silhouette, n = 200,000, d = 16, ours: completes with peak memory under 2 GB',
      measured:
        m.status === 'ok'
          ? `${((m.timeMs as number) / 1000).toFixed(0)} s, peak RSS ${mb(peak)}`
          : `${m.status}, peak RSS until it stopped ${mb(peak)}` +
            (m.status === 'error' ? `: ${(m.reason ?? '').slice(0, 200)}` : '') +
            (m.estimateMs !== undefined ? `; time if it had run: est. ${estimate(m.estimateMs)} (${m.estimateBasis})` : ''),
      // A run stopped by the time limit below 2 GB says nothing yet about completing.
      status:
        peak !== null && peak >= 2 * GIB
          ? 'not met'
          : m.status === 'ok'
            ? 'met'
            : m.status === 'timeout' || m.status === 'not-run'
              ? 'not measured'
              : 'not met',
    });
  }
  for (const b of r.config.backends.filter((x) => x === 'webgpu')) {
    const row = r.kmeans.find((x) => x.backend === b) ?? r.silhouette.find((x) => x.backend === b);
    if (row !== undefined && row.ours.status === 'not-measurable') {
      out.push({ name: 'webgpu speed', measured: row.ours.reason ?? 'not measurable on a software adapter', status: 'not measured' });
    }
  }
  return out;
}

/**
 * The cost of one more Lloyd iteration from a k-means worker's samples: for each repeat,
 * (fit with maxIter − fit with 1 iteration) / (nIter − nIter of the 1-iteration fit), and the
 * median of those (as the workers compute it; recomputed here so results saved before that agree).
 * Pairs, not medians of each list, so that a slow moment hits one pair only.
 */
export function marginalPerIter(raw: Record<string, unknown> | null | undefined): number | null {
  const full = raw?.fitMsSamples;
  const one = raw?.oneIterFitMsSamples;
  const nIter = raw?.nIter;
  if (!Array.isArray(full) || !Array.isArray(one) || typeof nIter !== 'number' || full.length !== one.length || full.length === 0) {
    return typeof raw?.msPerIterMarginal === 'number' ? raw.msPerIterMarginal : null;
  }
  const extra = nIter - (typeof raw?.oneIterNIter === 'number' ? raw.oneIterNIter : 1);
  if (extra <= 0) return null;
  const per = full.map((f, i) => ((f as number) - (one[i] as number)) / extra).sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)]; // the upper median for an even count, as the workers
}

/** Re-derives the per-iteration figures and ratios of k-means rows from the workers' samples. */
export function deriveKMeans(r: BenchResults): void {
  for (const row of r.kmeans) {
    for (const m of [row.ours, row.sklearn]) if (m.status === 'ok') m.msPerIterMarginal = marginalPerIter(m.raw);
    const o = perIter(row.ours);
    const s = perIter(row.sklearn);
    row.ratioPerIter = row.ours.status === 'ok' && row.sklearn.status === 'ok' && o !== null && s !== null && o > 0 ? s / o : null;
  }
}
