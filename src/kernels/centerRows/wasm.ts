// SPDX-License-Identifier: MIT
/**
 * `centerRows` in our WebAssembly module (addColumns and centerRows of src/kernels/rows.as.ts).
 * The rows go through the module in chunks of about 256 KB (copied in, and the result copied
 * out), so the module's memory does not grow with the data. The same bits as the portable form
 * (each column's f64 sum in row order; each difference in f64, rounded once), about 3 times
 * faster at 10^6 × 16 (plain JavaScript reads and writes the f64 column sums through memory for
 * every value). Where the module cannot be instantiated, `wasmKernels` throws and says why.
 */
import type { MatrixF32 } from '../../matrix.js';
import { wasmKernels, type KernelExports } from '../wasm/kernelModule.js';
import { centeredRows, type CenteredRows } from './portable.js';

/** Floats per chunk. */
const CHUNK_FLOATS = 1 << 16;

const up = (bytes: number): number => (bytes + 15) & ~15;

/**
 * Runs `pass(ptrs, rows, firstRow)` on the rows of `src` [n, d], a chunk at a time copied to
 * `ptrs.input`, with `f64Count` float64 slots (zeroed, at `ptrs.f64`) and an output chunk (at
 * `ptrs.output`) alongside; `done(f64Ptr)` reads the float64 slots before the scratch is freed.
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

/** Float64 column means [d] of `src` [n, d], each column summed in row order. */
function columnMeansWasm(mod: KernelExports, src: Float32Array, n: number, d: number): Float64Array {
  const sums = inChunks(
    mod,
    src,
    d,
    d,
    (p, rows) => mod.addColumns(p.input, rows, d, p.f64),
    (f64) => new Float64Array(mod.memory.buffer, f64, d).slice(),
  );
  for (let j = 0; j < d; j++) sums[j] /= n;
  return sums;
}

/** `centerRows` in our module (registered for the wasm, webgpu and tensorflow backends: index.ts): see portable.ts; the same bits. */
export function centerRowsWasm(x: MatrixF32, mean?: Float64Array): CenteredRows {
  const mod = wasmKernels();
  const { rows: n, cols: d, data: src } = x;
  const row = mean ?? columnMeansWasm(mod, src, n, d);
  const data = new Float32Array(src.length);
  // f64 slots: the row, then the sums, then the squares.
  const { sum, sq } = inChunks(
    mod,
    src,
    d,
    3 * d,
    (p, rows, r) => {
      if (r === 0) new Float64Array(mod.memory.buffer, p.f64, d).set(row);
      mod.centerRows(p.input, rows, d, p.f64, p.output, p.f64 + 8 * d, p.f64 + 16 * d);
      data.set(new Float32Array(mod.memory.buffer, p.output, rows * d), r * d);
    },
    (f64) => ({ sum: new Float64Array(mod.memory.buffer, f64 + 8 * d, d).slice(), sq: new Float64Array(mod.memory.buffer, f64 + 16 * d, d).slice() }),
  );
  return centeredRows(x, row, data, sum, sq);
}
