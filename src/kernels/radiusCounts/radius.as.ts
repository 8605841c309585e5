// SPDX-License-Identifier: MIT
// AssemblyScript source of the radius kernels for the tfjs 'wasm' backend (DBSCAN's neighbour
// counts and bit-packed neighbour pairs), compiled with SIMD by asm/build.mjs into the same module
// as the other kernels. The within-radius decision is the portable kernels' float32 rule (see
// src/kernels/radiusCounts.ts, radiusOperands): v = (−2·x·c + (‖x‖² − r²)) + ‖c‖², with x·c and
// the norms summed in feature order, and a pair is within the radius iff v ≤ 0.
import { groupNormsSeq } from '../silhouetteSums/silhouetteSums.as';

/**
 * Per row lane of `groups` groups [groups, dp, 4]: fl(‖x‖² − r2), the norm summed in feature
 * order (as tfjs's Sum and the dot products below), into `out` [groups, 4] f32.
 */
export function radiusRowTerms(x: usize, groups: i32, dp: i32, r2: f32, out: usize): void {
  groupNormsSeq(x, groups, dp, out);
  const r = f32x4.splat(r2);
  for (let g = 0; g < groups; g++) {
    const p = out + (<usize>g << 4);
    v128.store(p, f32x4.sub(v128.load(p), r));
  }
}

/** Sum of the four i32 lanes. */
// @ts-ignore: decorator
@inline
function laneSum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** v ≤ 0 per lane for four rows (splat terms t0..t3) against one group: the within masks. */
// @ts-ignore: decorator
@inline
function within(a: v128, t: v128, yy: v128): v128 {
  return f32x4.le(f32x4.add(f32x4.add(f32x4.mul(a, f32x4.splat(-2)), t), yy), f32x4.splat(0));
}

/**
 * Chunk `chunk` of a radiusCounts job: rows chunk·chunkRows .. +chunkRows (whole groups of four)
 * against every column copy in order; counts in i32 lanes, written once per row as f32 (exact
 * below 2^24). The job is eight i32 after its kind (see src/kernels/radiusCounts/wasm.ts): rows
 * [b4/4, dp, 4], terms [b4/4, 4] (radiusRowTerms), b4, dp, copies ([nCopies, 3] i32: cols
 * [G, dp, 4], norms [G, 4] with +Inf in padding lanes, G), nCopies, out [b4] f32, chunkRows.
 */
export function radiusCountsChunk(job: usize, chunk: i32): void {
  const rows = <usize>load<u32>(job, 4);
  const terms = <usize>load<u32>(job, 8);
  const b4 = load<i32>(job, 12);
  const dp = load<i32>(job, 16);
  const copies = <usize>load<u32>(job, 20);
  const nCopies = load<i32>(job, 24);
  const out = <usize>load<u32>(job, 28);
  const chunkRows = load<i32>(job, 32);
  const groupBytes = <usize>dp << 4;
  const q0 = (chunk * chunkRows) >> 2;
  const q1 = min(b4, chunk * chunkRows + chunkRows) >> 2;
  for (let q = q0; q < q1; q++) {
    const xq = rows + <usize>q * groupBytes;
    const tq = v128.load(terms + (<usize>q << 4));
    const t0 = v128.shuffle<f32>(tq, tq, 0, 0, 0, 0);
    const t1 = v128.shuffle<f32>(tq, tq, 1, 1, 1, 1);
    const t2 = v128.shuffle<f32>(tq, tq, 2, 2, 2, 2);
    const t3 = v128.shuffle<f32>(tq, tq, 3, 3, 3, 3);
    let c0 = i32x4.splat(0);
    let c1 = i32x4.splat(0);
    let c2 = i32x4.splat(0);
    let c3 = i32x4.splat(0);
    for (let e = 0; e < nCopies; e++) {
      const entry = copies + <usize>e * 12;
      const cols = <usize>load<u32>(entry);
      const norms = <usize>load<u32>(entry, 4);
      const groups = load<i32>(entry, 8);
      let g = 0;
      // Two column groups at a time: eight dot products share each row value's splat.
      for (; g + 1 < groups; g += 2) {
        const y = cols + <usize>g * groupBytes;
        const z = y + groupBytes;
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        let b0 = f32x4.splat(0);
        let b1 = f32x4.splat(0);
        let b2 = f32x4.splat(0);
        let b3 = f32x4.splat(0);
        for (let off: usize = 0; off < groupBytes; off += 16) {
          const y0 = v128.load(y + off);
          const y1 = v128.load(z + off);
          const xr = xq + off;
          let x = v128.load32_splat(xr);
          a0 = f32x4.add(a0, f32x4.mul(x, y0));
          b0 = f32x4.add(b0, f32x4.mul(x, y1));
          x = v128.load32_splat(xr, 4);
          a1 = f32x4.add(a1, f32x4.mul(x, y0));
          b1 = f32x4.add(b1, f32x4.mul(x, y1));
          x = v128.load32_splat(xr, 8);
          a2 = f32x4.add(a2, f32x4.mul(x, y0));
          b2 = f32x4.add(b2, f32x4.mul(x, y1));
          x = v128.load32_splat(xr, 12);
          a3 = f32x4.add(a3, f32x4.mul(x, y0));
          b3 = f32x4.add(b3, f32x4.mul(x, y1));
        }
        const yy = v128.load(norms + (<usize>g << 4));
        const zz = v128.load(norms + (<usize>g << 4), 16);
        c0 = i32x4.sub(i32x4.sub(c0, within(a0, t0, yy)), within(b0, t0, zz));
        c1 = i32x4.sub(i32x4.sub(c1, within(a1, t1, yy)), within(b1, t1, zz));
        c2 = i32x4.sub(i32x4.sub(c2, within(a2, t2, yy)), within(b2, t2, zz));
        c3 = i32x4.sub(i32x4.sub(c3, within(a3, t3, yy)), within(b3, t3, zz));
      }
      if (g < groups) {
        const y = cols + <usize>g * groupBytes;
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
        c0 = i32x4.sub(c0, within(a0, t0, yy));
        c1 = i32x4.sub(c1, within(a1, t1, yy));
        c2 = i32x4.sub(c2, within(a2, t2, yy));
        c3 = i32x4.sub(c3, within(a3, t3, yy));
      }
    }
    const o = out + (<usize>q << 4);
    store<f32>(o, <f32>laneSum(c0));
    store<f32>(o, <f32>laneSum(c1), 4);
    store<f32>(o, <f32>laneSum(c2), 8);
    store<f32>(o, <f32>laneSum(c3), 12);
  }
}

/**
 * Chunk `chunk` of a radiusPairs job: rows chunk·chunkRows .. +chunkRows against one column
 * block, packed as bits: bit k of word w of a row is column w·24 + k (24 = PAIR_BITS, a multiple
 * of 4, so a group of four columns never straddles words). The job is ten i32 after its kind
 * (see src/kernels/radiusCounts/wasm.ts): rows, terms, b4, dp, cols, norms (+Inf in padding lanes), G,
 * out [b4, words] i32, words, chunkRows.
 */
export function radiusPairsChunk(job: usize, chunk: i32): void {
  const rows = <usize>load<u32>(job, 4);
  const terms = <usize>load<u32>(job, 8);
  const b4 = load<i32>(job, 12);
  const dp = load<i32>(job, 16);
  const cols = <usize>load<u32>(job, 20);
  const norms = <usize>load<u32>(job, 24);
  const groups = load<i32>(job, 28);
  const out = <usize>load<u32>(job, 32);
  const words = load<i32>(job, 36);
  const chunkRows = load<i32>(job, 40);
  const groupBytes = <usize>dp << 4;
  const rowBytes = <usize>words << 2;
  const q0 = (chunk * chunkRows) >> 2;
  const q1 = min(b4, chunk * chunkRows + chunkRows) >> 2;
  for (let q = q0; q < q1; q++) {
    const xq = rows + <usize>q * groupBytes;
    const tq = v128.load(terms + (<usize>q << 4));
    const t0 = v128.shuffle<f32>(tq, tq, 0, 0, 0, 0);
    const t1 = v128.shuffle<f32>(tq, tq, 1, 1, 1, 1);
    const t2 = v128.shuffle<f32>(tq, tq, 2, 2, 2, 2);
    const t3 = v128.shuffle<f32>(tq, tq, 3, 3, 3, 3);
    const o0 = out + <usize>(q << 2) * rowBytes;
    const o1 = o0 + rowBytes;
    const o2 = o1 + rowBytes;
    const o3 = o2 + rowBytes;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    let shift = 0;
    let word: usize = 0;
    let g = 0;
    // Two column groups (eight bits) at a time: 24 is a multiple of 8, so a pair never straddles words.
    for (; g + 1 < groups; g += 2) {
      const y = cols + <usize>g * groupBytes;
      const z = y + groupBytes;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let b0 = f32x4.splat(0);
      let b1 = f32x4.splat(0);
      let b2 = f32x4.splat(0);
      let b3 = f32x4.splat(0);
      for (let off: usize = 0; off < groupBytes; off += 16) {
        const y0 = v128.load(y + off);
        const y1 = v128.load(z + off);
        const xr = xq + off;
        let x = v128.load32_splat(xr);
        a0 = f32x4.add(a0, f32x4.mul(x, y0));
        b0 = f32x4.add(b0, f32x4.mul(x, y1));
        x = v128.load32_splat(xr, 4);
        a1 = f32x4.add(a1, f32x4.mul(x, y0));
        b1 = f32x4.add(b1, f32x4.mul(x, y1));
        x = v128.load32_splat(xr, 8);
        a2 = f32x4.add(a2, f32x4.mul(x, y0));
        b2 = f32x4.add(b2, f32x4.mul(x, y1));
        x = v128.load32_splat(xr, 12);
        a3 = f32x4.add(a3, f32x4.mul(x, y0));
        b3 = f32x4.add(b3, f32x4.mul(x, y1));
      }
      const yy = v128.load(norms + (<usize>g << 4));
      const zz = v128.load(norms + (<usize>g << 4), 16);
      w0 |= (i32x4.bitmask(within(a0, t0, yy)) | (i32x4.bitmask(within(b0, t0, zz)) << 4)) << shift;
      w1 |= (i32x4.bitmask(within(a1, t1, yy)) | (i32x4.bitmask(within(b1, t1, zz)) << 4)) << shift;
      w2 |= (i32x4.bitmask(within(a2, t2, yy)) | (i32x4.bitmask(within(b2, t2, zz)) << 4)) << shift;
      w3 |= (i32x4.bitmask(within(a3, t3, yy)) | (i32x4.bitmask(within(b3, t3, zz)) << 4)) << shift;
      shift += 8;
      if (shift == 24) {
        store<i32>(o0 + word, w0);
        store<i32>(o1 + word, w1);
        store<i32>(o2 + word, w2);
        store<i32>(o3 + word, w3);
        w0 = 0;
        w1 = 0;
        w2 = 0;
        w3 = 0;
        shift = 0;
        word += 4;
      }
    }
    if (g < groups) {
      const y = cols + <usize>g * groupBytes;
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
      w0 |= i32x4.bitmask(within(a0, t0, yy)) << shift;
      w1 |= i32x4.bitmask(within(a1, t1, yy)) << shift;
      w2 |= i32x4.bitmask(within(a2, t2, yy)) << shift;
      w3 |= i32x4.bitmask(within(a3, t3, yy)) << shift;
      shift += 4;
    }
    // The last, partial word.
    if (shift > 0) {
      store<i32>(o0 + word, w0);
      store<i32>(o1 + word, w1);
      store<i32>(o2 + word, w2);
      store<i32>(o3 + word, w3);
    }
  }
}
