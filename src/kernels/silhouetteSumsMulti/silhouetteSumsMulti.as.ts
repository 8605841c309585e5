// SPDX-License-Identifier: MIT
// AssemblyScript source of the silhouette sums of several labelings of the same rows: each pair
// of rows has its distance computed once and added, for every labeling, to both rows' sums for
// the other row's cluster. Compiled with SIMD by asm/build.mjs into the same module as the other
// kernels (one memory); the host side is src/kernels/silhouetteSumsMulti/wasm.ts.

/** pairwiseSqDist's NOISE: squared distances below NOISE·(‖x‖² + ‖y‖²) are float32 rounding, set to 0. */
const NOISE: f32 = 1e-6;

/** √ of ‖x‖² + ‖y‖² − 2x·y clamped to 0 below NOISE·(‖x‖² + ‖y‖²); a NaN norm (padding) gives 0. */
// @ts-ignore: decorator
@inline
function clampedDist(xy: v128, xx: v128, yy: v128): v128 {
  const nrm = f32x4.add(xx, yy);
  const d2 = f32x4.sub(nrm, f32x4.add(xy, xy));
  return f32x4.sqrt(v128.and(d2, f32x4.gt(d2, f32x4.mul(nrm, f32x4.splat(NOISE)))));
}

/** out[0..4) += the four f32 of `v`, in f64. */
// @ts-ignore: decorator
@inline
function accumulate(p: usize, v: v128): void {
  v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v)));
  v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
}

/**
 * Adds the distances `v` (lanes: the four slots from `slot` on) to out[label, slot..slot + 4) for
 * every labeling: `label` is the other row's cluster in each labeling, read at labels + 4·slots·s
 * + `other` (labels are [S, slots] i32, each set's already offset to its rows of `out`).
 */
// @ts-ignore: decorator
@inline
function addToAll(v: v128, labels: usize, sets: i32, slots: i32, other: i32, out: usize, slot: i32): void {
  const setBytes = <usize>slots << 2;
  const target = <usize>slot << 3;
  const outRow = <usize>slots << 3;
  for (let s = 0; s < sets; s++) {
    const c = load<i32>(labels + <usize>s * setBytes + (<usize>other << 2));
    accumulate(out + <usize>c * outRow + target, v);
  }
}

/**
 * Chunk `chunk` of a silhouetteSumsMulti job: one tile pair (I, J) of the current round (the
 * schedule of src/kernels/silhouetteSums/wasm.ts, tileRounds). The rows, in their own order, are
 * groups of four (lane = row): data [G, dp, 4] f32, norms [G, 4] (NaN in padding lanes, whose
 * distances then count 0), labels [S, 4G] i32 (each labeling's clusters offset to its rows of
 * `out`), out [K, 4G] f64 (cluster-major over all labelings; K = Σ k).
 *
 * For each row group q of I and column group g of J (g ≥ q when I = J): the 4 × 4 distances, one
 * f32 dot product in feature order per pair (as groupNormsSeq, so duplicates are exactly 0
 * apart). Each column's distances are added, in f64, to its sum for the row's cluster in every
 * labeling; unless g = q (a group against itself, whose full square the column side alone sums),
 * the block is transposed and each row's distances added to its sums for the column's cluster.
 * Within a round no two chunks share a tile, so chunks never write the same outputs, and each
 * output gets its terms in the same order on any number of threads. The job is ten i32 after its
 * kind (see wasm.ts): data, norms, labels, sets, G, dp, out, tileGroups, pairs (this round's,
 * [chunks, 2] i32), unused.
 */
export function multiSumsChunk(job: usize, chunk: i32): void {
  const data = <usize>load<u32>(job, 4);
  const norms = <usize>load<u32>(job, 8);
  const labels = <usize>load<u32>(job, 12);
  const sets = load<i32>(job, 16);
  const groups = load<i32>(job, 20);
  const dp = load<i32>(job, 24);
  const out = <usize>load<u32>(job, 28);
  const tg = load<i32>(job, 32);
  const pairs = <usize>load<u32>(job, 36);
  const tileI = load<i32>(pairs + (<usize>chunk << 3));
  const tileJ = load<i32>(pairs + (<usize>chunk << 3), 4);
  const i1 = min(groups, tileI * tg + tg);
  const j1 = min(groups, tileJ * tg + tg);
  const slots = groups << 2;
  const groupBytes = <usize>dp << 4;
  for (let q = tileI * tg; q < i1; q++) {
    const xq = data + <usize>q * groupBytes;
    const nq = v128.load(norms + (<usize>q << 4));
    const xx0 = v128.shuffle<f32>(nq, nq, 0, 0, 0, 0);
    const xx1 = v128.shuffle<f32>(nq, nq, 1, 1, 1, 1);
    const xx2 = v128.shuffle<f32>(nq, nq, 2, 2, 2, 2);
    const xx3 = v128.shuffle<f32>(nq, nq, 3, 3, 3, 3);
    const row = q << 2;
    for (let g = tileI == tileJ ? q : tileJ * tg; g < j1; g++) {
      const y = data + <usize>g * groupBytes;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      for (let off: usize = 0; off < groupBytes; off += 16) {
        const yv = v128.load(y + off);
        const xr = xq + off;
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xr), yv));
        a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xr, 4), yv));
        a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(xr, 8), yv));
        a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(xr, 12), yv));
      }
      const yy = v128.load(norms + (<usize>g << 4));
      // Lanes: the four columns of g; one vector per row of q.
      const d0 = clampedDist(a0, xx0, yy);
      const d1 = clampedDist(a1, xx1, yy);
      const d2 = clampedDist(a2, xx2, yy);
      const d3 = clampedDist(a3, xx3, yy);
      const col = g << 2;
      addToAll(d0, labels, sets, slots, row, out, col);
      addToAll(d1, labels, sets, slots, row + 1, out, col);
      addToAll(d2, labels, sets, slots, row + 2, out, col);
      addToAll(d3, labels, sets, slots, row + 3, out, col);
      if (g == q) continue;
      // The transpose: lanes the four rows of q, one vector per column of g.
      const t01lo = v128.shuffle<f32>(d0, d1, 0, 4, 1, 5);
      const t23lo = v128.shuffle<f32>(d2, d3, 0, 4, 1, 5);
      const t01hi = v128.shuffle<f32>(d0, d1, 2, 6, 3, 7);
      const t23hi = v128.shuffle<f32>(d2, d3, 2, 6, 3, 7);
      addToAll(v128.shuffle<f32>(t01lo, t23lo, 0, 1, 4, 5), labels, sets, slots, col, out, row);
      addToAll(v128.shuffle<f32>(t01lo, t23lo, 2, 3, 6, 7), labels, sets, slots, col + 1, out, row);
      addToAll(v128.shuffle<f32>(t01hi, t23hi, 0, 1, 4, 5), labels, sets, slots, col + 2, out, row);
      addToAll(v128.shuffle<f32>(t01hi, t23hi, 2, 3, 6, 7), labels, sets, slots, col + 3, out, row);
    }
  }
}
