// SPDX-License-Identifier: MIT
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { inferKinds } from '../../src/data/inferKinds.js';
import { ParameterError } from '../../src/errors.js';
import { profileSegments } from '../../src/profile/profile.js';
import { DEFAULT_PAIR_RULE, featureScatterOf, stratifiedRows } from '../../src/report/featureSample.js';

describe('stratifiedRows', () => {
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 600 ? 0 : i < 900 ? 1 : 2));

  it('draws each segment in proportion to its size, its rows only, each once, in row order', () => {
    const { rows, strata } = stratifiedRows(labels, [0, 1, 2], 100, 1);
    expect(strata).toEqual([
      { segment: 0, drawn: 60, rows: 600 },
      { segment: 1, drawn: 30, rows: 300 },
      { segment: 2, drawn: 10, rows: 100 },
    ]);
    expect(rows).toHaveLength(100);
    expect(new Set(rows).size).toBe(100);
    expect(Array.from(rows)).toEqual(Array.from(rows).sort((a, b) => a - b));
    for (const s of [0, 1, 2]) expect(Array.from(rows).filter((r) => labels[r] === s)).toHaveLength(strata[s].drawn);
    // Seeded: the same seed draws the same rows, another seed others.
    expect(stratifiedRows(labels, [0, 1, 2], 100, 1).rows).toEqual(rows);
    expect(stratifiedRows(labels, [0, 1, 2], 100, 2).rows).not.toEqual(rows);
  });

  it('gives the rows left after rounding down to the largest remainders, and at least one row to every segment', () => {
    // 5, 3, 2 rows, 4 drawn: quotas 2, 1.2, 0.8 → 2, 1, 0, and the one left to the largest remainder (0.8).
    const small = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
    expect(stratifiedRows(small, [0, 1, 2], 4, 0).strata.map((s) => s.drawn)).toEqual([2, 1, 1]);
    // 97, 2, 1 rows, 10 drawn: quotas 9.7, 0.2, 0.1 → 10, 0, 0; the two empty ones take a row each from the first.
    const skewed = Int32Array.from({ length: 100 }, (_, i) => (i < 97 ? 0 : i < 99 ? 1 : 2));
    expect(stratifiedRows(skewed, [0, 1, 2], 10, 0).strata.map((s) => s.drawn)).toEqual([8, 1, 1]);
  });

  it('keeps every row when there are no more than asked, and leaves out labels not listed', () => {
    const few = Int32Array.from([1, 0, -1, 1]);
    expect(Array.from(stratifiedRows(few, [0, 1, -1], 10, 0).rows)).toEqual([0, 1, 2, 3]);
    expect(Array.from(stratifiedRows(few, [0, 1], 10, 0).rows)).toEqual([0, 1, 3]);
    expect(() => stratifiedRows(few, [0, 1], 0, 0)).toThrow(ParameterError);
  });
});

describe('featureScatterOf', () => {
  it('picks the two numeric columns whose segment means lie furthest from the mean of all rows, and a log scale for a heavy tail', () => {
    // Segments 0 (rows 0-2) and 1 (rows 3-5). Standardised differences of segment 1 (population sd):
    // a: (5 − 3.5) / 1.708 = 0.88; d: (333.3 − 166.7) / 372.7 = 0.45; b: (5/3 − 1.5) / 0.5 = 0.33; c: 0.
    const table = tableFromArrays({
      a: Float64Array.of(1, 2, 3, 4, 5, 6),
      b: Float64Array.of(1, 1, 2, 1, 2, 2),
      c: Float64Array.of(0, 10, 5, 0, 10, 5),
      d: Float64Array.of(0, 0, 0, 0, 0, 1000),
    });
    const schema = inferKinds(table);
    const labels = Int32Array.of(0, 0, 0, 1, 1, 1);
    const profiles = profileSegments(table, schema, labels);
    const f = featureScatterOf({ table, schema, labels, profiles, log1p: [] }, [0, 1], 100, 0);
    expect(f).not.toBeNull();
    if (f === null) return;
    expect(f.columns).toEqual(['a', 'b', 'c', 'd']);
    expect([f.columns[f.x], f.columns[f.y]]).toEqual(['a', 'd']);
    expect(f.rule).toBe(DEFAULT_PAIR_RULE);
    expect(f.scales).toEqual(['linear', 'linear', 'linear', 'log']);
    expect(Array.from(f.values[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(f.strata).toEqual([
      { segment: 0, drawn: 3, rows: 3 },
      { segment: 1, drawn: 3, rows: 3 },
    ]);
    // At most 2 columns: the two that differ most, in the file's order, and a note.
    const two = featureScatterOf({ table, schema, labels, profiles, log1p: [] }, [0, 1], 100, 0, 2);
    expect(two?.columns).toEqual(['a', 'd']);
    expect(two?.note).toContain('2 are left out');
    // A column the pipeline took log1p of is on a log scale whatever its skew.
    expect(featureScatterOf({ table, schema, labels, profiles, log1p: ['a'] }, [0, 1], 100, 0)?.scales[0]).toBe('log');
  });
});
