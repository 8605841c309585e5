// SPDX-License-Identifier: MIT
// AssemblyScript source of the fused Lloyd step for the tfjs 'wasm' backend, compiled with SIMD
// by asm/build.mjs (with silhouetteTile/silhouetteTile.as.ts) into src/kernels/wasm/kernels.wasm.gen.ts.

/** Unmanaged allocation in this module's memory (TLSF: 16-byte aligned, freed blocks reused). */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Adds the four f32 of `v` times the weight `ws` into four f64 at `sums`. */
// @ts-ignore: decorator
@inline
function addRow(sums: usize, v: v128, ws: v128): void {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  v128.store(sums, f64x2.add(v128.load(sums), f64x2.mul(lo, ws)));
  v128.store(sums, f64x2.add(v128.load(sums, 16), f64x2.mul(hi, ws)), 16);
}

/** Weight of row i (1 without weights). */
// @ts-ignore: decorator
@inline
function weightOf(w: usize, i: i32): f64 {
  return w == 0 ? 1.0 : <f64>load<f32>(w + (<usize>i << 2));
}

/**
 * The squared distances of the four rows of the group at `xg` to the point at `cj` (splat over
 * the lanes): direct differences Σ(x − c)², two accumulators (even and odd features), then
 * their sum. Relative error at most (dp/2 + 4)·2^-24 (all terms are non-negative).
 */
// @ts-ignore: decorator
@inline
function groupDistance(xg: usize, cj: usize, groupBytes: usize): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  for (let off: usize = 0; off < groupBytes; off += 32) {
    const d0 = f32x4.sub(v128.load(xg + off), v128.load(cj + off));
    const d1 = f32x4.sub(v128.load(xg + off, 16), v128.load(cj + off, 16));
    a0 = f32x4.add(a0, f32x4.mul(d0, d0));
    a1 = f32x4.add(a1, f32x4.mul(d1, d1));
  }
  return f32x4.add(a0, a1);
}

/**
 * The nearest of the `k` centers at `c` to the four rows of the group at `xg`: the label vector
 * to `labelsOut`, the squared distance vector to `distOut`, and, when `secondOut` is not 0, the
 * second smallest squared distance (to any other center; +inf for k = 1) to `secondOut`.
 * Distances are direct differences Σ(x − c)² (two accumulators, even and odd features); strict <
 * over the centers in order keeps the lowest index on an exact tie.
 */
// @ts-ignore: decorator
@inline
function scanGroup(xg: usize, groupBytes: usize, c: usize, k: i32, labelsOut: usize, distOut: usize, secondOut: usize): void {
  const inf = f32x4.splat(Infinity);
  let bestV = inf;
  let secondV = inf;
  let bestI = i32x4.splat(0);
  let cj = c;
  for (let j = 0; j < k; j++) {
    const s = groupDistance(xg, cj, groupBytes);
    if (secondOut != 0) secondV = f32x4.min(secondV, f32x4.max(s, bestV));
    const better = f32x4.lt(s, bestV);
    bestV = v128.bitselect(s, bestV, better);
    bestI = v128.bitselect(i32x4.splat(j), bestI, better);
    cj += groupBytes;
  }
  v128.store(labelsOut, bestI);
  v128.store(distOut, bestV);
  if (secondOut != 0) v128.store(secondOut, secondV);
}

/**
 * Adds the rows of the group at `xg` (row i0 on; `rows` of its four lanes are real), times their
 * weights, into the f64 `counts` [k] and `sums` [k, dp] of their labels `lab` (one i32 per lane):
 * a 4×4 transpose back to one vector per row, then f64 adds (f32 · f32 is exact in f64).
 */
// @ts-ignore: decorator
@inline
function addGroup(xg: usize, groupBytes: usize, lab: v128, w: usize, i0: i32, rows: i32, counts: usize, sums: usize): void {
  const sumBytes = groupBytes >> 1;
  const l0 = i32x4.extract_lane(lab, 0);
  const l1 = i32x4.extract_lane(lab, 1);
  const l2 = i32x4.extract_lane(lab, 2);
  const l3 = i32x4.extract_lane(lab, 3);
  const w0 = weightOf(w, i0);
  const w1 = rows > 1 ? weightOf(w, i0 + 1) : 0.0;
  const w2 = rows > 2 ? weightOf(w, i0 + 2) : 0.0;
  const w3 = rows > 3 ? weightOf(w, i0 + 3) : 0.0;
  store<f64>(counts + (<usize>l0 << 3), load<f64>(counts + (<usize>l0 << 3)) + w0);
  store<f64>(counts + (<usize>l1 << 3), load<f64>(counts + (<usize>l1 << 3)) + w1);
  store<f64>(counts + (<usize>l2 << 3), load<f64>(counts + (<usize>l2 << 3)) + w2);
  store<f64>(counts + (<usize>l3 << 3), load<f64>(counts + (<usize>l3 << 3)) + w3);
  const s0 = sums + <usize>l0 * sumBytes;
  const s1 = sums + <usize>l1 * sumBytes;
  const s2 = sums + <usize>l2 * sumBytes;
  const s3 = sums + <usize>l3 * sumBytes;
  const ws0 = f64x2.splat(w0);
  const ws1 = f64x2.splat(w1);
  const ws2 = f64x2.splat(w2);
  const ws3 = f64x2.splat(w3);
  // Four features of the four rows at a time, transposed to one vector per row.
  for (let off: usize = 0; off < groupBytes; off += 64) {
    const a = v128.load(xg + off);
    const b = v128.load(xg + off, 16);
    const cc = v128.load(xg + off, 32);
    const dd = v128.load(xg + off, 48);
    const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
    const t1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(cc, dd, 0, 4, 1, 5);
    const t3 = v128.shuffle<f32>(cc, dd, 2, 6, 3, 7);
    const so = off >> 1; // 4 features: 64 bytes of x group, 32 bytes of f64 sums
    addRow(s0 + so, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5), ws0);
    addRow(s1 + so, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), ws1);
    addRow(s2 + so, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), ws2);
    addRow(s3 + so, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), ws3);
  }
}

/**
 * One Lloyd step over `t` rows against `k` centers. Layouts (all float32, `dp` = d rounded up
 * to a multiple of 4, padding zero):
 *   x       [ceil(t/4), dp, 4]: groups of four rows, each feature as one f32x4 (lane = row);
 *   c       [k, dp, 4]: each center value splat over the four lanes;
 *   labels  [4·ceil(t/4)] i32 and dist [4·ceil(t/4)] f32 (the last group's padding included);
 *   counts  [k] f64, sums [k, dp] f64: accumulated here, zeroed first;
 *   w       [t] f32 weights, or 0 for weight 1.
 * With four rows in the lanes, the distances of a group to one center form one vector and the
 * argmin is lane-wise over the centers (scanGroup): nothing crosses lanes until the sums.
 */
export function lloydStep(
  x: usize,
  t: i32,
  dp: i32,
  c: usize,
  k: i32,
  w: usize,
  labels: usize,
  dist: usize,
  counts: usize,
  sums: usize,
): void {
  memory.fill(counts, 0, <usize>k << 3);
  memory.fill(sums, 0, (<usize>k * <usize>dp) << 3);
  const groupBytes = <usize>dp << 4;
  const groups = (t + 3) >> 2;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * groupBytes;
    const i0 = g << 2;
    const lg = labels + (<usize>i0 << 2);
    scanGroup(xg, groupBytes, c, k, lg, dist + (<usize>i0 << 2), 0);
    addGroup(xg, groupBytes, v128.load(lg), w, i0, min(4, t - i0), counts, sums);
  }
}

/**
 * The squared distances (direct differences, one accumulator) of the four rows of the group at
 * `xg` to their own centers `lab` (one per lane), the center values gathered lane by lane from
 * the splat layout of `c`.
 */
// @ts-ignore: decorator
@inline
function ownDistances(xg: usize, groupBytes: usize, c: usize, lab: v128): v128 {
  const c0 = c + <usize>i32x4.extract_lane(lab, 0) * groupBytes;
  const c1 = c + <usize>i32x4.extract_lane(lab, 1) * groupBytes;
  const c2 = c + <usize>i32x4.extract_lane(lab, 2) * groupBytes;
  const c3 = c + <usize>i32x4.extract_lane(lab, 3) * groupBytes;
  let acc = f32x4.splat(0);
  for (let off: usize = 0; off < groupBytes; off += 16) {
    let cv = f32x4.splat(load<f32>(c0 + off));
    cv = f32x4.replace_lane(cv, 1, load<f32>(c1 + off));
    cv = f32x4.replace_lane(cv, 2, load<f32>(c2 + off));
    cv = f32x4.replace_lane(cv, 3, load<f32>(c3 + off));
    const e = f32x4.sub(v128.load(xg + off), cv);
    acc = f32x4.add(acc, f32x4.mul(e, e));
  }
  return acc;
}

/** Bytes of the header of a lloydBounded `info` block (see there). */
const INFO_HEADER = 32;

/**
 * `lloydStep`'s counts and sums, skipping the distance work for rows whose nearest center
 * provably has not changed since the previous call on the same rows (Hamerly's bounds, kept per
 * row in `labels`, `upper` and `lower` [4·ceil(t/4)]). The counts and sums are the same bits as
 * lloydStep's: a row is skipped only when lloydStep's own float32 argmin would give it the label
 * it has (below); every other row's label is lloydStep's scan, and the sums are added in the
 * same order.
 *
 * Per row: `upper` ≥ its distance (not squared) to its center, `lower` ≤ its distance to every
 * other center. `info` holds a header of f32 factors (rho, up, dn, grow, shrink; see
 * src/kernels/lloydStep/wasm.ts) and then, per center a, four f32: shift(a) ≥ how far center a
 * moved since the previous call, drop(a) ≥ the farthest any other center moved, half(a) ≤ half the
 * distance from center a to the nearest other center, and 0. Each row's bounds are moved by the
 * shifts (upper grows by shift(label), lower shrinks by drop(label), rounded outward), then
 * the row is kept when upper·rho < max(lower, half(label)): its true distance to its center is
 * then below 1/rho of its distance to any other, a margin larger than the float32 error of the
 * distances lloydStep compares (rho ≥ (1 + ε)/(1 − ε), ε their relative error bound), so
 * lloydStep would pick the same center, strictly. Otherwise the row's distance to its own center
 * is computed and the test made again (tightening); a group of four rows with any row still
 * failing is scanned in full, as lloydStep does, which sets its bounds afresh from the smallest
 * and second smallest distances. `init` ≠ 0 scans every group (no bounds yet).
 *
 * `stats` (two i32) counts the groups scanned in full and the groups tightened.
 */
export function lloydBounded(
  x: usize,
  t: i32,
  dp: i32,
  c: usize,
  k: i32,
  w: usize,
  labels: usize,
  upper: usize,
  lower: usize,
  info: usize,
  counts: usize,
  sums: usize,
  init: i32,
  tighten: i32,
  stats: usize,
): void {
  memory.fill(counts, 0, <usize>k << 3);
  memory.fill(sums, 0, (<usize>k * <usize>dp) << 3);
  const groupBytes = <usize>dp << 4;
  const groups = (t + 3) >> 2;
  const rho = v128.load32_splat(info);
  const up = v128.load32_splat(info, 4);
  const dn = v128.load32_splat(info, 8);
  const grow = v128.load32_splat(info, 12);
  const shrink = v128.load32_splat(info, 16);
  const perCenter = info + INFO_HEADER;
  const zero = f32x4.splat(0);
  let scanned = 0;
  let tightened = 0;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * groupBytes;
    const i0 = g << 2;
    const lg = labels + (<usize>i0 << 2);
    const ug = upper + (<usize>i0 << 2);
    const og = lower + (<usize>i0 << 2);
    let full = init != 0;
    if (!full) {
      const lab = v128.load(lg);
      // shift, drop, half of each lane's center: four loads and a 4×4 transpose.
      const q0 = v128.load(perCenter + (<usize>i32x4.extract_lane(lab, 0) << 4));
      const q1 = v128.load(perCenter + (<usize>i32x4.extract_lane(lab, 1) << 4));
      const q2 = v128.load(perCenter + (<usize>i32x4.extract_lane(lab, 2) << 4));
      const q3 = v128.load(perCenter + (<usize>i32x4.extract_lane(lab, 3) << 4));
      const p0 = v128.shuffle<f32>(q0, q1, 0, 4, 1, 5);
      const p1 = v128.shuffle<f32>(q2, q3, 0, 4, 1, 5);
      const p2 = v128.shuffle<f32>(q0, q1, 2, 6, 3, 7);
      const p3 = v128.shuffle<f32>(q2, q3, 2, 6, 3, 7);
      const shift = v128.shuffle<f32>(p0, p1, 0, 1, 4, 5);
      const drop = v128.shuffle<f32>(p0, p1, 2, 3, 6, 7);
      const half = v128.shuffle<f32>(p2, p3, 0, 1, 4, 5);
      let u = f32x4.mul(f32x4.add(v128.load(ug), shift), grow);
      const lo = f32x4.max(f32x4.mul(f32x4.sub(v128.load(og), drop), shrink), zero);
      const z = f32x4.max(lo, half);
      if (!i32x4.all_true(f32x4.lt(f32x4.mul(u, rho), z))) {
        if (tighten != 0) {
          u = f32x4.mul(f32x4.sqrt(ownDistances(xg, groupBytes, c, lab)), up);
          if (i32x4.all_true(f32x4.lt(f32x4.mul(u, rho), z))) tightened++;
          else full = true;
        } else {
          full = true;
        }
      }
      if (!full) {
        v128.store(ug, u);
        v128.store(og, lo);
      }
    }
    if (full) {
      scanGroup(xg, groupBytes, c, k, lg, ug, og);
      v128.store(ug, f32x4.mul(f32x4.sqrt(v128.load(ug)), up));
      v128.store(og, f32x4.mul(f32x4.sqrt(v128.load(og)), dn));
      scanned++;
    }
    addGroup(xg, groupBytes, v128.load(lg), w, i0, min(4, t - i0), counts, sums);
  }
  store<i32>(stats, scanned);
  store<i32>(stats, tightened, 4);
}

/**
 * Chunk `chunk` of a lloydStep job: the rows chunk·chunkRows .. +chunkRows of the block, with
 * their own f64 partial counts and sums (chunk-major), so that any thread can run any chunk and
 * the caller adds the partials in chunk order: the same totals on any number of threads. The
 * job is eleven i32 after its kind (see src/kernels/lloydStep/wasm.ts): x, t, dp, c, k, w,
 * labels, dist, counts, sums, chunkRows (a multiple of 4).
 */
export function lloydChunk(job: usize, chunk: i32): void {
  const t = load<i32>(job, 8);
  const dp = load<i32>(job, 12);
  const k = load<i32>(job, 20);
  const w = <usize>load<u32>(job, 24);
  const chunkRows = load<i32>(job, 44);
  const r0 = chunk * chunkRows;
  const rows = min(chunkRows, t - r0);
  lloydStep(
    <usize>load<u32>(job, 4) + (<usize>(r0 >> 2) * <usize>dp << 4),
    rows,
    dp,
    <usize>load<u32>(job, 16),
    k,
    w == 0 ? 0 : w + (<usize>r0 << 2),
    <usize>load<u32>(job, 28) + (<usize>r0 << 2),
    <usize>load<u32>(job, 32) + (<usize>r0 << 2),
    <usize>load<u32>(job, 36) + ((<usize>chunk * <usize>k) << 3),
    <usize>load<u32>(job, 40) + ((<usize>chunk * <usize>k * <usize>dp) << 3),
  );
}

/**
 * Chunk `chunk` of a lloydBounded job: the rows chunk·chunkRows .. +chunkRows, with their own
 * partial counts, sums and stats (chunk-major). The job is sixteen i32 after its kind (see
 * src/kernels/lloydStep/wasm.ts): x, t, dp, c, k, w, labels, upper, lower, info, counts, sums,
 * chunkRows (a multiple of 4), init, tighten, stats.
 */
export function lloydBoundedChunk(job: usize, chunk: i32): void {
  const t = load<i32>(job, 8);
  const dp = load<i32>(job, 12);
  const k = load<i32>(job, 20);
  const w = <usize>load<u32>(job, 24);
  const chunkRows = load<i32>(job, 52);
  const r0 = chunk * chunkRows;
  const rows = min(chunkRows, t - r0);
  const rowBytes = <usize>r0 << 2;
  lloydBounded(
    <usize>load<u32>(job, 4) + (<usize>(r0 >> 2) * <usize>dp << 4),
    rows,
    dp,
    <usize>load<u32>(job, 16),
    k,
    w == 0 ? 0 : w + rowBytes,
    <usize>load<u32>(job, 28) + rowBytes,
    <usize>load<u32>(job, 32) + rowBytes,
    <usize>load<u32>(job, 36) + rowBytes,
    <usize>load<u32>(job, 40),
    <usize>load<u32>(job, 44) + ((<usize>chunk * <usize>k) << 3),
    <usize>load<u32>(job, 48) + ((<usize>chunk * <usize>k * <usize>dp) << 3),
    load<i32>(job, 56),
    load<i32>(job, 60),
    <usize>load<u32>(job, 64) + (<usize>chunk << 3),
  );
}

/**
 * Squared distances (groupDistance) from the `t` rows at `x` (groups of four, [ceil(t/4), dp, 4])
 * to the `p` points at `c` ([p, dp, 4], splat), written to `out` [t, p] f32, row-major.
 */
export function pointDistances(x: usize, t: i32, dp: i32, c: usize, p: i32, out: usize): void {
  const groupBytes = <usize>dp << 4;
  const groups = (t + 3) >> 2;
  const rowBytes = <usize>p << 2;
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * groupBytes;
    const i0 = g << 2;
    const rows = min(4, t - i0);
    const o = out + <usize>i0 * rowBytes;
    let cj = c;
    for (let j = 0; j < p; j++) {
      const s = groupDistance(xg, cj, groupBytes);
      const oj = o + (<usize>j << 2);
      store<f32>(oj, f32x4.extract_lane(s, 0));
      if (rows > 1) store<f32>(oj + rowBytes, f32x4.extract_lane(s, 1));
      if (rows > 2) store<f32>(oj + 2 * rowBytes, f32x4.extract_lane(s, 2));
      if (rows > 3) store<f32>(oj + 3 * rowBytes, f32x4.extract_lane(s, 3));
      cj += groupBytes;
    }
  }
}

/**
 * Chunk `chunk` of a pointDistances job: rows chunk·chunkRows .. +chunkRows. The job is seven i32
 * after its kind (src/kernels/pointDistances/wasm.ts): x, t, dp, c, p, out, chunkRows (a multiple of 4).
 */
export function pointDistancesChunk(job: usize, chunk: i32): void {
  const t = load<i32>(job, 8);
  const dp = load<i32>(job, 12);
  const p = load<i32>(job, 20);
  const chunkRows = load<i32>(job, 28);
  const r0 = chunk * chunkRows;
  pointDistances(
    <usize>load<u32>(job, 4) + (<usize>(r0 >> 2) * <usize>dp << 4),
    min(chunkRows, t - r0),
    dp,
    <usize>load<u32>(job, 16),
    p,
    <usize>load<u32>(job, 24) + ((<usize>r0 * <usize>p) << 2),
  );
}
