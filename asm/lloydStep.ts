// SPDX-License-Identifier: MIT
// AssemblyScript source of the fused Lloyd step for the tfjs 'wasm' backend, compiled with SIMD
// by asm/build.mjs (with asm/silhouetteTile.ts) into src/kernels/wasm/kernels.wasm.gen.ts.

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
 * One Lloyd step over `t` rows against `k` centers. Layouts (all float32, `dp` = d rounded up
 * to a multiple of 4, padding zero):
 *   x       [ceil(t/4), dp, 4]: groups of four rows, each feature as one f32x4 (lane = row);
 *   c       [k, dp, 4]: each center value splat over the four lanes;
 *   labels  [4·ceil(t/4)] i32 and dist [4·ceil(t/4)] f32 (the last group's padding included);
 *   counts  [k] f64, sums [k, dp] f64: accumulated here, zeroed first;
 *   w       [t] f32 weights, or 0 for weight 1.
 * With four rows in the lanes, the distances of a group to one center form one vector and the
 * argmin is lane-wise over the centers: nothing crosses lanes until the sums. Distances are
 * direct differences Σ(x − c)² (two accumulators, even and odd features); strict < over the
 * centers in order keeps the lowest index on an exact tie. The rows are then added, times their
 * weight, in f64 (f32 · f32 is exact in f64) after a 4×4 transpose back to one vector per row.
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
  const sumBytes = <usize>dp << 3;
  const groups = (t + 3) >> 2;
  const inf = f32x4.splat(Infinity);
  for (let g = 0; g < groups; g++) {
    const xg = x + <usize>g * groupBytes;
    let bestV = inf;
    let bestI = i32x4.splat(0);
    let cj = c;
    for (let j = 0; j < k; j++) {
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      for (let off: usize = 0; off < groupBytes; off += 32) {
        const d0 = f32x4.sub(v128.load(xg + off), v128.load(cj + off));
        const d1 = f32x4.sub(v128.load(xg + off, 16), v128.load(cj + off, 16));
        a0 = f32x4.add(a0, f32x4.mul(d0, d0));
        a1 = f32x4.add(a1, f32x4.mul(d1, d1));
      }
      const s = f32x4.add(a0, a1);
      const better = f32x4.lt(s, bestV);
      bestV = v128.bitselect(s, bestV, better);
      bestI = v128.bitselect(i32x4.splat(j), bestI, better);
      cj += groupBytes;
    }
    const i0 = g << 2;
    v128.store(labels + (<usize>i0 << 2), bestI);
    v128.store(dist + (<usize>i0 << 2), bestV);
    const rows = min(4, t - i0);
    const l0 = i32x4.extract_lane(bestI, 0);
    const l1 = i32x4.extract_lane(bestI, 1);
    const l2 = i32x4.extract_lane(bestI, 2);
    const l3 = i32x4.extract_lane(bestI, 3);
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
}

/**
 * Chunk `chunk` of a lloydStep job: the rows chunk·chunkRows .. +chunkRows of the block, with
 * their own f64 partial counts and sums (chunk-major), so that any thread can run any chunk and
 * the caller adds the partials in chunk order: the same totals on any number of threads. The
 * job is eleven i32 after its kind (see src/kernels/wasm/lloydStep.ts): x, t, dp, c, k, w,
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
