// SPDX-License-Identifier: MIT
/**
 * Our own WebAssembly module (AssemblyScript in asm/, compiled with SIMD by asm/build.mjs), the
 * copies of row blocks in its memory that a caller owns (copyRowGroups, copyFlat: a Lloyd session
 * makes its own this way and frees them on dispose), and the cache the one-off kernel calls use:
 * each block's rows are copied (in the kernel's layout) into our memory the first time a kernel
 * sees the tensor and reused after; the copy is freed once the tensor is disposed (found lazily,
 * on the next cache miss, or by `releaseDisposedWasmData`), or evicted least recently used when
 * the cache passes its limit. The cache holds copies only, never state between calls.
 *
 * Where shared memory is allowed the module runs on a shared WebAssembly.Memory that worker
 * threads instantiate the same module on (threads.ts). Only this thread allocates (TLSF is not
 * thread-safe, and its state is a global of this instance); the memory may grow while workers
 * run, which they see at once, and views made here are made again after any allocation.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { SegmentsError } from '../../errors.js';
import { sharedMemoryUnavailableReason, threadEnvironment } from './environment.js';
import { hostRows } from '../shared/hostRows.js';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64, SHARED_MEMORY_PAGES } from './kernels.wasm.gen.js';

/** The exports of asm/lloydStep.ts, asm/silhouetteTile.ts, asm/silhouetteSums.ts, asm/radius.ts, asm/meanShift.ts and asm/parallel.ts. Pointers and sizes are bytes in `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  lloydStep(
    x: number,
    t: number,
    dp: number,
    c: number,
    k: number,
    w: number,
    labels: number,
    dist: number,
    counts: number,
    sums: number,
  ): void;
  groupNorms(x: number, groups: number, dp: number, out: number): void;
  /** Squared norms of row groups with one accumulator in feature order (asm/silhouetteSums.ts). */
  groupNormsSeq(x: number, groups: number, dp: number, out: number): void;
  /** fl(‖x‖² − r2) per row of row groups (asm/radius.ts). */
  radiusRowTerms(x: number, groups: number, dp: number, r2: number, out: number): void;
  silhouetteTile(
    rows: number,
    rowNorms: number,
    b: number,
    dp: number,
    cols: number,
    colNorms: number,
    starts: number,
    k: number,
    out: number,
  ): void;
  /** Adds rows [rows, d] f32 into f64 column sums [d] (asm/rows.ts). */
  addColumns(x: number, rows: number, d: number, sums: number): void;
  /** Rows minus f64 `mean` [d] to `out` f32, adding the written values and their squares into f64 `sums`, `squares` (asm/rows.ts). */
  centerRows(x: number, rows: number, d: number, mean: number, out: number, sums: number, squares: number): void;
  /** Rows [rows, d] f32 into groups of four rows [ceil(rows/4), dp, 4] at a zeroed `dst` (asm/rows.ts). */
  toRowGroups(src: number, rows: number, d: number, dst: number, dp: number): void;
  /** Chunk `chunk` of the job at `job` (its first i32 says which kernel; see threads.ts). */
  runChunk(job: number, chunk: number): void;
}

let kernels: KernelExports | null = null;
/** The compiled shared-memory module and its memory, which worker threads instantiate too. */
let shared: { module: WebAssembly.Module; memory: WebAssembly.Memory } | null = null;
let sharedReason = 'the module is not instantiated yet';

function decode(b64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
}

function abort(): never {
  throw new SegmentsError('segments wasm kernels: out of memory (or an internal assertion failed)');
}

/**
 * A shared memory for the module, or the reason there is none. It needs a maximum; 4 GiB of
 * address space is reserved where it can be (64-bit hosts), 1 GiB otherwise.
 */
function sharedMemory(): WebAssembly.Memory | string {
  const why = sharedMemoryUnavailableReason(threadEnvironment());
  if (why !== null) return why;
  let last: unknown = null;
  for (const maximum of [SHARED_MEMORY_PAGES.maximum, 16384]) {
    try {
      return new WebAssembly.Memory({ initial: SHARED_MEMORY_PAGES.initial, maximum, shared: true });
    } catch (err) {
      last = err;
    }
  }
  return `a shared WebAssembly.Memory could not be made: ${String(last)}`;
}

/**
 * The instantiated module, compiled synchronously on first use (the binary is about 15 KB;
 * Chrome allows up to 8 MB for synchronous compilation on the main thread since version 114,
 * older versions 4 KB). Where shared memory is allowed it is the build that imports a shared
 * memory, which worker threads instantiate as well (threads.ts), whatever the thread count;
 * elsewhere the build that owns its memory, on one thread.
 */
export function wasmKernels(): KernelExports {
  if (kernels === null) {
    const memory = sharedMemory();
    if (typeof memory === 'string') {
      sharedReason = memory;
      const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(KERNELS_WASM_BASE64)), { env: { abort } });
      kernels = instance.exports as unknown as KernelExports;
    } else {
      const module = new WebAssembly.Module(decode(KERNELS_SHARED_WASM_BASE64));
      const instance = new WebAssembly.Instance(module, { env: { memory, abort } });
      kernels = { ...(instance.exports as unknown as KernelExports), memory };
      shared = { module, memory };
    }
  }
  return kernels;
}

/** The shared-memory module and its memory for worker threads, or null (see `sharedModuleUnavailableReason`). */
export function sharedKernelModule(): { module: WebAssembly.Module; memory: WebAssembly.Memory } | null {
  wasmKernels();
  return shared;
}

/** Why the module runs on a memory of its own rather than a shared one (meaningful when `sharedKernelModule()` is null). */
export function sharedModuleUnavailableReason(): string {
  return sharedReason;
}

/** Rounds a row length up to whole f32x4 vectors. */
export function paddedStride(cols: number): number {
  return (cols + 3) & ~3;
}

/**
 * One allocation in our module's memory cut into consecutive regions of `bytes` each (every one
 * 16-byte aligned): [the allocation, to free, then each region's pointer].
 */
export function allocRegions(mod: KernelExports, bytes: readonly number[]): number[] {
  const sizes = bytes.map((b) => (b + 15) & ~15);
  const base = mod.alloc(sizes.reduce((a, b) => a + b, 0));
  const ptrs = [base];
  let at = base;
  for (const size of sizes) {
    ptrs.push(at);
    at += size;
  }
  return ptrs;
}

/** How a tensor's data is laid out in our memory. */
export type Layout =
  /** As it is: [size] float32 (weights). */
  | 'flat'
  /** Rows [t, d] as groups of four rows, [ceil(t/4), dp, 4], lane = row, zero padded (see asm/lloydStep.ts). */
  | 'rowGroups4'
  /**
   * Rows [t, d] with labels [t] (see cachedLabeledData): sorted by label, each label's rows as
   * groups of four ('rowGroups4', padded to whole groups), then their squared norms [G, 4]
   * (NaN in padding lanes), then [k + 1] i32 group starts per label (see asm/silhouetteTile.ts).
   */
  | 'labelGroups4';

/** Where the parts of a 'labelGroups4' copy are. */
export interface LabeledCopy {
  cols: number;
  norms: number;
  starts: number;
}

interface Entry {
  tensor: WeakRef<tf.Tensor>;
  /** The data the copy was made from (a tf.Variable changes its dataId on assign). */
  dataId: object;
  ptr: number;
  bytes: number;
  layout: Layout;
  lastUse: number;
  /** For 'labelGroups4': the labels tensor and k the copy was sorted by, and its parts. */
  labeled?: { labels: WeakRef<tf.Tensor>; labelsDataId: object; k: number; copy: LabeledCopy };
}

const byTensor = new WeakMap<tf.Tensor, Entry>();
const live = new Set<Entry>();
let cachedBytes = 0;
let limitBytes = 1024 * 1024 * 1024;
let clock = 0;

/**
 * Writes `rows` × `d` values of `src` into module memory at `ptr` as [rowsPadded, dp, 4] f32:
 * each value splat over four SIMD lanes, padding (features d..dp, rows rows..rowsPadded) zero.
 */
export function writeSplat(ptr: number, src: Float32Array, rows: number, d: number, dp: number, rowsPadded = rows): void {
  const dst = new Float32Array(wasmKernels().memory.buffer, ptr, rowsPadded * dp * 4);
  dst.fill(0);
  for (let i = 0; i < rows; i++) for (let f = 0; f < d; f++) dst.fill(src[i * d + f], (i * dp + f) * 4, (i * dp + f) * 4 + 4);
}

/** Rows per chunk of `toRowGroups`: whole groups of four, about 256 KB. */
const GROUP_CHUNK_FLOATS = 1 << 16;

/**
 * Writes rows `src` [t, d] at `ptr` in our memory as groups of four rows, [ceil(t/4), dp, 4],
 * zero padded: in the module (asm/rows.ts), a chunk of rows at a time through a scratch block.
 */
function toRowGroups(mod: KernelExports, src: Float32Array, t: number, d: number, ptr: number, bytes: number): void {
  const dp = paddedStride(d);
  new Uint8Array(mod.memory.buffer, ptr, bytes).fill(0);
  const chunkRows = Math.max(4, Math.floor(GROUP_CHUNK_FLOATS / d / 4) * 4);
  const scratch = mod.alloc(chunkRows * d * 4);
  try {
    for (let r = 0; r < t; r += chunkRows) {
      const rows = Math.min(chunkRows, t - r);
      new Float32Array(mod.memory.buffer, scratch, rows * d).set(src.subarray(r * d, (r + rows) * d));
      mod.toRowGroups(scratch, rows, d, ptr + (r / 4) * dp * 16, dp);
    }
  } finally {
    mod.free(scratch);
  }
}

/**
 * A copy of rows `src` [t, d] in our memory in the 'rowGroups4' layout, owned by the caller (not
 * the cache below): free it with `wasmKernels().free(ptr)`. Sessions that keep a block's rows for
 * many calls (lloydSums/session.ts) make theirs this way.
 */
export function copyRowGroups(src: Float32Array, t: number, d: number): number {
  const mod = wasmKernels();
  const bytes = Math.max(16, Math.ceil(t / 4) * paddedStride(d) * 16);
  const ptr = mod.alloc(bytes);
  try {
    toRowGroups(mod, src, t, d, ptr, bytes);
  } catch (err) {
    mod.free(ptr);
    throw err;
  }
  return ptr;
}

/** A copy of `src` in our memory as it is, owned by the caller (free it with `wasmKernels().free(ptr)`). */
export function copyFlat(src: Float32Array): number {
  const mod = wasmKernels();
  const ptr = mod.alloc(Math.max(16, src.length * 4));
  new Float32Array(mod.memory.buffer, ptr, src.length).set(src);
  return ptr;
}

function gone(ref: WeakRef<tf.Tensor>, dataId: object): boolean {
  const t = ref.deref();
  return t === undefined || t.isDisposed || t.dataId !== dataId;
}

function stale(e: Entry): boolean {
  return gone(e.tensor, e.dataId) || (e.labeled !== undefined && gone(e.labeled.labels, e.labeled.labelsDataId));
}

function drop(e: Entry): void {
  wasmKernels().free(e.ptr);
  cachedBytes -= e.bytes;
  live.delete(e);
  const t = e.tensor.deref();
  if (t !== undefined && byTensor.get(t) === e) byTensor.delete(t);
}

/** Frees the copies of tensors that were disposed (or garbage collected); returns the bytes freed. */
export function releaseDisposedWasmData(): number {
  const before = cachedBytes;
  for (const e of [...live]) if (stale(e)) drop(e);
  return before - cachedBytes;
}

/** Frees every cached copy (they are made again on next use); returns the bytes freed. */
export function clearWasmData(): number {
  const before = cachedBytes;
  for (const e of [...live]) drop(e);
  return before - cachedBytes;
}

/** Sets the cache limit in bytes (default 1 GiB); past it, the least recently used copies go. */
export function setWasmDataLimit(bytes: number): void {
  limitBytes = bytes;
}

/** Starts a kernel call: copies cached for this call are not evicted while it makes others. */
export function beginCall(): void {
  clock++;
}

/** Evicts the least recently used copies not used in this call until `bytes` more fit the limit. */
function makeRoom(bytes: number): void {
  if (cachedBytes + bytes <= limitBytes) return;
  const old = [...live].filter((e) => e.lastUse !== clock).sort((a, b) => a.lastUse - b.lastUse);
  for (const e of old) {
    if (cachedBytes + bytes <= limitBytes) break;
    drop(e);
  }
}

/**
 * Pointer to the float32 data of `tensor` in our memory in `layout` ('rowGroups4' takes a
 * [t, d] tensor), copied with dataSync on first use and reused while the tensor lives.
 */
export function cachedData(tensor: tf.Tensor, layout: Exclude<Layout, 'labelGroups4'>): number {
  const hit = byTensor.get(tensor);
  if (hit !== undefined && hit.layout === layout && !stale(hit)) {
    hit.lastUse = clock;
    return hit.ptr;
  }
  if (hit !== undefined) drop(hit);
  releaseDisposedWasmData();
  const [t, d] = layout === 'flat' ? [tensor.size, 1] : tensor.shape;
  const dp = paddedStride(d);
  const bytes = Math.max(16, layout === 'flat' ? t * 4 : Math.ceil(t / 4) * dp * 16);
  makeRoom(bytes);
  // A row block's own host rows when it has them: reading a 10^6 × 16 block back from the
  // device (dataSync) is a 64 MB copy and about 40 ms more.
  const src = (hostRows(tensor) ?? tensor.dataSync()) as Float32Array;
  const mod = wasmKernels();
  const ptr = mod.alloc(bytes);
  if (layout === 'flat') new Float32Array(mod.memory.buffer, ptr, bytes / 4).set(src);
  else toRowGroups(mod, src, t, d, ptr, bytes);
  const e: Entry = { tensor: new WeakRef(tensor), dataId: tensor.dataId, ptr, bytes, layout, lastUse: clock };
  byTensor.set(tensor, e);
  live.add(e);
  cachedBytes += bytes;
  return ptr;
}

/**
 * The rows of `x` [t, d] float32 sorted by `labels` [t] int32 (values in 0..k−1; others are
 * left out) in our memory, in the 'labelGroups4' layout, copied on first use and reused while
 * both tensors live (the metric streams the same column blocks for every row block).
 */
export function cachedLabeledData(x: tf.Tensor, labels: tf.Tensor, k: number): LabeledCopy {
  const hit = byTensor.get(x);
  if (hit !== undefined && hit.layout === 'labelGroups4' && !stale(hit) && hit.labeled !== undefined) {
    const l = hit.labeled;
    if (l.k === k && l.labels.deref() === labels) {
      hit.lastUse = clock;
      return l.copy;
    }
  }
  if (hit !== undefined) drop(hit);
  releaseDisposedWasmData();
  const [t, d] = x.shape;
  const dp = paddedStride(d);
  const lab = labels.dataSync() as Int32Array;
  const counts = new Int32Array(k);
  for (let j = 0; j < t; j++) if (lab[j] >= 0 && lab[j] < k) counts[lab[j]]++;
  const starts = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) starts[c + 1] = starts[c] + Math.ceil(counts[c] / 4);
  const groups = starts[k];
  const colBytes = groups * dp * 16;
  const normBytes = groups * 16;
  const startBytes = ((k + 1) * 4 + 15) & ~15;
  const bytes = Math.max(16, colBytes + normBytes + startBytes);
  makeRoom(bytes);
  const src = x.dataSync() as Float32Array;
  const mod = wasmKernels();
  const ptr = mod.alloc(bytes);
  const copy: LabeledCopy = { cols: ptr, norms: ptr + colBytes, starts: ptr + colBytes + normBytes };
  const dst = new Float32Array(mod.memory.buffer, ptr, colBytes / 4);
  dst.fill(0);
  const next = Int32Array.from(starts.subarray(0, k), (g) => g * 4); // next free column slot per label
  for (let j = 0; j < t; j++) {
    const c = lab[j];
    if (!(c >= 0 && c < k)) continue;
    const slot = next[c]++;
    const base = (slot >> 2) * dp * 4 + (slot & 3);
    for (let f = 0; f < d; f++) dst[base + 4 * f] = src[j * d + f];
  }
  mod.groupNorms(copy.cols, groups, dp, copy.norms);
  const norms = new Float32Array(mod.memory.buffer, copy.norms, groups * 4);
  for (let c = 0; c < k; c++) for (let s = starts[c] * 4 + counts[c]; s < starts[c + 1] * 4; s++) norms[s] = Number.NaN;
  new Int32Array(mod.memory.buffer, copy.starts, k + 1).set(starts);
  const e: Entry = {
    tensor: new WeakRef(x),
    dataId: x.dataId,
    ptr,
    bytes,
    layout: 'labelGroups4',
    lastUse: clock,
    labeled: { labels: new WeakRef(labels), labelsDataId: labels.dataId, k, copy },
  };
  byTensor.set(x, e);
  live.add(e);
  cachedBytes += bytes;
  return copy;
}
