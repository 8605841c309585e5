// SPDX-License-Identifier: MIT
/**
 * The browser app (Debian's Chromium, headless, cross-origin isolated so that our WASM kernels run
 * on Web Workers) against the library's workflow `segment()` in Node, on the same generated users:
 * the table is written once to a CSV file in bench/.cache/ (reused by later runs), which the app
 * reads through its file input and Node through segment(path). Two modes:
 *
 * `npx tsx bench/browser.ts [--rows 100000] [--k 8] [--n-init 3] [--seed 1] [--reps 2] [--max-load 1.5] [--wait-load-min 20]`:
 * a fixed k. The bench unticks "let it choose k", sets the backend to wasm, the seed, k and the
 * runs; everything else stays at the form's defaults (the workflow's: maxIter 300, k-means's own
 * refinement, which the form does not offer to turn off). Node runs
 * `segment(csv, { k, nInit, seed, backend: 'wasm' })`, the same options. Compared: the time of the
 * k-means fit (the workflow's search and fit steps, as the app's summary reports them).
 *
 * `npx tsx bench/browser.ts --defaults [--rows 200000] [--seed 42] [--reps 1] [...]`: the app as a
 * user first meets it. The bench touches nothing in the form: it picks the file and clicks Run,
 * so k is chosen in 2..8 on a sample, nInit 4, seed 42, backend auto. Measured: the wall time from
 * the file being picked (setInputFiles) to the first run's results on the page, the backend and k
 * the page shows; and `segment(csv)` at its defaults in Node, timed, whose segments must equal the
 * app's downloaded ones. --seed is here the seed of the generated users only.
 *
 * While the page works (from the file pick to the last run's results drawn) it also measures the
 * page's responsiveness on its main thread: gaps between requestAnimationFrame callbacks and
 * between the beats of a 16 ms setInterval, long tasks (PerformanceObserver), and the latency of a
 * mouse move dispatched every 500 ms from here to a handler on the page; the stages as the app's
 * progress line shows them; the page's JS heap (performance.memory) and the RSS of Chromium's
 * processes. Before each measurement it waits for the 1-minute load average to fall to
 * --max-load. Writes bench/results/browser-<date>-<rows>[-defaults].md and .json.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { serveApp } from '../src/cli/serve.js';
import { WORKFLOW_DEFAULTS, readTable, sampleTable, segment, wasmThreadStats, writeTable, type SegmentOptions } from '../src/index.js';
import { parseFlags } from './flags.js';

const CHROMIUM = '/usr/bin/chromium';
// Precise memory info: performance.memory is otherwise rounded and updated only now and then.
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'];
const CACHE = fileURLToPath(new URL('./.cache/', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
/** The mouse is moved this often while the page works. */
const POKE_MS = 500;
/** Chromium's RSS is read this often. */
const RSS_MS = 250;

interface Timing {
  fitMs: number;
  nIter: number;
}

/** Milliseconds since the epoch, sub-millisecond; the page's clock is the same kind. */
function wall(): number {
  return performance.timeOrigin + performance.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function loadavg(): [number, number, number] {
  const [a, b, c] = os.loadavg();
  return [a, b, c];
}

/** Waits until the 1-minute load average is at most `max`, for `limitMs` at most. */
async function waitForQuiet(max: number, limitMs: number, what: string): Promise<{ what: string; load: number[]; waitedS: number; quiet: boolean }> {
  const t0 = Date.now();
  let told = false;
  while (loadavg()[0] > max && Date.now() - t0 < limitMs) {
    if (!told) console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(', ')} > ${max}: waiting, ${what}`);
    told = true;
    await sleep(10_000);
  }
  const load = loadavg();
  return { what, load, waitedS: Math.round((Date.now() - t0) / 1000), quiet: load[0] <= max };
}

/** The generated users as CSV in bench/.cache/ (ignored by git), written once per rows, seed and generator source. */
async function cachedCsv(rows: number, seed: number): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const generator = readFileSync(fileURLToPath(new URL('../src/data/sampleGenerator.ts', import.meta.url)));
  const hash = createHash('sha256').update(generator).digest('hex').slice(0, 8);
  const csv = join(CACHE, `users-${rows}-seed${seed}-${hash}.csv`);
  if (existsSync(csv)) return csv;
  const t0 = performance.now();
  const part = `${csv}.part`;
  await writeTable(sampleTable({ rows, seed }).table, part, { format: 'csv' });
  renameSync(part, csv);
  console.log(`wrote ${csv} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return csv;
}

/** One `segment()` in Node: its wall time, the fit's time (the search and fit steps, as the app reports them), and what it chose. */
interface NodeRun {
  wallMs: number;
  fitMs: number;
  nIter: number;
  backend: string;
  k: number;
  timings: Array<{ step: string; seconds: number }>;
}

/**
 * `segment(csv, options)` `reps` times in this process. The first run starts the backend (and
 * the wasm threads), as the app's first run does in its worker.
 */
async function inNode(csv: string, options: SegmentOptions, reps: number): Promise<{ runs: NodeRun[]; labels: Int32Array; threads: number; features: number }> {
  const runs: NodeRun[] = [];
  let labels: Int32Array = new Int32Array(0);
  let features = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const seg = await segment(csv, { ...options, onWarning: () => undefined });
    const wallMs = performance.now() - t0;
    const fitS = seg.timings.filter((t) => t.step === 'search' || t.step === 'fit').reduce((sum, t) => sum + t.seconds, 0);
    runs.push({
      wallMs,
      fitMs: 1000 * fitS,
      nIter: seg.algorithm.nIter,
      backend: seg.backend.name,
      k: seg.search?.recommended.k ?? new Set(seg.labels).size,
      timings: seg.timings.map((t) => ({ step: t.step, seconds: t.seconds })),
    });
    labels = seg.labels;
    features = seg.output.matrix.cols;
  }
  return { runs, labels, threads: wasmThreadStats().threads, features };
}

/**
 * The page's probe, installed before the app's scripts. Plain JavaScript in a string: a function
 * given to addInitScript would be serialized after tsx's transform, with helpers the page lacks.
 */
const PROBE = `(() => {
  const p = { on: false, frames: [], beats: [], inputs: [], marks: [], longTasks: [], heap: [] };
  window.__probe = p;
  const now = () => performance.now();
  const frame = () => { if (p.on) p.frames.push(now()); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  let n = 0;
  setInterval(() => {
    if (!p.on) return;
    p.beats.push(now());
    if (n++ % 16 === 0 && performance.memory) p.heap.push([now(), performance.memory.usedJSHeapSize, performance.memory.totalJSHeapSize]);
  }, 16);
  addEventListener('mousemove', (e) => {
    if (p.on && e.clientY === 6) p.inputs.push({ x: e.clientX, at: now(), handled: performance.timeOrigin + now(), sinceEvent: now() - e.timeStamp });
  }, { capture: true, passive: true });
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (p.on) p.longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask' });
    p.longTaskObserver = true;
  } catch { p.longTaskObserver = false; }
  const mark = (what) => { if (p.on) p.marks.push([now(), what]); };
  p.clock = () => performance.timeOrigin + now();
  p.start = () => {
    p.on = true;
    p.startedAt = now();
    const watch = (id, name) => {
      const el = document.getElementById(id);
      new MutationObserver(() => mark(name + ': ' + el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    };
    watch('file-status', 'file');
    watch('progress-text', 'stage');
    const results = document.getElementById('results');
    new MutationObserver(() => {
      const r = results.querySelector('.result');
      if (r === null) return;
      mark('results drawn #' + r.dataset.runId);
      requestAnimationFrame(() => mark('results on screen #' + r.dataset.runId));
    }).observe(results, { childList: true });
    document.addEventListener('change', (e) => { if (e.target.id === 'file-input') mark('file picked'); }, true);
  };
  p.stop = () => {
    p.on = false;
    const { frames, beats, inputs, marks, longTasks, heap, startedAt, longTaskObserver } = p;
    return { frames, beats, inputs, marks, longTasks, heap, startedAt, stoppedAt: now(), longTaskObserver, hasMemory: performance.memory !== undefined };
  };
})();`;

interface ProbeData {
  frames: number[];
  beats: number[];
  inputs: Array<{ x: number; at: number; handled: number; sinceEvent: number }>;
  marks: Array<[number, string]>;
  longTasks: Array<[number, number]>;
  heap: Array<[number, number, number]>;
  startedAt: number;
  stoppedAt: number;
  longTaskObserver: boolean;
  hasMemory: boolean;
}

interface Poke {
  x: number;
  sent: number;
  acked: number;
}

/** The page's clock minus ours, from the quickest of a few round trips. */
async function clockOffset(page: Page): Promise<{ offsetMs: number; roundTripMs: number }> {
  let best = { offsetMs: 0, roundTripMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 7; i++) {
    const t0 = wall();
    const there = await page.evaluate('window.__probe.clock()') as number;
    const t1 = wall();
    if (t1 - t0 < best.roundTripMs) best = { offsetMs: there - (t0 + t1) / 2, roundTripMs: t1 - t0 };
  }
  return best;
}

/** Runs the page's input one action at a time: a move of ours must not fall between the bench's mouse down and up. */
class InputLock {
  private last: Promise<unknown> = Promise.resolve();
  run<T>(action: () => Promise<T>): Promise<T> {
    const next = this.last.then(action, action);
    this.last = next.catch(() => undefined);
    return next;
  }
}

/** Moves the mouse along the page's header (y = 6) every POKE_MS until `done()`; one move at a time. */
async function poke(page: Page, lock: InputLock, done: () => boolean): Promise<Poke[]> {
  const pokes: Poke[] = [];
  for (let i = 0; !done(); i++) {
    const next = Date.now() + POKE_MS;
    // A new x each time (for 10 minutes), so each move is one mousemove, matched by x.
    const x = 20 + (i % 1200);
    const sent = await lock.run(async () => {
      const t = wall();
      await page.mouse.move(x, 6);
      return t;
    });
    pokes.push({ x, sent, acked: wall() });
    await sleep(Math.max(0, next - Date.now()));
  }
  return pokes;
}

/** The pids of our descendants named chrom*, and their summed and largest RSS in bytes. */
function chromiumRss(): { total: number; largest: number } {
  const parent = new Map<number, number>();
  const names = new Map<number, string>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      names.set(Number(d), stat.slice(stat.indexOf('(') + 1, close));
      parent.set(Number(d), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, pp] of parent) if (!ours.has(pid) && ours.has(pp)) (ours.add(pid), (grew = true));
  }
  let total = 0;
  let largest = 0;
  for (const pid of ours) {
    if (pid === process.pid || !(names.get(pid) ?? '').startsWith('chrom')) continue;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      const rss = m === null ? 0 : Number(m[1]) * 1024;
      total += rss;
      largest = Math.max(largest, rss);
    } catch {
      // gone meanwhile
    }
  }
  return { total, largest };
}

/** Peaks of Chromium's RSS in MB, raised by each `read()`. */
function rssPeaks(): { peaks: { peakTotalMB: number; peakLargestMB: number }; read: () => void } {
  const peaks = { peakTotalMB: 0, peakLargestMB: 0 };
  const read = (): void => {
    const r = chromiumRss();
    peaks.peakTotalMB = Math.max(peaks.peakTotalMB, r.total / 2 ** 20);
    peaks.peakLargestMB = Math.max(peaks.peakLargestMB, r.largest / 2 ** 20);
  };
  return { peaks, read };
}

interface Gaps {
  count: number;
  perSecond: number;
  medianMs: number;
  maxMs: number;
  maxAt: string;
  over50: number;
  over200: number;
}

interface Stage {
  stage: string;
  startS: number;
  ms: number;
}

interface Responsiveness {
  windowS: number;
  raf: Gaps;
  interval: Gaps;
  longTasks: { count: number; totalMs: number; maxMs: number; maxAt: string; observer: boolean };
  input: { sent: number; handled: number; medianMs: number; p95Ms: number; maxMs: number; maxAt: string; eventToHandlerMaxMs: number; clockRoundTripMs: number };
  heap: { available: boolean; startMB: number; peakMB: number; endMB: number };
  rss: { peakTotalMB: number; peakLargestMB: number };
}

/** What the app's progress line and file status said when, as stages of the run. */
function stagesOf(d: ProbeData, mode: Mode['kind']): Stage[] {
  const stages: Stage[] = [];
  const t0 = d.marks.find(([, m]) => m === 'file picked')?.[0] ?? d.startedAt;
  for (const [t, raw] of d.marks) {
    // "features (1.2 s)" → "features"; "file: users.csv: 1,000 rows…" → "file read, kinds inferred"
    let name = raw.replace(/ \(\d+(\.\d+)? s\)$/, '');
    if (name.startsWith('file: Reading')) name = 'reading the file, inferring kinds (in the worker)';
    else if (name.startsWith('file: ')) name = mode === 'fixed' ? 'columns shown; the bench fills in the form' : 'columns shown; the bench clicks Run';
    else if (name.startsWith('stage: done in')) name = 'result sent to the page, drawing the results';
    else if (name.startsWith('results drawn')) name = `${name}, until the next frame`;
    else if (name.startsWith('results on screen')) name = `${name}; the page idles until the bench clicks again or stops`;
    else if (name.startsWith('stage: ')) name = `worker: ${name.slice(7)}`;
    if (name === 'file picked') continue;
    if (stages.length > 0 && stages[stages.length - 1].stage === name) continue;
    stages.push({ stage: name, startS: (t - t0) / 1000, ms: 0 });
  }
  for (let i = 0; i < stages.length; i++) stages[i].ms = ((i + 1 < stages.length ? stages[i + 1].startS : (d.stoppedAt - t0) / 1000) - stages[i].startS) * 1000;
  return stages;
}

/** The stage the app showed at page time `t`. */
function stageAt(d: ProbeData, t: number): string {
  let at = 'before the file pick';
  for (const [tm, m] of d.marks) if (tm <= t) at = m.replace(/ \(\d+(\.\d+)? s\)$/, '');
  return at.length > 70 ? `${at.slice(0, 67)}…` : at;
}

/** The stages shown from page time `from` to `to`: one, or the first → the last. */
function during(d: ProbeData, from: number, to: number): string {
  const a = stageAt(d, from);
  const b = stageAt(d, to);
  return a === b ? a : `${a} → ${b}`;
}

function gapsOf(d: ProbeData, times: number[]): Gaps {
  const ts = [d.startedAt, ...times, d.stoppedAt];
  let maxMs = 0;
  let maxEnd = d.startedAt;
  const gaps: number[] = [];
  for (let i = 1; i < ts.length; i++) {
    const g = ts[i] - ts[i - 1];
    gaps.push(g);
    if (g > maxMs) (maxMs = g), (maxEnd = ts[i]);
  }
  return {
    count: times.length,
    perSecond: times.length / ((d.stoppedAt - d.startedAt) / 1000),
    medianMs: median(gaps),
    maxMs,
    maxAt: during(d, maxEnd - maxMs, maxEnd),
    over50: gaps.filter((g) => g > 50).length,
    over200: gaps.filter((g) => g > 200).length,
  };
}

function responsiveness(d: ProbeData, pokes: Poke[], clock: { offsetMs: number; roundTripMs: number }, rss: { peakTotalMB: number; peakLargestMB: number }): Responsiveness {
  const handled = new Map(d.inputs.map((e) => [e.x, e]));
  // [dispatch → handler in ms, the page time it was handled]
  const latencies: Array<[number, number]> = [];
  for (const p of pokes) {
    const e = handled.get(p.x);
    if (e !== undefined) latencies.push([e.handled - clock.offsetMs - p.sent, e.at]);
  }
  const ls = latencies.map(([l]) => l);
  const worst = latencies.reduce((a, b) => (b[0] > a[0] ? b : a), [0, 0]);
  const worstTask = d.longTasks.reduce((a, b) => (b[1] > a[1] ? b : a), [0, 0]);
  const mb = (b: number): number => b / 2 ** 20;
  return {
    windowS: (d.stoppedAt - d.startedAt) / 1000,
    raf: gapsOf(d, d.frames),
    interval: gapsOf(d, d.beats),
    longTasks: { count: d.longTasks.length, totalMs: d.longTasks.reduce((s, [, ms]) => s + ms, 0), maxMs: worstTask[1], maxAt: during(d, worstTask[0], worstTask[0] + worstTask[1]), observer: d.longTaskObserver },
    input: {
      sent: pokes.length,
      handled: latencies.length,
      medianMs: median(ls),
      p95Ms: quantile(ls, 0.95),
      maxMs: worst[0],
      maxAt: latencies.length === 0 ? '–' : stageAt(d, worst[1]),
      eventToHandlerMaxMs: Math.max(0, ...d.inputs.map((e) => e.sinceEvent)),
      clockRoundTripMs: clock.roundTripMs,
    },
    heap: d.heap.length === 0 ? { available: d.hasMemory, startMB: Number.NaN, peakMB: Number.NaN, endMB: Number.NaN } : { available: true, startMB: mb(d.heap[0][1]), peakMB: mb(Math.max(...d.heap.map((h) => h[1]))), endMB: mb(d.heap[d.heap.length - 1][1]) },
    rss,
  };
}

/** What the bench does to the form: a fixed k (with wasm, a seed and nInit), or nothing at all. */
type Mode = { kind: 'fixed'; k: number; nInit: number; seed: number; reps: number } | { kind: 'defaults' };

interface BrowserRun {
  runs: Timing[];
  labels: number[];
  threads: string;
  /** What the page shows as the backend of the last run ([data-testid="backend"]). */
  backend: string;
  /** The run's label on the page ("k-means (k = 5, chosen)"). */
  runLabel: string;
  /** k: rows of the segment sizes table of the last run. */
  segments: number;
  /** The page's "time by step" of the last run. */
  stepTimes: string;
  /** The form's values as the page opened them (read after the runs; the defaults mode touches none). */
  form: Record<string, string | boolean | null>;
  /** Bench clock: from the call of setInputFiles to the first run's results found on the page. */
  pickToResultsMs: number;
  /** Page clock: from the file input's change event to the first run's results in the DOM, and to the frame after. */
  pagePickToDrawnMs: number | null;
  pagePickToOnScreenMs: number | null;
  stages: Stage[];
  responsiveness: Responsiveness;
  afterResults: AfterResults;
}

/** The results of run `r` (or the page's error), inside the stable hook. */
const resultSelector = (r: number): string => `[data-testid="results"] .result[data-run-id="${r}"], #error:not([hidden])`;

/** Steps of one scroll of the member table, one per frame, and their size in CSS pixels. */
const SCROLL_STEPS = 60;
const SCROLL_STEP_PX = 120;
/** Mouse moves over each chart box while the hover is measured. */
const HOVER_MOVES = 8;
/** The style that turns off the app's skipping of what is off screen (style.css), for the comparison. */
const NO_SKIPPING = '.charts, figure.chart, #columns, #profile { content-visibility: visible !important; }';

/** One scroll of the member table by script, and the long tasks the page had meanwhile. */
interface ScrollRun {
  /** Whether the app's content-visibility: auto was in force ('auto'), or turned off by the bench ('visible'). */
  contentVisibility: 'auto' | 'visible';
  steps: number;
  ms: number;
  longTasks: number;
  longTaskMs: number;
  maxMs: number;
}

/** The page once the last run's results are drawn: what the charts hold, the member table, hover, memory. */
interface AfterResults {
  viewport: string;
  /** Elements in each Vega chart's SVG (marks, axes, legends): bounded by the samples drawn, not by the rows. */
  charts: Array<{ chart: string; elements: number }>;
  /** Points drawn on each canvas (the 3-D scatter). */
  canvasPoints: number[];
  scrolls: ScrollRun[];
  /** The member table scrolled to its end: rows listed, the file row number the last position shows, and the time until it was filled in. */
  lastRow: { count: number; row: number | null; ms: number };
  hover: { figures: number; moves: number; ms: number; longTasks: number; longTaskMs: number; maxMs: number };
  /** CDP Performance.getMetrics of the page (main thread), after the hover. */
  metrics: { jsHeapUsedMB: number; jsHeapTotalMB: number; nodes: number };
  /** Chromium's RSS during this phase (see Responsiveness). */
  rss: { peakTotalMB: number; peakLargestMB: number };
}

/** Page code (strings: see PROBE) for the phase after the results. */
const LONG_TASKS_START = `(() => {
  window.__after = [];
  window.__afterObserver = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__after.push(e.duration); });
  window.__afterObserver.observe({ type: 'longtask' });
})()`;
const LONG_TASKS_STOP = `(() => { window.__afterObserver.disconnect(); return window.__after; })()`;
const SCROLL = `(async (o) => {
  let style = document.getElementById('bench-style');
  if (style === null) { style = document.createElement('style'); style.id = 'bench-style'; document.head.append(style); }
  style.textContent = o.css;
  const scroller = document.querySelector('[data-testid="members-scroll"]');
  scroller.scrollTop = 0;
  scroller.scrollIntoView({ block: 'center' });
  await new Promise((r) => setTimeout(r, 500));
  const tasks = [];
  const observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) tasks.push(e.duration); });
  observer.observe({ type: 'longtask' });
  const t0 = performance.now();
  for (let i = 0; i < o.steps; i++) { scroller.scrollTop += o.step; await new Promise((r) => requestAnimationFrame(r)); }
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 300));
  observer.disconnect();
  style.textContent = '';
  return { tasks, ms };
})`;
const TO_THE_END = `(async () => {
  const scroller = document.querySelector('[data-testid="members-scroll"]');
  const count = Number(document.querySelector('[data-testid="members-count"]').dataset.count);
  const t0 = performance.now();
  scroller.scrollTop = scroller.scrollHeight;
  for (let i = 0; i < 400; i++) {
    await new Promise((r) => setTimeout(r, 25));
    const last = scroller.querySelector('[aria-rowindex="' + (count + 1) + '"]');
    if (last !== null && last.dataset.row !== undefined) return { count, row: Number(last.dataset.row), ms: performance.now() - t0 };
  }
  return { count, row: null, ms: performance.now() - t0 };
})()`;
const MARKS = `({
  charts: Array.from(document.querySelectorAll('.vega-chart')).map((c) => ({ chart: c.dataset.chart, elements: c.querySelectorAll('svg *').length })),
  canvasPoints: Array.from(document.querySelectorAll('canvas[data-points]')).map((c) => Number(c.dataset.points)),
})`;

/**
 * Once the results are drawn: counts what each chart draws; scrolls the member table by script
 * (SCROLL_STEPS steps of SCROLL_STEP_PX, one per frame), with the app's skipping of what is off
 * screen and without it, twice each, alternately; scrolls it to its end; moves the mouse over
 * every chart; and reads the page's heap.
 */
async function afterResults(page: Page): Promise<Omit<AfterResults, 'rss'>> {
  await page.waitForFunction(() => Array.from(document.querySelectorAll('.vega-chart')).every((e) => (e as HTMLElement).dataset.rendered !== 'false'), undefined, { timeout: 600_000 });
  const marks = (await page.evaluate(MARKS)) as Pick<AfterResults, 'charts' | 'canvasPoints'>;
  const scrolls: ScrollRun[] = [];
  for (const contentVisibility of ['auto', 'visible', 'auto', 'visible'] as const) {
    const r = (await page.evaluate(`${SCROLL}(${JSON.stringify({ steps: SCROLL_STEPS, step: SCROLL_STEP_PX, css: contentVisibility === 'auto' ? '' : NO_SKIPPING })})`)) as { tasks: number[]; ms: number };
    scrolls.push({ contentVisibility, steps: SCROLL_STEPS, ms: r.ms, longTasks: r.tasks.length, longTaskMs: r.tasks.reduce((a, b) => a + b, 0), maxMs: Math.max(0, ...r.tasks) });
  }
  const lastRow = (await page.evaluate(TO_THE_END)) as AfterResults['lastRow'];
  await page.evaluate(LONG_TASKS_START);
  const t0 = performance.now();
  const figures = await page.$$('figure.chart');
  let moves = 0;
  for (const f of figures) {
    await f.scrollIntoViewIfNeeded();
    const b = await f.boundingBox();
    if (b === null) continue;
    for (let i = 0; i < HOVER_MOVES; i++, moves++) await page.mouse.move(b.x + (b.width * (i + 1)) / (HOVER_MOVES + 1), b.y + (b.height * (((i * 5) % 9) + 1)) / 10);
  }
  await sleep(300);
  const hoverMs = performance.now() - t0;
  const tasks = (await page.evaluate(LONG_TASKS_STOP)) as number[];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const got = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const metric = (name: string): number => got.metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  await cdp.detach();
  const size = page.viewportSize();
  return {
    viewport: size === null ? 'the window' : `${size.width}×${size.height}`,
    ...marks,
    scrolls,
    lastRow,
    hover: { figures: figures.length, moves, ms: hoverMs, longTasks: tasks.length, longTaskMs: tasks.reduce((a, b) => a + b, 0), maxMs: Math.max(0, ...tasks) },
    metrics: { jsHeapUsedMB: metric('JSHeapUsedSize') / 2 ** 20, jsHeapTotalMB: metric('JSHeapTotalSize') / 2 ** 20, nodes: metric('Nodes') },
  };
}

/**
 * Picks the file and runs as `mode` says (the fixed mode sets the form, `reps` runs; the defaults
 * mode only clicks Run, once), measuring the page from the pick to the last results drawn; then
 * downloads the last run's rows.
 */
async function inBrowser(page: Page, csv: string, mode: Mode): Promise<BrowserRun> {
  const lock = new InputLock();
  const clock = await clockOffset(page);
  const { peaks: rss, read: readRss } = rssPeaks();
  readRss();
  const rssTimer = setInterval(readRss, RSS_MS);
  await page.evaluate('window.__probe.start()');
  let done = false;
  const poking = poke(page, lock, () => done);
  const runs: Timing[] = [];
  const reps = mode.kind === 'fixed' ? mode.reps : 1;
  let picked = 0;
  let firstResults = 0;
  try {
    picked = wall();
    await lock.run(() => page.setInputFiles('[data-testid="file-input"]', csv));
    await page.waitForSelector('#preview', { timeout: 600_000 });
    if (mode.kind === 'fixed') {
      await lock.run(async () => {
        if (await page.isVisible('#choose-k')) await page.setChecked('#choose-k', false);
        await page.selectOption('#backend', 'wasm');
        await page.fill('#seed', String(mode.seed));
        await page.fill('#setting-k', String(mode.k));
        await page.fill('#setting-nInit', String(mode.nInit));
      });
    }
    for (let r = 1; r <= reps; r++) {
      await lock.run(() => page.click('[data-testid="run"]'));
      await page.waitForSelector(resultSelector(r), { timeout: 900_000 });
      if (r === 1) firstResults = wall();
      const error = await page.$('#error:not([hidden])');
      if (error !== null) throw new Error(`the run failed in the page: ${await error.textContent()}`);
      const fit = await page.$eval('[data-testid="results"] dl.summary', (dl) => ({ fitMs: Number((dl as HTMLElement).dataset.fitMs), nIter: Number((dl as HTMLElement).dataset.nIter) }));
      runs.push(fit);
    }
    // The frame after the last results, then one more poke's worth of time.
    await sleep(POKE_MS);
  } finally {
    done = true;
    clearInterval(rssTimer);
  }
  const pokes = await poking;
  readRss();
  const probe = (await page.evaluate('window.__probe.stop()')) as ProbeData;
  // A string, not a function: tsx would wrap a function's inner functions in a helper the page lacks.
  const form = (await page.evaluate(`(() => {
    const value = (id) => document.getElementById(id)?.value ?? null;
    return {
      algorithm: value('algorithm'),
      chooseK: document.getElementById('choose-k')?.checked ?? null,
      kMin: value('k-min'),
      kMax: value('k-max'),
      k: value('setting-k'),
      nInit: value('setting-nInit'),
      maxIter: value('setting-maxIter'),
      seed: value('seed'),
      backend: value('backend'),
    };
  })()`)) as BrowserRun['form'];
  const backend = (await page.textContent('[data-testid="backend"]')) ?? '';
  const runLabel = (await page.textContent('[data-testid="results"] dd[data-field="run"]')) ?? '';
  const stepTimes = (await page.textContent('[data-testid="results"] dd[data-field="time by step"]')) ?? '';
  const segments = await page.locator('#segment-sizes td[data-size]').count();
  // Chromium's RSS while the results are looked at, apart from that while the page worked.
  const { peaks: afterRss, read: readAfterRss } = rssPeaks();
  readAfterRss();
  const afterTimer = setInterval(readAfterRss, RSS_MS);
  let after: AfterResults;
  try {
    after = { ...(await afterResults(page)), rss: afterRss };
  } finally {
    clearInterval(afterTimer);
  }
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 600_000 }), page.click('#download-csv')]);
  const { table } = await readTable(await download.path(), { name: 'segments.csv' });
  const labels = Array.from(table.getChild('segment')?.toArray() ?? [], Number);
  const markAt = (what: string): number | undefined => probe.marks.find(([, m]) => m === what)?.[0];
  const pickMark = markAt('file picked');
  const drawn = markAt('results drawn #1');
  const onScreen = markAt('results on screen #1');
  return {
    runs,
    labels,
    threads: (await page.textContent('#threads-status')) ?? '',
    backend,
    runLabel,
    segments,
    stepTimes,
    form,
    pickToResultsMs: firstResults - picked,
    pagePickToDrawnMs: pickMark !== undefined && drawn !== undefined ? drawn - pickMark : null,
    pagePickToOnScreenMs: pickMark !== undefined && onScreen !== undefined ? onScreen - pickMark : null,
    stages: stagesOf(probe, mode.kind),
    responsiveness: responsiveness(probe, pokes, clock, rss),
    afterResults: after,
  };
}

interface Report {
  date: string;
  command: string;
  mode: Mode['kind'];
  machine: { cores: number; cpu: string; memoryGiB: number; node: string; chromium: string; platform: string };
  loads: Array<{ what: string; load: number[]; waitedS: number; quiet: boolean }>;
  maxLoad: number;
  rows: number;
  features: number;
  /** The seed of the generated users. */
  dataSeed: number;
  /** The options given to segment() in Node (the app's form set to the same; the defaults mode: none). */
  nodeOptions: SegmentOptions;
  csv: { path: string; bytes: number };
  node: { threads: number; runs: NodeRun[]; medianFitMs: number; medianWallMs: number };
  browser: Omit<BrowserRun, 'labels'> & { medianFitMs: number };
  sameLabels: boolean;
  /** The defaults mode's target: results within this many seconds of the file being picked. */
  targetS: number | null;
}

/** The issue's target for the defaults mode (issue 12): results on wasm within 25 s of the file being picked. */
const TARGET_S = 25;

const s2 = (ms: number): string => (ms / 1000).toFixed(2);
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const loadText = (l: number[]): string => l.map((x) => x.toFixed(2)).join(', ');
const opt = (x: number | null): string => (x === null ? '–' : s2(x));

function workLines(r: Report): string[] {
  const b = r.browser;
  const n = r.node;
  const last = n.runs[n.runs.length - 1];
  const steps = (t: NodeRun['timings']): string => t.map((x) => `${x.step} ${x.seconds.toFixed(2)}`).join(', ');
  if (r.mode === 'fixed') {
    const o = r.nodeOptions;
    return [
      '## Work',
      '',
      `- ${r.rows.toLocaleString('en-US')} generated users (sampleTable, seed ${r.dataSeed}) as CSV, ${(r.csv.bytes / 2 ** 20).toFixed(0)} MiB (${r.csv.path.replace(/^.*\/bench\//, 'bench/')}); ${r.features} features after the workflow's pipeline (inferred kinds)`,
      `- k-means, k = ${String(o.k)}, nInit = ${String(o.nInit)}, seed ${String(o.seed)}, backend wasm on both sides, every other option at the workflow's default (maxIter 300; k-means's own refinement of the best run, which the app's form does not offer to turn off); ${b.runs.length} runs each. The page's form: "let it choose k" unticked, backend, seed, k and runs set by the bench. Node: \`segment(csv, ${JSON.stringify(o)})\``,
      '',
      '## Fit times',
      '',
      "The k-means fit as the workflow times it (its search and fit steps; the app's summary reports the same), per run.",
      '',
      '| where | threads | fit per run (s) | median (s) | iterations | whole segment() per run (s) |',
      '|---|---|--:|--:|--:|--:|',
      `| Node, wasm | ${n.threads} | ${n.runs.map((x) => s2(x.fitMs)).join(', ')} | ${s2(n.medianFitMs)} | ${n.runs[0].nIter} | ${n.runs.map((x) => s2(x.wallMs)).join(', ')} |`,
      `| Chromium, the app's worker, wasm | ${b.threads} | ${b.runs.map((x) => s2(x.fitMs)).join(', ')} | ${s2(b.medianFitMs)} | ${b.runs[0].nIter} | |`,
      '',
      `Browser / Node: ${(b.medianFitMs / n.medianFitMs).toFixed(2)}×. Segments identical row for row: ${r.sameLabels}. The page's last run: ${b.runLabel}; backend shown ${b.backend}; its steps (s): ${b.stepTimes}. Node's last: ${steps(last.timings)}.`,
      '',
    ];
  }
  const formText = Object.entries(b.form)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  const within = b.pickToResultsMs / 1000 <= (r.targetS ?? Number.POSITIVE_INFINITY);
  return [
    '## Work',
    '',
    `- ${r.rows.toLocaleString('en-US')} generated users (sampleTable, seed ${r.dataSeed}) as CSV, ${(r.csv.bytes / 2 ** 20).toFixed(0)} MiB (${r.csv.path.replace(/^.*\/bench\//, 'bench/')}); ${r.features} features after the workflow's pipeline (inferred kinds)`,
    `- Every setting at its default: the bench picks the file and clicks Run, nothing else. The form as it was (read after the run): ${formText}. Node: \`segment(csv)\`, no options (${n.runs.length} run${n.runs.length === 1 ? '' : 's'}, the first starting the backend as the app's worker does)`,
    '',
    '## From the file picked to the results',
    '',
    '| where | backend | threads | k | file picked → results (s) | k search + fit (s) | iterations of the final fit |',
    '|---|---|---|--:|--:|--:|--:|',
    `| Chromium, the app (bench clock: setInputFiles called → \`.result[data-run-id="1"]\` found) | ${b.backend} | ${b.threads} | ${b.segments} | **${s2(b.pickToResultsMs)}** | ${s2(b.runs[0].fitMs)} | ${b.runs[0].nIter} |`,
    `| Chromium, the page's own clock (the file input's change event → results in the DOM / on screen) | | | | ${opt(b.pagePickToDrawnMs)} / ${opt(b.pagePickToOnScreenMs)} | | |`,
    ...n.runs.map((x, i) => `| Node, \`segment(csv)\` run ${i + 1} (read to model) | ${x.backend} | ${n.threads} | ${x.k} | ${s2(x.wallMs)} | ${s2(x.fitMs)} | ${x.nIter} |`),
    '',
    `The issue's target: results on wasm within ${r.targetS} s of the file being picked, on this machine. Measured: ${s2(b.pickToResultsMs)} s on ${b.backend} — ${within ? 'within' : 'over'} the target${r.loads.some((l) => l.what.startsWith('before') && !l.quiet) ? ' (with other work running: see the load)' : ''}. Segments identical row for row (the app's downloaded CSV against Node's \`segment(csv)\`): ${r.sameLabels}.`,
    '',
    `The page's run: ${b.runLabel}; its steps (s): ${b.stepTimes}. Node's ${n.runs.length === 1 ? 'run' : 'last run'} (s): ${steps(last.timings)}.`,
    '',
  ];
}

/** The section on the page once the results are drawn. */
function afterLines(a: AfterResults, rows: number): string[] {
  const most = a.charts.reduce((m, c) => (c.elements > m.elements ? c : m), { chart: '–', elements: 0 });
  const scroll = (cv: ScrollRun['contentVisibility']): ScrollRun[] => a.scrolls.filter((x) => x.contentVisibility === cv);
  const scrollRow = (x: ScrollRun, i: number): string =>
    `| ${x.contentVisibility === 'auto' ? "the app's (content-visibility: auto)" : 'turned off by the bench (visible)'}, #${i + 1} | ${x.steps} | ${(x.ms / x.steps).toFixed(1)} | ${x.longTasks} | ${x.longTaskMs.toFixed(0)} | ${x.maxMs.toFixed(0)} |`;
  const sum = (xs: ScrollRun[], f: (x: ScrollRun) => number): number => xs.reduce((t, x) => t + f(x), 0);
  const [on, off] = [scroll('auto'), scroll('visible')];
  return [
    `## After the results: the charts, the member table, hover, memory (viewport ${a.viewport})`,
    '',
    `- The charts draw samples: ${a.charts.length} Vega charts, at most ${most.elements} SVG elements in one (${most.chart}), ${a.charts.reduce((t, c) => t + c.elements, 0)} in all; the 3-D scatter's canvas ${a.canvasPoints.join(', ') || '–'} points; for ${rows.toLocaleString('en-US')} rows. Per chart: ${a.charts.map((c) => `${c.chart} ${c.elements}`).join(', ')}.`,
    `- The member table scrolled to its end: ${a.lastRow.row === null ? `the last of its ${a.lastRow.count.toLocaleString('en-US')} positions was not filled in` : `its last position (${a.lastRow.count.toLocaleString('en-US')}) shows file row ${a.lastRow.row.toLocaleString('en-US')}`}, ${a.lastRow.ms.toFixed(0)} ms after the jump.`,
    '',
    `Scrolling the member table by script, ${SCROLL_STEP_PX} px a frame, centred in the viewport, with the app's skipping of what is off screen and without it (alternately):`,
    '',
    '| skipping | steps | ms per step | long tasks | their total (ms) | longest (ms) |',
    '|---|--:|--:|--:|--:|--:|',
    ...a.scrolls.map((x, i) => scrollRow(x, Math.floor(i / 2))),
    '',
    `Long tasks per step: ${(sum(on, (x) => x.longTasks) / sum(on, (x) => x.steps)).toFixed(2)} with the skipping, ${(sum(off, (x) => x.longTasks) / sum(off, (x) => x.steps)).toFixed(2)} without; time per step ${(sum(on, (x) => x.ms) / sum(on, (x) => x.steps)).toFixed(1)} and ${(sum(off, (x) => x.ms) / sum(off, (x) => x.steps)).toFixed(1)} ms.`,
    '',
    `- Hover: ${a.hover.moves} mouse moves over the ${a.hover.figures} chart boxes (each scrolled into view) in ${(a.hover.ms / 1000).toFixed(1)} s: ${a.hover.longTasks} long tasks, ${a.hover.longTaskMs.toFixed(0)} ms in all, the longest ${a.hover.maxMs.toFixed(0)} ms.`,
    `- Memory after the hover (CDP Performance.getMetrics, the page's main thread): JS heap ${f1(a.metrics.jsHeapUsedMB)} MB used of ${f1(a.metrics.jsHeapTotalMB)} MB, ${a.metrics.nodes} DOM nodes; Chromium's RSS during this phase: peak sum ${a.rss.peakTotalMB.toFixed(0)} MB, largest process ${a.rss.peakLargestMB.toFixed(0)} MB.`,
    '',
  ];
}

function markdown(r: Report): string {
  const q = r.browser.responsiveness;
  const rafWorks = q.raf.perSecond > 30;
  const title =
    r.mode === 'fixed'
      ? `# The browser app at ${r.rows.toLocaleString('en-US')} rows: k-means in the worker, and the page's responsiveness`
      : `# The browser app at ${r.rows.toLocaleString('en-US')} rows, every setting at its default: from the file picked to the results`;
  const lines = [
    title,
    '',
    `Run ${r.date}. \`${r.command}\``,
    '',
    '## Machine and load',
    '',
    `- ${r.machine.cpu}, ${r.machine.cores} logical cores, ${r.machine.memoryGiB.toFixed(1)} GiB; ${r.machine.platform}; Node ${r.machine.node}; Chromium ${r.machine.chromium} headless (playwright-core)`,
    ...r.loads.map((l) => `- load average (1, 5, 15 min) ${l.what}: ${loadText(l.load)}${l.waitedS > 0 ? ` after waiting ${l.waitedS} s for it to fall to ${r.maxLoad}` : ''}${l.quiet || !l.what.startsWith('before') ? '' : ` — still above ${r.maxLoad} after waiting: other work was running, the times are rough`}`),
    '',
    ...workLines(r),
    '## Stages as the app shows them',
    '',
    `From the file pick (the progress line and file status, watched on the page; ${r.mode === 'fixed' ? 'the form is filled by the bench between the columns and the first run' : 'the bench clicks Run once the columns are shown'}).`,
    '',
    '| from (s) | stage | ms |',
    '|--:|---|--:|',
    ...r.browser.stages.map((s) => `| ${s.startS.toFixed(2)} | ${s.stage.replace(/\|/g, '\\|')} | ${s.ms.toFixed(0)} |`),
    '',
    `## Responsiveness of the page's main thread (${q.windowS.toFixed(1)} s, from the file pick to the last results drawn)`,
    '',
    `requestAnimationFrame ${rafWorks ? 'runs' : 'is throttled'} in this headless Chromium (${q.raf.perSecond.toFixed(1)} callbacks/s, median interval ${q.raf.medianMs.toFixed(1)} ms)${rafWorks ? ', so its gaps are the frames the page could not draw' : ': the 16 ms setInterval heartbeat is the measure'}; both are shown.`,
    '',
    '| measure | count | median (ms) | longest (ms) | during | gaps > 50 ms | gaps > 200 ms |',
    '|---|--:|--:|--:|---|--:|--:|',
    `| rAF callbacks | ${q.raf.count} | ${q.raf.medianMs.toFixed(1)} | ${q.raf.maxMs.toFixed(0)} | ${q.raf.maxAt} | ${q.raf.over50} | ${q.raf.over200} |`,
    `| 16 ms setInterval beats | ${q.interval.count} | ${q.interval.medianMs.toFixed(1)} | ${q.interval.maxMs.toFixed(0)} | ${q.interval.maxAt} | ${q.interval.over50} | ${q.interval.over200} |`,
    `| long tasks (> 50 ms, PerformanceObserver) | ${q.longTasks.observer ? q.longTasks.count : 'not supported'} | total ${q.longTasks.totalMs.toFixed(0)} | ${q.longTasks.maxMs.toFixed(0)} | ${q.longTasks.count > 0 ? q.longTasks.maxAt : '–'} | | |`,
    `| mouse move every ${POKE_MS} ms, dispatch → handler | ${q.input.handled} of ${q.input.sent} | ${q.input.medianMs.toFixed(1)} (p95 ${q.input.p95Ms.toFixed(1)}) | ${q.input.maxMs.toFixed(0)} | ${q.input.maxAt} | | |`,
    '',
    `Input latency: from just before playwright's \`page.mouse.move\` (CDP Input.dispatchMouseEvent) in Node to a capturing mousemove handler on the page, on one clock (the page's offset measured by a ${q.input.clockRoundTripMs.toFixed(1)} ms round trip); the most from the event's own timeStamp to the handler was ${q.input.eventToHandlerMaxMs.toFixed(1)} ms. Chromium delivers mousemove, a continuous event, with the next frame, so about one frame (16.7 ms) is the floor even on an idle page.`,
    '',
    '## Memory',
    '',
    `- The page's JS heap (performance.memory.usedJSHeapSize, --enable-precise-memory-info; the main thread only, not the worker): ${q.heap.available ? `${f1(q.heap.startMB)} MB at the file pick, peak ${f1(q.heap.peakMB)} MB, ${f1(q.heap.endMB)} MB at the end` : 'not available'}`,
    `- Chromium's processes (RSS from /proc, read every ${RSS_MS} ms): peak sum ${q.rss.peakTotalMB.toFixed(0)} MB (shared pages counted in each process), peak of the largest (the renderer, which holds the page and its workers) ${q.rss.peakLargestMB.toFixed(0)} MB`,
    '',
    ...afterLines(r.browser.afterResults, r.rows),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const defaults = flags.has('defaults');
  const rows = flags.int('rows', defaults ? 200_000 : 100_000);
  const dataSeed = flags.int('seed', defaults ? (WORKFLOW_DEFAULTS.seed.value as number) : 1);
  const reps = flags.int('reps', defaults ? 1 : 2);
  const mode: Mode = defaults ? { kind: 'defaults' } : { kind: 'fixed', k: flags.int('k', 8), nInit: flags.int('n-init', 3), seed: dataSeed, reps };
  const nodeOptions: SegmentOptions = mode.kind === 'fixed' ? { k: mode.k, nInit: mode.nInit, seed: mode.seed, backend: 'wasm' } : {};
  const maxLoad = flags.num('max-load', 1.5);
  const waitMs = flags.num('wait-load-min', 20) * 60_000;
  if (!existsSync(CHROMIUM)) {
    console.log(`skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
    return;
  }
  const date = new Date();
  const loads: Report['loads'] = [{ what: 'at the start', load: loadavg(), waitedS: 0, quiet: loadavg()[0] <= maxLoad }];
  const csv = await cachedCsv(rows, dataSeed);
  const dir = mkdtempSync(join(os.tmpdir(), 'segments-bench-browser-'));
  try {
    const dist = join(dir, 'dist');
    await build({ configFile: fileURLToPath(new URL('../app/vite.config.ts', import.meta.url)), build: { outDir: dist, emptyOutDir: true }, logLevel: 'error' });

    loads.push(await waitForQuiet(maxLoad, waitMs, 'before the Node run'));
    const node = await inNode(csv, nodeOptions, reps);
    loads.push({ what: 'after the Node run', load: loadavg(), waitedS: 0, quiet: loadavg()[0] <= maxLoad });
    const app = await serveApp({ port: 0, host: '127.0.0.1', root: dist });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      await page.addInitScript(PROBE);
      await page.goto(app.url);
      await page.waitForFunction(() => document.getElementById('threads-status')?.dataset.isolated !== undefined);
      loads.push(await waitForQuiet(maxLoad, waitMs, 'before the browser run'));
      const web = await inBrowser(page, csv, mode);
      loads.push({ what: 'at the end', load: loadavg(), waitedS: 0, quiet: loadavg()[0] <= maxLoad });
      const same = web.labels.length === node.labels.length && web.labels.every((l, i) => l === node.labels[i]);
      const { labels: _labels, ...webKept } = web;
      const cpus = os.cpus();
      const report: Report = {
        date: date.toISOString(),
        command: `npx tsx bench/browser.ts ${process.argv.slice(2).join(' ')}`.trim(),
        mode: mode.kind,
        machine: { cores: cpus.length, cpu: cpus[0]?.model.trim() ?? '?', memoryGiB: os.totalmem() / 2 ** 30, node: process.version, chromium: browser.version(), platform: `${os.type()} ${os.release()} ${os.arch()}` },
        loads,
        maxLoad,
        rows,
        features: node.features,
        dataSeed,
        nodeOptions,
        csv: { path: csv, bytes: readFileSync(csv).byteLength },
        node: { threads: node.threads, runs: node.runs, medianFitMs: median(node.runs.map((x) => x.fitMs)), medianWallMs: median(node.runs.map((x) => x.wallMs)) },
        browser: { ...webKept, medianFitMs: median(web.runs.map((x) => x.fitMs)) },
        sameLabels: same,
        targetS: mode.kind === 'defaults' ? TARGET_S : null,
      };
      const md = markdown(report);
      const size = rows >= 1e4 && Number.isInteger(Math.log10(rows)) ? `1e${Math.log10(rows)}` : String(rows);
      const stamp = `${date.toISOString().slice(0, 16).replace(':', '')}-${size}${mode.kind === 'defaults' ? '-defaults' : ''}`;
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(join(RESULTS, `browser-${stamp}.md`), md);
      writeFileSync(join(RESULTS, `browser-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
      console.log(md);
      console.log(`written: bench/results/browser-${stamp}.md and .json`);
      if (!same) process.exitCode = 1;
    } finally {
      await browser.close();
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(process.exitCode ?? 0);
