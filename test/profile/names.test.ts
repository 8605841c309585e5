// SPDX-License-Identifier: MIT
/** Generated names: built from the top features, unique, marked as generated. */
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/data/schema.js';
import type { DistinctiveFeature } from '../../src/profile/distinctive.js';
import { AVERAGE_NAME, generateNames, NOISE_NAME } from '../../src/profile/names.js';
import { profileSegments } from '../../src/profile/profile.js';
import { column } from './support.js';

function feature(phrase: string, score: number): DistinctiveFeature {
  return { type: 'value', column: 'c', kind: 'category', value: phrase, count: 10, share: 0.5, lift: 2, score, phrase };
}

describe('generateNames', () => {
  it('joins the phrases of the first features, capitalised', () => {
    const names = generateNames([{ id: 4, distinctive: [feature('high CTR', 1), feature('mostly Urban', 0.5), feature('into Gaming', 0.4)] }], 2, 0.2);
    expect(names.get(4)).toBe('High CTR, mostly Urban');
  });

  it('leaves out a second feature whose score is below minScore', () => {
    const names = generateNames([{ id: 0, distinctive: [feature('high CTR', 1), feature('mostly Urban', 0.1)] }], 2, 0.2);
    expect(names.get(0)).toBe('High CTR');
  });

  it('makes colliding names unique by adding features, then the id', () => {
    const names = generateNames(
      [
        { id: 0, distinctive: [feature('high x', 1), feature('mostly a', 0.1)] },
        { id: 1, distinctive: [feature('high x', 1), feature('into y', 0.1)] },
        { id: 2, distinctive: [feature('High X', 1)] },
        { id: 3, distinctive: [] },
        { id: 5, distinctive: [] },
      ],
      1,
      0.2,
    );
    expect([...names.values()]).toEqual(['High x', 'High x, into y', 'High X (segment 2)', AVERAGE_NAME, `${AVERAGE_NAME} (segment 5)`]);
  });

  it('never gives a segment a reserved name', () => {
    const names = generateNames([{ id: 0, distinctive: [feature('noise', 1)] }], 2, 0.2, [NOISE_NAME]);
    expect(names.get(0)).toBe('Noise (segment 0)');
  });
});

describe('profileSegments names', () => {
  // Segments 0 and 1 have the same rows' values, segment 2 differs: 0 and 1 would share a name.
  const table = new Table({
    spend: vectorFromArray(Float64Array.of(1, 2, 3, 1, 2, 3, 10, 11, 12, 13)),
    city: vectorFromArray(['north', 'north', 'north', 'north', 'north', 'north', 'south', 'south', 'south', 'south'], new Utf8()),
  });
  const schema: Schema = { rowsSeen: 10, columns: [column('spend', 'number'), column('city', 'category')] };
  const p = profileSegments(table, schema, Int32Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 2), { minCount: 2 });

  it('gives unique generated names that mention the top distinctive feature', () => {
    const names = p.segments.map((s) => s.name);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
    for (const s of p.segments) {
      expect(s.nameSource).toBe('generated');
      expect(s.name.toLowerCase()).toContain(s.distinctive[0].phrase.toLowerCase());
    }
    // spend: mean 58/10 = 5.8, squared deviations 2·(23.04 + 14.44 + 7.84) + 17.64 + 27.04 +
    // 38.44 + 51.84 = 225.6, std √22.56 = 4.7497.
    // segments 0 and 1: spend mean 2 → stdDiff −3.8/4.7497 = −0.80; city north: share 1, overall
    // 0.6 → 1·log2(1/0.6) = 0.737. Same features: segment 1 gets its id.
    // segment 2: city south 1·log2(1/0.4) = 1.32 beats spend (11.5 − 5.8)/4.7497 = 1.20 (very high).
    expect(names).toEqual(['Low spend, mostly north', 'Low spend, mostly north (segment 1)', 'Mostly south, very high spend']);
  });
});
