// SPDX-License-Identifier: MIT
/**
 * Our own WebAssembly module (AssemblyScript in asm/, compiled with SIMD by asm/build.mjs) and
 * the cache of block data in its memory. Row blocks are uploaded once per fit and used every
 * iteration, so each block's rows are copied (in the kernel's layout) into our memory the first time a kernel sees the
 * tensor and reused after; the copy is freed once the tensor is disposed (found lazily, on the
 * next cache miss, or by `releaseDisposedWasmData`), or evicted least recently used when the
 * cache passes its limit.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { SegmentsError } from '../../errors.js';
import { LLOYD_STEP_WASM_BASE64 } from './lloydStep.wasm.gen.js';

/** The exports of asm/lloydStep.ts. Pointers and sizes are bytes in `memory`. */
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
}

let kernels: KernelExports | null = null;

/**
 * The instantiated module, compiled synchronously on first use (the binary is about 2 KB, under
 * the 4 KB that browsers allow for synchronous compilation on the main thread).
 */
export function wasmKernels(): KernelExports {
  if (kernels === null) {
    const bytes = Uint8Array.from(atob(LLOYD_STEP_WASM_BASE64), (ch) => ch.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: {
        abort: () => {
          throw new SegmentsError('segments wasm kernels: out of memory (or an internal assertion failed)');
        },
      },
    });
    kernels = instance.exports as unknown as KernelExports;
  }
  return kernels;
}

/** Rounds a row length up to whole f32x4 vectors. */
export function paddedStride(cols: number): number {
  return (cols + 3) & ~3;
}

/** How a tensor's data is laid out in our memory. */
export type Layout =
  /** As it is: [size] float32 (weights). */
  | 'flat'
  /** Rows [t, d] as groups of four rows, [ceil(t/4), dp, 4], lane = row, zero padded (see asm/lloydStep.ts). */
  | 'rowGroups4';

interface Entry {
  tensor: WeakRef<tf.Tensor>;
  /** The data the copy was made from (a tf.Variable changes its dataId on assign). */
  dataId: object;
  ptr: number;
  bytes: number;
  layout: Layout;
  lastUse: number;
}

const byTensor = new WeakMap<tf.Tensor, Entry>();
const live = new Set<Entry>();
let cachedBytes = 0;
let limitBytes = 1024 * 1024 * 1024;
let clock = 0;

function stale(e: Entry): boolean {
  const t = e.tensor.deref();
  return t === undefined || t.isDisposed || t.dataId !== e.dataId;
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

/** Frees every cached copy (they are made again on next use). */
export function clearWasmData(): void {
  for (const e of [...live]) drop(e);
}

/** Sets the cache limit in bytes (default 1 GiB); past it, the least recently used copies go. */
export function setWasmDataLimit(bytes: number): void {
  limitBytes = bytes;
}

/** What the cache holds, and the size of our module's memory (which never shrinks; freed blocks are reused). */
export function wasmDataStats(): { entries: number; cachedBytes: number; memoryBytes: number } {
  return { entries: live.size, cachedBytes, memoryBytes: kernels === null ? 0 : kernels.memory.buffer.byteLength };
}

/** Starts a kernel call: copies cached for this call are not evicted while it makes others. */
export function beginCall(): void {
  clock++;
}

/**
 * Pointer to the float32 data of `tensor` in our memory in `layout` ('rowGroups4' takes a
 * [t, d] tensor), copied with dataSync on first use and reused while the tensor lives.
 */
export function cachedData(tensor: tf.Tensor, layout: Layout): number {
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
  if (cachedBytes + bytes > limitBytes) {
    const old = [...live].filter((e) => e.lastUse !== clock).sort((a, b) => a.lastUse - b.lastUse);
    for (const e of old) {
      if (cachedBytes + bytes <= limitBytes) break;
      drop(e);
    }
  }
  const src = tensor.dataSync() as Float32Array;
  const mod = wasmKernels();
  const ptr = mod.alloc(bytes);
  const dst = new Float32Array(mod.memory.buffer, ptr, bytes / 4);
  if (layout === 'flat') {
    dst.set(src);
  } else {
    dst.fill(0);
    for (let i = 0; i < t; i++) {
      const base = (i >> 2) * dp * 4 + (i & 3);
      for (let f = 0; f < d; f++) dst[base + 4 * f] = src[i * d + f];
    }
  }
  const e: Entry = { tensor: new WeakRef(tensor), dataId: tensor.dataId, ptr, bytes, layout, lastUse: clock };
  byTensor.set(tensor, e);
  live.add(e);
  cachedBytes += bytes;
  return ptr;
}
