// SPDX-License-Identifier: MIT
// AssemblyScript source of the fused silhouette tile for the tfjs 'wasm' backend, compiled with
// SIMD by asm/build.mjs into the same module as lloydStep/lloydStep.as.ts (one memory, one block cache).

/** pairwiseSqDist's NOISE: squared distances below NOISE·(‖x‖² + ‖y‖²) are float32 rounding, set to 0. */
const NOISE: f32 = 1e-6;

/** Column groups summed in one f32x4 before the partial goes to f64: 256 columns, as REDUCTION_RUN. */
const RUN: i32 = 64;

/**
 * Σ v_f · w_f over the `dp` features of two [dp, 4] groups, lane-wise, in exactly the order
 * `groupNorms` uses (even and odd features in two accumulators, then added): so the dot of a row
 * with itself or its duplicate equals its norm bit for bit, and its squared distance is exactly 0.
 */
// @ts-ignore: decorator
@inline
function dot4(v: usize, w: usize, groupBytes: usize): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  for (let off: usize = 0; off < groupBytes; off += 32) {
    a0 = f32x4.add(a0, f32x4.mul(v128.load(v + off), v128.load(w + off)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(v + off, 16), v128.load(w + off, 16)));
  }
  return f32x4.add(a0, a1);
}

/** Squared norms of `groups` groups [groups, dp, 4] (lane = row) into `out` [groups, 4] f32. */
export function groupNorms(x: usize, groups: i32, dp: i32, out: usize): void {
  const groupBytes = <usize>dp << 4;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * groupBytes;
    v128.store(out + (<usize>g << 4), dot4(xg, xg, groupBytes));
  }
}

/**
 * Adds to out[i, c] (f64, [b, k]) the summed Euclidean distances from each of the `b` rows to
 * the columns of cluster c in one column block. Layouts (float32, `dp` = d rounded up to 4):
 *   rows      [b, dp, 4]: each row value splat over four lanes; rowNorms [b, 4] likewise; b is
 *             a multiple of 4 (the caller pads with zero rows), as are out's rows;
 *   cols      [G, dp, 4]: the block's columns sorted by cluster, four per group (lane = column),
 *             each cluster's run padded to whole groups; colNorms [G, 4], NaN in padding lanes
 *             (a NaN squared distance fails the > test below and counts 0);
 *   starts    [k + 1] i32: cluster c holds groups starts[c] .. starts[c + 1] − 1.
 * Distances as ‖x‖² + ‖y‖² − 2x·y in f32, clamped to 0 below NOISE·(‖x‖² + ‖y‖²) as
 * pairwiseSqDist does; square roots summed per lane in f32 over at most RUN groups, then in f64.
 */
export function silhouetteTile(
  rows: usize,
  rowNorms: usize,
  b: i32,
  dp: i32,
  cols: usize,
  colNorms: usize,
  starts: usize,
  k: i32,
  out: usize,
): void {
  // Four rows at a time share each load of a column group (rows and out padded to whole fours).
  for (let i = 0; i < b; i += 4) tileRows4(rows, rowNorms, i, dp, cols, colNorms, starts, k, out);
}

/** The four lanes of `acc` added, in f64, into `s64`. */
// @ts-ignore: decorator
@inline
function widen(s64: v128, acc: v128): v128 {
  return f64x2.add(s64, f64x2.add(f64x2.promote_low_f32x4(acc), f64x2.promote_low_f32x4(v128.shuffle<f32>(acc, acc, 2, 3, 0, 1))));
}

/** √ of the clamped squared distance, from the dot product `xy` and the norms `xx`, `yy`. */
// @ts-ignore: decorator
@inline
function dist4(xy: v128, xx: v128, yy: v128): v128 {
  const nrm = f32x4.add(xx, yy);
  const d2 = f32x4.sub(nrm, f32x4.add(xy, xy));
  const keep = f32x4.gt(d2, f32x4.mul(nrm, f32x4.splat(NOISE)));
  return f32x4.sqrt(v128.and(d2, keep));
}

// @ts-ignore: decorator
@inline
function addOut(p: usize, s64: v128): void {
  store<f64>(p, load<f64>(p) + f64x2.extract_lane(s64, 0) + f64x2.extract_lane(s64, 1));
}

function tileRows4(rows: usize, rowNorms: usize, i: i32, dp: i32, cols: usize, colNorms: usize, starts: usize, k: i32, out: usize): void {
  const groupBytes = <usize>dp << 4;
  const r0 = rows + <usize>i * groupBytes;
  const r1 = r0 + groupBytes;
  const r2 = r1 + groupBytes;
  const r3 = r2 + groupBytes;
  const n = rowNorms + (<usize>i << 4);
  const xx0 = v128.load(n);
  const xx1 = v128.load(n, 16);
  const xx2 = v128.load(n, 32);
  const xx3 = v128.load(n, 48);
  const o = out + ((<usize>i * <usize>k) << 3);
  const rowOut = <usize>k << 3;
  for (let c = 0; c < k; c++) {
    let g = load<i32>(starts + (<usize>c << 2));
    const g1 = load<i32>(starts + (<usize>(c + 1) << 2));
    if (g >= g1) continue;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    while (g < g1) {
      const end = min(g1, g + RUN);
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      let cg = cols + <usize>g * groupBytes;
      for (; g < end; g++) {
        // The same operations in the same order as dot4, for four rows.
        let a0 = f32x4.splat(0);
        let b0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let b1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let b2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        let b3 = f32x4.splat(0);
        for (let off: usize = 0; off < groupBytes; off += 32) {
          const y0 = v128.load(cg + off);
          const y1 = v128.load(cg + off, 16);
          a0 = f32x4.add(a0, f32x4.mul(v128.load(r0 + off), y0));
          b0 = f32x4.add(b0, f32x4.mul(v128.load(r0 + off, 16), y1));
          a1 = f32x4.add(a1, f32x4.mul(v128.load(r1 + off), y0));
          b1 = f32x4.add(b1, f32x4.mul(v128.load(r1 + off, 16), y1));
          a2 = f32x4.add(a2, f32x4.mul(v128.load(r2 + off), y0));
          b2 = f32x4.add(b2, f32x4.mul(v128.load(r2 + off, 16), y1));
          a3 = f32x4.add(a3, f32x4.mul(v128.load(r3 + off), y0));
          b3 = f32x4.add(b3, f32x4.mul(v128.load(r3 + off, 16), y1));
        }
        const yy = v128.load(colNorms + (<usize>g << 4));
        acc0 = f32x4.add(acc0, dist4(f32x4.add(a0, b0), xx0, yy));
        acc1 = f32x4.add(acc1, dist4(f32x4.add(a1, b1), xx1, yy));
        acc2 = f32x4.add(acc2, dist4(f32x4.add(a2, b2), xx2, yy));
        acc3 = f32x4.add(acc3, dist4(f32x4.add(a3, b3), xx3, yy));
        cg += groupBytes;
      }
      s0 = widen(s0, acc0);
      s1 = widen(s1, acc1);
      s2 = widen(s2, acc2);
      s3 = widen(s3, acc3);
    }
    const p = o + (<usize>c << 3);
    addOut(p, s0);
    addOut(p + rowOut, s1);
    addOut(p + 2 * rowOut, s2);
    addOut(p + 3 * rowOut, s3);
  }
}

/**
 * Chunk `chunk` of a silhouetteTile job: the rows chunk·chunkRows .. +chunkRows (a multiple of
 * 4) against every column copy in order. Each output row belongs to one chunk and sees the
 * copies in the same order whatever thread runs it, so the sums are the same on any number of
 * threads. The job is nine i32 after its kind (see src/kernels/silhouetteTile/wasm.ts): rows,
 * rowNorms, b4, dp, copies ([nCopies, 3] i32: cols, colNorms, starts), nCopies, k, out, chunkRows.
 */
export function silhouetteChunk(job: usize, chunk: i32): void {
  const b4 = load<i32>(job, 12);
  const dp = load<i32>(job, 16);
  const copies = <usize>load<u32>(job, 20);
  const nCopies = load<i32>(job, 24);
  const k = load<i32>(job, 28);
  const chunkRows = load<i32>(job, 36);
  const r0 = chunk * chunkRows;
  const rows = min(chunkRows, b4 - r0);
  const rowPtr = <usize>load<u32>(job, 4) + (<usize>r0 * <usize>dp << 4);
  const normPtr = <usize>load<u32>(job, 8) + (<usize>r0 << 4);
  const outPtr = <usize>load<u32>(job, 32) + ((<usize>r0 * <usize>k) << 3);
  for (let c = 0; c < nCopies; c++) {
    const e = copies + <usize>c * 12;
    silhouetteTile(rowPtr, normPtr, rows, dp, <usize>load<u32>(e), <usize>load<u32>(e, 4), <usize>load<u32>(e, 8), k, outPtr);
  }
}
