// SPDX-License-Identifier: MIT
/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32), so that a
 * seed makes a run reproducible. Not the numpy stream: results match scikit-learn statistically,
 * not draw for draw.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A seed for a child generator (e.g. one per k-means init). */
  fork(): number {
    return this.nextUint32();
  }

  /** `size` distinct indices from [0, n), in random order (partial Fisher-Yates). */
  sample(n: number, size: number): Int32Array {
    if (size >= n) {
      const all = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = this.int(i + 1);
        [all[i], all[j]] = [all[j], all[i]];
      }
      return all;
    }
    const picked = new Map<number, number>();
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const j = i + this.int(n - i);
      const vj = picked.get(j) ?? j;
      out[i] = vj;
      picked.set(j, picked.get(i) ?? i);
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seed from the clock, for runs where none is given. */
export function randomSeed(): number {
  return (Date.now() ^ Math.floor(Math.random() * 0xffffffff)) >>> 0;
}
