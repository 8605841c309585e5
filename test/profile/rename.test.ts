// SPDX-License-Identifier: MIT
/** renameSegments: user names replace generated ones; ids and names are validated. */
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/data/schema.js';
import { ParameterError } from '../../src/errors.js';
import { profileSegments } from '../../src/profile/profile.js';
import { renameSegments } from '../../src/profile/rename.js';
import { column } from './support.js';

const table = tableFromArrays({ spend: Float64Array.of(1, 2, 10, 12, 5, 6) });
const schema: Schema = { rowsSeen: 6, columns: [column('spend', 'number')] };
const profiles = profileSegments(table, schema, Int32Array.of(0, 0, 1, 1, 2, -1));

describe('renameSegments', () => {
  it('returns a new profile with the user names and leaves the input alone', () => {
    const before = JSON.stringify(profiles);
    const renamed = renameSegments(profiles, { 0: '  Bargain hunters ', [-1]: 'Unassigned' });
    expect(renamed.segments[0]).toMatchObject({ id: 0, name: 'Bargain hunters', nameSource: 'user' });
    expect(renamed.noise).toMatchObject({ id: -1, name: 'Unassigned', nameSource: 'user' });
    expect(renamed.segments[1]).toBe(profiles.segments[1]);
    expect(renamed.segments[1].nameSource).toBe('generated');
    expect(JSON.stringify(profiles)).toBe(before);
  });

  it('accepts a Map and may swap names', () => {
    const [a, b] = profiles.segments.map((s) => s.name);
    const renamed = renameSegments(profiles, new Map([[0, b], [1, a]]));
    expect(renamed.segments.map((s) => s.name).slice(0, 2)).toEqual([b, a]);
  });

  it('rejects an unknown segment id', () => {
    expect(() => renameSegments(profiles, { 7: 'Ghosts' })).toThrow(ParameterError);
    expect(() => renameSegments(profiles, { 7: 'Ghosts' })).toThrow(/segment id 7 is not in the profile/);
  });

  it('rejects an empty name', () => {
    expect(() => renameSegments(profiles, { 1: '   ' })).toThrow(/name for segment 1 is empty/);
  });

  it('rejects names two segments would share, whatever their case', () => {
    expect(() => renameSegments(profiles, { 0: 'Big', 1: 'big' })).toThrow(ParameterError);
    // clashing with a generated name that is kept
    expect(() => renameSegments(profiles, { 0: profiles.segments[2].name })).toThrow(/segments 0 and 2/);
  });
});
