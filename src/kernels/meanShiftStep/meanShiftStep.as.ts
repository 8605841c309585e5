// SPDX-License-Identifier: MIT
// AssemblyScript source of the mean-shift step for the tfjs 'wasm' backend, compiled with SIMD by
// asm/build.mjs into the same module as the other kernels. The within-bandwidth decision and the
// Gaussian weight follow the portable kernel's float32 rule (src/kernels/meanShiftStep.ts).

/** Groups of four data rows whose weighted rows are summed in f32 before the partial goes to f64. */
const RUN: i32 = 64;

/** The four lanes of `v`, added in f64 to the f64 at `p`. */
// @ts-ignore: decorator
@inline
function addLanes(p: usize, v: v128): void {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const s = f64x2.add(lo, hi);
  store<f64>(p, load<f64>(p) + (f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1)));
}

/** f32 exp of each lane (through f64 Math.exp, rounded once). */
// @ts-ignore: decorator
@inline
function exp4(v: v128): v128 {
  let r = f32x4.splat(<f32>Math.exp(<f64>f32x4.extract_lane(v, 0)));
  r = f32x4.replace_lane(r, 1, <f32>Math.exp(<f64>f32x4.extract_lane(v, 1)));
  r = f32x4.replace_lane(r, 2, <f32>Math.exp(<f64>f32x4.extract_lane(v, 2)));
  return f32x4.replace_lane(r, 3, <f32>Math.exp(<f64>f32x4.extract_lane(v, 3)));
}

/**
 * The kernel weight of four data rows (lanes) around one seed, and whether each is within the
 * bandwidth (1 or 0), from the dot product `xy`, the seed's term `t` (flat: fl(‖s‖² − h²);
 * gaussian: ‖s‖²) and the rows' norms `yy`: v = (−2·xy + t) + yy as radiusOperands' matMul.
 * Flat: within iff v ≤ 0, weight = within. Gaussian: within iff fl(v − h²) ≤ 0, weight
 * exp(fl(v · coef)) with coef = fl(−0.5 / h²).
 */
// @ts-ignore: decorator
@inline
function weigh(xy: v128, t: v128, yy: v128, gaussian: bool, h2: v128, coef: v128, inside: usize): v128 {
  const v = f32x4.add(f32x4.add(f32x4.mul(xy, f32x4.splat(-2)), t), yy);
  if (!gaussian) {
    const w = v128.and(f32x4.le(v, f32x4.splat(0)), f32x4.splat(1));
    v128.store(inside, w);
    return w;
  }
  v128.store(inside, v128.and(f32x4.le(f32x4.sub(v, h2), f32x4.splat(0)), f32x4.splat(1)));
  return exp4(f32x4.mul(v, coef));
}

/**
 * Chunk `chunk` of a meanShiftStep job: seeds chunk·chunkRows .. +chunkRows (whole groups of four)
 * against every data copy in order. For each seed, Σ w·wt·x (w the kernel weight, wt the row
 * weight; x·wt is the copy's `xw`), Σ within·wt and Σ w·wt, in f32 over runs of at most RUN groups
 * of one copy, then in f64 into the seed's own outputs (so any thread count gives the same bits).
 * The job is fifteen i32 after its kind (see src/kernels/meanShiftStep/wasm.ts): seeds
 * [s4/4, dp, 4], terms [s4/4, 4], s4, dp, copies ([n, 5] i32: x, xw, norms (+Inf in padding),
 * weights [4G] (0 in padding), G), nCopies, gaussian, h2 and coef (f32 bits), sums [s4, dp] f64,
 * counts [s4] f64, mass [s4] f64, scratch (per chunk: [4, dp, 4] f32 + 4 × 2 × 16 bytes), chunkRows.
 */
export function meanShiftChunk(job: usize, chunk: i32): void {
  const seeds = <usize>load<u32>(job, 4);
  const terms = <usize>load<u32>(job, 8);
  const s4 = load<i32>(job, 12);
  const dp = load<i32>(job, 16);
  const copies = <usize>load<u32>(job, 20);
  const nCopies = load<i32>(job, 24);
  const gaussian = load<i32>(job, 28) != 0;
  const h2 = f32x4.splat(load<f32>(job, 32));
  const coef = f32x4.splat(load<f32>(job, 36));
  const sums = <usize>load<u32>(job, 40);
  const counts = <usize>load<u32>(job, 44);
  const mass = <usize>load<u32>(job, 48);
  const chunkRows = load<i32>(job, 56);
  const groupBytes = <usize>dp << 4;
  const acc = <usize>load<u32>(job, 52) + <usize>chunk * ((groupBytes << 2) + 128);
  const inside = acc + (groupBytes << 2); // [4] f32x4 within flags, then [4] f32x4 weights
  const q0 = (chunk * chunkRows) >> 2;
  const q1 = min(s4, chunk * chunkRows + chunkRows) >> 2;
  for (let q = q0; q < q1; q++) {
    const xq = seeds + <usize>q * groupBytes;
    const tq = v128.load(terms + (<usize>q << 4));
    const t0 = v128.shuffle<f32>(tq, tq, 0, 0, 0, 0);
    const t1 = v128.shuffle<f32>(tq, tq, 1, 1, 1, 1);
    const t2 = v128.shuffle<f32>(tq, tq, 2, 2, 2, 2);
    const t3 = v128.shuffle<f32>(tq, tq, 3, 3, 3, 3);
    const seed0 = q << 2;
    for (let e = 0; e < nCopies; e++) {
      const entry = copies + <usize>e * 20;
      const xs = <usize>load<u32>(entry);
      const xws = <usize>load<u32>(entry, 4);
      const norms = <usize>load<u32>(entry, 8);
      const wts = <usize>load<u32>(entry, 12);
      const groups = load<i32>(entry, 16);
      let g = 0;
      while (g < groups) {
        const end = min(groups, g + RUN);
        memory.fill(acc, 0, groupBytes << 2);
        let c0 = f32x4.splat(0);
        let c1 = f32x4.splat(0);
        let c2 = f32x4.splat(0);
        let c3 = f32x4.splat(0);
        let m0 = f32x4.splat(0);
        let m1 = f32x4.splat(0);
        let m2 = f32x4.splat(0);
        let m3 = f32x4.splat(0);
        for (; g < end; g++) {
          const y = xs + <usize>g * groupBytes;
          let a0 = f32x4.splat(0);
          let a1 = f32x4.splat(0);
          let a2 = f32x4.splat(0);
          let a3 = f32x4.splat(0);
          for (let off: usize = 0; off < groupBytes; off += 16) {
            const y0 = v128.load(y + off);
            const xr = xq + off;
            a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xr), y0));
            a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xr, 4), y0));
            a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(xr, 8), y0));
            a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(xr, 12), y0));
          }
          const yy = v128.load(norms + (<usize>g << 4));
          const wt = v128.load(wts + (<usize>g << 4));
          const w0 = weigh(a0, t0, yy, gaussian, h2, coef, inside);
          const w1 = weigh(a1, t1, yy, gaussian, h2, coef, inside + 16);
          const w2 = weigh(a2, t2, yy, gaussian, h2, coef, inside + 32);
          const w3 = weigh(a3, t3, yy, gaussian, h2, coef, inside + 48);
          c0 = f32x4.add(c0, f32x4.mul(v128.load(inside), wt));
          c1 = f32x4.add(c1, f32x4.mul(v128.load(inside, 16), wt));
          c2 = f32x4.add(c2, f32x4.mul(v128.load(inside, 32), wt));
          c3 = f32x4.add(c3, f32x4.mul(v128.load(inside, 48), wt));
          m0 = f32x4.add(m0, f32x4.mul(w0, wt));
          m1 = f32x4.add(m1, f32x4.mul(w1, wt));
          m2 = f32x4.add(m2, f32x4.mul(w2, wt));
          m3 = f32x4.add(m3, f32x4.mul(w3, wt));
          // Nothing to add when no row is within (the flat kernel, most groups): skip the sums.
          if (!v128.any_true(v128.or(v128.or(w0, w1), v128.or(w2, w3)))) continue;
          const xw = xws + <usize>g * groupBytes;
          for (let off: usize = 0; off < groupBytes; off += 16) {
            const v = v128.load(xw + off);
            const p = acc + (off << 2);
            v128.store(p, f32x4.add(v128.load(p), f32x4.mul(w0, v)));
            v128.store(p, f32x4.add(v128.load(p, 16), f32x4.mul(w1, v)), 16);
            v128.store(p, f32x4.add(v128.load(p, 32), f32x4.mul(w2, v)), 32);
            v128.store(p, f32x4.add(v128.load(p, 48), f32x4.mul(w3, v)), 48);
          }
        }
        addLanes(counts + (<usize>seed0 << 3), c0);
        addLanes(counts + (<usize>(seed0 + 1) << 3), c1);
        addLanes(counts + (<usize>(seed0 + 2) << 3), c2);
        addLanes(counts + (<usize>(seed0 + 3) << 3), c3);
        addLanes(mass + (<usize>seed0 << 3), m0);
        addLanes(mass + (<usize>(seed0 + 1) << 3), m1);
        addLanes(mass + (<usize>(seed0 + 2) << 3), m2);
        addLanes(mass + (<usize>(seed0 + 3) << 3), m3);
        for (let f = 0; f < dp; f++) {
          const p = acc + (<usize>f << 6);
          const s = sums + ((<usize>seed0 * <usize>dp + <usize>f) << 3);
          const row = <usize>dp << 3;
          addLanes(s, v128.load(p));
          addLanes(s + row, v128.load(p, 16));
          addLanes(s + 2 * row, v128.load(p, 32));
          addLanes(s + 3 * row, v128.load(p, 48));
        }
      }
    }
  }
}
