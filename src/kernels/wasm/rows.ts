// SPDX-License-Identifier: MIT
/**
 * The host-side passes over a float32 matrix that every fit makes before its kernels run
 * (src/matrix.ts: columnMeans, subtractRow, centerColumns), in our WebAssembly module
 * (asm/rows.ts). The rows go through the module in chunks of about 256 KB (copied in, and the
 * result copied out), so the module's memory does not grow with the data. The same bits as the
 * JavaScript loops (each column's f64 sum in row order; each difference in f64, rounded once),
 * about 3 times faster at 10^6 × 16 (plain JavaScript reads and writes the f64 column sums
 * through memory for every value). Each returns null where the module cannot be instantiated
 * (no WebAssembly SIMD): the caller then runs its JavaScript.
 */
import { wasmKernels, type KernelExports } from './kernelModule.js';

/** Floats per chunk. */
const CHUNK_FLOATS = 1 << 16;

const up = (bytes: number): number => (bytes + 15) & ~15;

/** The module, or null where it cannot be instantiated. */
function kernelsOrNull(): KernelExports | null {
  try {
    return wasmKernels();
  } catch {
    return null;
  }
}

/**
 * Runs `pass(inPtr, rows, firstRow)` on the rows of `src` [n, d], a chunk at a time copied to
 * `inPtr`, with `f64Count` float64 slots (zeroed, at `f64Ptr`) and an output chunk (at `outPtr`)
 * alongside; `done(f64Ptr)` reads the float64 slots before the scratch is freed.
 */
function inChunks<T>(
  mod: KernelExports,
  src: Float32Array,
  d: number,
  f64Count: number,
  pass: (ptrs: { input: number; output: number; f64: number }, rows: number, firstRow: number) => void,
  done: (f64: number) => T,
): T {
  const n = src.length / d;
  const chunkRows = Math.max(1, Math.floor(CHUNK_FLOATS / d));
  const f64Bytes = up(8 * f64Count);
  const chunkBytes = up(4 * chunkRows * d);
  const scratch = mod.alloc(f64Bytes + 2 * chunkBytes);
  const ptrs = { f64: scratch, input: scratch + f64Bytes, output: scratch + f64Bytes + chunkBytes };
  try {
    new Uint8Array(mod.memory.buffer, scratch, f64Bytes).fill(0);
    for (let r = 0; r < n; r += chunkRows) {
      const rows = Math.min(chunkRows, n - r);
      new Float32Array(mod.memory.buffer, ptrs.input, rows * d).set(src.subarray(r * d, (r + rows) * d));
      pass(ptrs, rows, r);
    }
    return done(ptrs.f64);
  } finally {
    mod.free(scratch);
  }
}

/** Float64 column sums [d] of `src` [n, d], each in row order; null without the module. */
export function columnSumsWasm(src: Float32Array, d: number): Float64Array | null {
  const mod = kernelsOrNull();
  if (mod === null) return null;
  return inChunks(
    mod,
    src,
    d,
    d,
    (p, rows) => mod.addColumns(p.input, rows, d, p.f64),
    (f64) => new Float64Array(mod.memory.buffer, f64, d).slice(),
  );
}

/**
 * `src` [n, d] minus `row` [d] (f64 differences, rounded once) as a new Float32Array, with the
 * float64 column sums and sums of squares of the values written; null without the module.
 */
export function subtractRowWasm(src: Float32Array, d: number, row: Float64Array): { data: Float32Array; sum: Float64Array; sq: Float64Array } | null {
  const mod = kernelsOrNull();
  if (mod === null) return null;
  const data = new Float32Array(src.length);
  // f64 slots: the row, then the sums, then the squares.
  return inChunks(
    mod,
    src,
    d,
    3 * d,
    (p, rows, r) => {
      if (r === 0) new Float64Array(mod.memory.buffer, p.f64, d).set(row);
      mod.centerRows(p.input, rows, d, p.f64, p.output, p.f64 + 8 * d, p.f64 + 16 * d);
      data.set(new Float32Array(mod.memory.buffer, p.output, rows * d), r * d);
    },
    (f64) => ({ data, sum: new Float64Array(mod.memory.buffer, f64 + 8 * d, d).slice(), sq: new Float64Array(mod.memory.buffer, f64 + 16 * d, d).slice() }),
  );
}
