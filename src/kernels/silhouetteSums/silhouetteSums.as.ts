// SPDX-License-Identifier: MIT
// AssemblyScript source of the symmetric silhouette sums for the tfjs 'wasm' backend: each pair
// of rows has its distance computed once and added to both rows' per-cluster sums, for one
// labeling (sumsChunk: silhouetteSums) or for several at once (multiSumsChunk: silhouetteSumsMulti,
// whose host side is src/kernels/silhouetteSumsMulti/wasm.ts). Compiled with SIMD by asm/build.mjs
// into the same module as the other kernels (one memory).

/** pairwiseSqDist's NOISE: squared distances below NOISE·(‖x‖² + ‖y‖²) are float32 rounding, set to 0. */
const NOISE: f32 = 1e-6;

/** Groups summed in f32 before a partial goes to f64: 64 groups, 256 terms per sum (as silhouetteTile). */
const RUN: i32 = 64;

/**
 * Squared norms of `groups` groups [groups, dp, 4] (lane = row) into `out` [groups, 4] f32, with
 * one accumulator in feature order: exactly the operations `pairTile` uses for a dot product, so
 * a row's dot with itself or a duplicate equals its norm bit for bit (squared distance exactly 0).
 */
export function groupNormsSeq(x: usize, groups: i32, dp: i32, out: usize): void {
  const groupBytes = <usize>dp << 4;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * groupBytes;
    let a = f32x4.splat(0);
    for (let off: usize = 0; off < groupBytes; off += 16) {
      const v = v128.load(xg + off);
      a = f32x4.add(a, f32x4.mul(v, v));
    }
    v128.store(out + (<usize>g << 4), a);
  }
}

// The results of groupDots. Globals are per instance, and every thread runs its own instance on
// the shared memory (src/kernels/wasm/threads.ts): these are per thread, like registers.
let dot0: v128 = f32x4(0, 0, 0, 0);
let dot1: v128 = f32x4(0, 0, 0, 0);
let dot2: v128 = f32x4(0, 0, 0, 0);
let dot3: v128 = f32x4(0, 0, 0, 0);

/**
 * The dot products of the four rows of the group at `x` with the four rows of the group at `y`
 * ([dp, 4] f32 each, lane = row), into dot0..dot3 (row r of x against y's rows in lanes), one
 * accumulator each in feature order: the operations of groupNormsSeq.
 */
// @ts-ignore: decorator
@inline
function groupDots(x: usize, y: usize, groupBytes: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  for (let off: usize = 0; off < groupBytes; off += 16) {
    const yv = v128.load(y + off);
    const xr = x + off;
    a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xr), yv));
    a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xr, 4), yv));
    a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(xr, 8), yv));
    a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(xr, 12), yv));
  }
  dot0 = a0;
  dot1 = a1;
  dot2 = a2;
  dot3 = a3;
}

/** √ of the clamped squared distance, from the dot product `xy` and the norms `xx`, `yy` (NaN norm: 0). */
// @ts-ignore: decorator
@inline
function dist4(xy: v128, xx: v128, yy: v128): v128 {
  const nrm = f32x4.add(xx, yy);
  const d2 = f32x4.sub(nrm, f32x4.add(xy, xy));
  const keep = f32x4.gt(d2, f32x4.mul(nrm, f32x4.splat(NOISE)));
  return f32x4.sqrt(v128.and(d2, keep));
}

/** [Σ lanes of a, Σ lanes of b, Σ lanes of c, Σ lanes of d]. */
// @ts-ignore: decorator
@inline
function laneSums(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** Adds the four f32 of `v`, in f64, to the four f64 at `p`. */
// @ts-ignore: decorator
@inline
function addWide(p: usize, v: v128): void {
  v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v)));
  v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
}

/**
 * One tile pair of the symmetric sums. The data is all rows sorted by cluster as groups of four
 * (lane = row; see src/kernels/silhouetteSums/wasm.ts): `data` [G, dp, 4] f32, `norms` [G, 4]
 * (NaN in padding lanes, whose distances then count 0), `glabel` [G] i32 the cluster of each
 * group, `starts` [k + 1] i32 the first group of each cluster; `out` [k, 4G] f64 (cluster-major).
 *
 * For the row groups i0..i1 against the column groups j0..j1: each row's distances to a run of
 * at most RUN groups of columns of one cluster are added in f32 (at most 4·RUN terms) and the
 * run's sum, in f64, to out[cluster of the columns, row]. When `col` is not 0 (a pair of
 * different tiles), each distance is also added to the column's sum for the row's cluster: in
 * f32 in `col` [j1 − j0, 4] over at most RUN row groups of one cluster (4·RUN terms), then in
 * f64 to out[cluster of the rows, column]. Four rows against two column groups at a time: eight dot
 * products in registers, one accumulator each in feature order (as groupNormsSeq).
 */
function pairTile(
  data: usize,
  norms: usize,
  glabel: usize,
  starts: usize,
  out: usize,
  dp: i32,
  slots: i32,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  col: usize,
): void {
  const groupBytes = <usize>dp << 4;
  const outRow = <usize>slots << 3;
  let rowRun = 0;
  for (let q = i0; q < i1; q++) {
    const ci = load<i32>(glabel + (<usize>q << 2));
    const xq = data + <usize>q * groupBytes;
    const nq = v128.load(norms + (<usize>q << 4));
    const xx0 = v128.shuffle<f32>(nq, nq, 0, 0, 0, 0);
    const xx1 = v128.shuffle<f32>(nq, nq, 1, 1, 1, 1);
    const xx2 = v128.shuffle<f32>(nq, nq, 2, 2, 2, 2);
    const xx3 = v128.shuffle<f32>(nq, nq, 3, 3, 3, 3);
    let g = j0;
    while (g < j1) {
      const cj = load<i32>(glabel + (<usize>g << 2));
      // A run: columns of one cluster, at most RUN groups (the f32 partial's length).
      const ge = min(min(j1, load<i32>(starts + (<usize>(cj + 1) << 2))), g + RUN);
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      for (; g + 1 < ge; g += 2) {
        const y = data + <usize>g * groupBytes;
        const z = y + groupBytes;
        let a00 = f32x4.splat(0);
        let a01 = f32x4.splat(0);
        let a10 = f32x4.splat(0);
        let a11 = f32x4.splat(0);
        let a20 = f32x4.splat(0);
        let a21 = f32x4.splat(0);
        let a30 = f32x4.splat(0);
        let a31 = f32x4.splat(0);
        for (let off: usize = 0; off < groupBytes; off += 16) {
          const y0 = v128.load(y + off);
          const y1 = v128.load(z + off);
          const xr = xq + off;
          let x = v128.load32_splat(xr);
          a00 = f32x4.add(a00, f32x4.mul(x, y0));
          a01 = f32x4.add(a01, f32x4.mul(x, y1));
          x = v128.load32_splat(xr, 4);
          a10 = f32x4.add(a10, f32x4.mul(x, y0));
          a11 = f32x4.add(a11, f32x4.mul(x, y1));
          x = v128.load32_splat(xr, 8);
          a20 = f32x4.add(a20, f32x4.mul(x, y0));
          a21 = f32x4.add(a21, f32x4.mul(x, y1));
          x = v128.load32_splat(xr, 12);
          a30 = f32x4.add(a30, f32x4.mul(x, y0));
          a31 = f32x4.add(a31, f32x4.mul(x, y1));
        }
        const yy0 = v128.load(norms + (<usize>g << 4));
        const yy1 = v128.load(norms + (<usize>g << 4), 16);
        const d00 = dist4(a00, xx0, yy0);
        const d01 = dist4(a01, xx0, yy1);
        const d10 = dist4(a10, xx1, yy0);
        const d11 = dist4(a11, xx1, yy1);
        const d20 = dist4(a20, xx2, yy0);
        const d21 = dist4(a21, xx2, yy1);
        const d30 = dist4(a30, xx3, yy0);
        const d31 = dist4(a31, xx3, yy1);
        acc0 = f32x4.add(acc0, f32x4.add(d00, d01));
        acc1 = f32x4.add(acc1, f32x4.add(d10, d11));
        acc2 = f32x4.add(acc2, f32x4.add(d20, d21));
        acc3 = f32x4.add(acc3, f32x4.add(d30, d31));
        if (col != 0) {
          const cp = col + (<usize>(g - j0) << 4);
          v128.store(cp, f32x4.add(v128.load(cp), f32x4.add(f32x4.add(d00, d10), f32x4.add(d20, d30))));
          v128.store(cp, f32x4.add(v128.load(cp, 16), f32x4.add(f32x4.add(d01, d11), f32x4.add(d21, d31))), 16);
        }
      }
      if (g < ge) {
        groupDots(xq, data + <usize>g * groupBytes, groupBytes);
        const yy = v128.load(norms + (<usize>g << 4));
        const d0 = dist4(dot0, xx0, yy);
        const d1 = dist4(dot1, xx1, yy);
        const d2 = dist4(dot2, xx2, yy);
        const d3 = dist4(dot3, xx3, yy);
        acc0 = f32x4.add(acc0, d0);
        acc1 = f32x4.add(acc1, d1);
        acc2 = f32x4.add(acc2, d2);
        acc3 = f32x4.add(acc3, d3);
        if (col != 0) {
          const cp = col + (<usize>(g - j0) << 4);
          v128.store(cp, f32x4.add(v128.load(cp), f32x4.add(f32x4.add(d0, d1), f32x4.add(d2, d3))));
        }
        g++;
      }
      addWide(out + <usize>cj * outRow + (<usize>q << 4 << 1), laneSums(acc0, acc1, acc2, acc3));
    }
    rowRun++;
    if (col != 0 && (rowRun == RUN || q + 1 == i1 || load<i32>(glabel + (<usize>(q + 1) << 2)) != ci)) {
      // The row cluster ends here, or RUN row groups were added: the column sums go to f64, and
      // the f32 runs start again.
      rowRun = 0;
      const o = out + <usize>ci * outRow;
      for (let h = j0; h < j1; h++) {
        const cp = col + (<usize>(h - j0) << 4);
        addWide(o + (<usize>h << 5), v128.load(cp));
        v128.store(cp, f32x4.splat(0));
      }
    }
  }
}

/**
 * Chunk `chunk` of a silhouetteSums job: one tile pair (I, J) of the current round, read from
 * the job's pair table. I = J is a diagonal tile, whose full square is summed by rows alone;
 * I ≠ J gives each distance to both tiles' rows. In a round every tile is in at most one pair,
 * so chunks never write the same output, and each output sees the rounds in order on any number
 * of threads. The job is eleven i32 after its kind (see src/kernels/silhouetteSums/wasm.ts):
 * data, norms, glabel, starts, G, dp, out, tileGroups, pairs (this round's, [chunks, 2] i32),
 * scratch (per chunk, tileGroups·16 bytes), unused.
 */
export function sumsChunk(job: usize, chunk: i32): void {
  const data = <usize>load<u32>(job, 4);
  const norms = <usize>load<u32>(job, 8);
  const glabel = <usize>load<u32>(job, 12);
  const starts = <usize>load<u32>(job, 16);
  const groups = load<i32>(job, 20);
  const dp = load<i32>(job, 24);
  const out = <usize>load<u32>(job, 28);
  const tg = load<i32>(job, 32);
  const pairs = <usize>load<u32>(job, 36);
  const tileI = load<i32>(pairs + (<usize>chunk << 3));
  const tileJ = load<i32>(pairs + (<usize>chunk << 3), 4);
  const i0 = tileI * tg;
  const j0 = tileJ * tg;
  const i1 = min(groups, i0 + tg);
  const j1 = min(groups, j0 + tg);
  let col: usize = 0;
  if (tileI != tileJ) {
    col = <usize>load<u32>(job, 40) + <usize>chunk * (<usize>tg << 4);
    memory.fill(col, 0, <usize>(j1 - j0) << 4);
  }
  pairTile(data, norms, glabel, starts, out, dp, groups << 2, i0, i1, j0, j1, col);
}

// The sums of several labelings of the same rows at once (the silhouetteSumsMulti kernel): the
// rows in their own order, each 4 × 4 block of distances added to both sides in every labeling.

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
    addWide(out + <usize>c * outRow + target, v);
  }
}

/**
 * Chunk `chunk` of a silhouetteSumsMulti job: one tile pair (I, J) of the current round (the
 * schedule of src/kernels/silhouetteSums/wasm.ts, tileRounds; host side: src/kernels/silhouetteSumsMulti/wasm.ts). The rows, in their own order, are
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
      groupDots(xq, data + <usize>g * groupBytes, groupBytes);
      const yy = v128.load(norms + (<usize>g << 4));
      // Lanes: the four columns of g; one vector per row of q.
      const d0 = dist4(dot0, xx0, yy);
      const d1 = dist4(dot1, xx1, yy);
      const d2 = dist4(dot2, xx2, yy);
      const d3 = dist4(dot3, xx3, yy);
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
