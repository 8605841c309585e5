// SPDX-License-Identifier: MIT
import { describe, expect } from 'vitest';
import { deviceFacts } from '../../src/backend/backend.js';
import { REDUCTION_RUN, ranges, tileRows } from '../../src/kernels/tiling.js';
import { describeEachBackend, it } from '../helpers/backends.js';

describe('ranges', () => {
  it('ranges cuts 0..50 into steps of 7 with a short last range', () => {
    expect(ranges(50, 7)).toEqual([
      [0, 7],
      [7, 14],
      [14, 21],
      [21, 28],
      [28, 35],
      [35, 42],
      [42, 49],
      [49, 50],
    ]);
  });

  it('ranges gives one range when the step is n or more', () => {
    expect(ranges(7, 7)).toEqual([[0, 7]]);
    expect(ranges(5, 10)).toEqual([[0, 5]]);
  });

  it('ranges gives n ranges of one row for a step of 1', () => {
    expect(ranges(3, 1)).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('ranges of n = 0 is empty', () => {
    expect(ranges(0, 7)).toEqual([]);
  });

  it('ranges covers every row exactly once, in order, for n up to 100 and steps up to 20', () => {
    for (let n = 1; n <= 100; n++) {
      for (let size = 1; size <= 20; size++) {
        const r = ranges(n, size);
        expect(r.length).toBe(Math.ceil(n / size));
        let next = 0;
        for (const [s, e] of r) {
          expect(s).toBe(next);
          expect(e - s).toBeGreaterThan(0);
          expect(e - s).toBeLessThanOrEqual(size);
          next = e;
        }
        expect(next).toBe(n);
      }
    }
  });
});

describe('tileRows', () => {
  it('tileRows fits floatsPerRow float32 values per row in the budget', () => {
    expect(tileRows(10, 1_000_000, 4000)).toBe(100); // 4000 B / (10 · 4 B)
    expect(tileRows(3, 1_000_000, 100)).toBe(8); // ⌊100 / 12⌋
  });

  it('tileRows is at most maxRows', () => {
    expect(tileRows(1, 50, 1 << 20)).toBe(50);
  });

  it('tileRows is at least 1 when one row is over the budget', () => {
    expect(tileRows(1000, 50, 16)).toBe(1);
    expect(tileRows(1, 50, 0)).toBe(1);
  });

  it('tileRows counts floatsPerRow below 1 as 1', () => {
    expect(tileRows(0, 1_000_000, 400)).toBe(100);
  });

  it('REDUCTION_RUN keeps a run of counts exact in float32 (at most 2^24)', () => {
    expect(Number.isInteger(REDUCTION_RUN)).toBe(true);
    expect(REDUCTION_RUN).toBeGreaterThanOrEqual(1);
    expect(REDUCTION_RUN).toBeLessThanOrEqual(2 ** 24);
  });
});

describeEachBackend('tileRows', (backend) => {
  it(`tileRows defaults to the memory budget of the current device (${backend})`, () => {
    const budget = deviceFacts().memoryBudgetBytes;
    expect(deviceFacts().backend).toBe(backend);
    expect(budget).toBeGreaterThan(0);
    expect(tileRows(16, 1e12)).toBe(Math.floor(budget / 64));
    expect(tileRows(16, 10)).toBe(10);
  });
});
