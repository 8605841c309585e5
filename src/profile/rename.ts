// SPDX-License-Identifier: MIT
/** Renaming segments: the user's names replace generated ones, checked for typos and clashes. */
import { ParameterError } from '../errors.js';
import type { ProfileResult, SegmentProfile } from './profile.js';

/**
 * A copy of `profiles` in which the segments named in `names` (by id; −1 is the noise group)
 * carry the given name, trimmed, with `nameSource: 'user'`. The input is not changed.
 *
 * Throws ParameterError for an id that is not a segment of the profile, an empty name, or a
 * name (compared without regard to case) that two segments would then share.
 *
 * Example (run in test/profile/rename.test.ts):
 * const renamed = renameSegments(profiles, { 0: 'Bargain hunters' });
 * renamed.segments[0].nameSource; // 'user'
 */
export function renameSegments(profiles: ProfileResult, names: Readonly<Record<number, string>> | ReadonlyMap<number, string>): ProfileResult {
  const fn = 'renameSegments';
  const entries: [number, unknown][] =
    names instanceof Map ? [...(names as ReadonlyMap<number, string>).entries()] : Object.entries(names).map(([k, v]) => [Number(k), v]);
  const all = profiles.noise === null ? profiles.segments : [...profiles.segments, profiles.noise];
  const ids = new Set(all.map((s) => s.id));
  const wanted = new Map<number, string>();
  for (const [id, name] of entries) {
    if (!ids.has(id)) {
      throw new ParameterError(fn, 'names', `segment id ${String(id)} is not in the profile (ids: ${[...ids].join(', ')})`);
    }
    if (typeof name !== 'string' || name.trim() === '') {
      throw new ParameterError(fn, 'names', `the name for segment ${id} is empty`);
    }
    wanted.set(id, name.trim());
  }
  const rename = (s: SegmentProfile): SegmentProfile => {
    const name = wanted.get(s.id);
    return name === undefined ? s : { ...s, name, nameSource: 'user' };
  };
  const segments = profiles.segments.map(rename);
  const noise = profiles.noise === null ? null : rename(profiles.noise);
  const seen = new Map<string, number>();
  for (const s of noise === null ? segments : [...segments, noise]) {
    const key = s.name.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      throw new ParameterError(fn, 'names', `segments ${other} and ${s.id} would both be named '${s.name}'`);
    }
    seen.set(key, s.id);
  }
  return { ...profiles, segments, noise };
}
