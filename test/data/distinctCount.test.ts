import { describe, expect, it } from 'vitest';
import { distinctCount } from '../../src/data/distinctCount.js';
import { Random } from '../../src/random.js';

describe('distinctCount', () => {
  it('counts each value once, 0 and -0 as one, as a Set does', () => {
    expect(distinctCount(Float64Array.of(1, 2, 2, -0, 0))).toBe(3);
    expect(distinctCount(new Float64Array(0))).toBe(0);
    expect(distinctCount(Float64Array.of(Infinity, -Infinity, Infinity, 5e-324, 1.7976931348623157e308))).toBe(4);
  });

  it('agrees with a Set on random integers, decimals and heavy tails', () => {
    const rng = new Random(7);
    const makers = [() => Math.floor(rng.next() * 50), () => Math.round(rng.next() * 250) / 1000, () => Math.floor(Math.exp(rng.next() * 14)), () => rng.next()];
    for (const make of makers) {
      for (const n of [1, 17, 1000, 30_000]) {
        const v = Float64Array.from({ length: n }, make);
        expect(distinctCount(v)).toBe(new Set(v).size);
      }
    }
  });
});
