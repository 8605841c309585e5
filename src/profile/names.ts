// SPDX-License-Identifier: MIT
/**
 * Generated segment names: the phrases of a segment's most distinctive features joined into a
 * name such as `High CTR, mostly Urban`, unique across the segments of one profile.
 */
import type { DistinctiveFeature } from './distinctive.js';

/** The name of the noise group (label −1). */
export const NOISE_NAME = 'Noise';

/** The name of a segment that nothing sets apart. */
export const AVERAGE_NAME = 'Close to average';

function sentence(phrases: string[]): string {
  const text = phrases.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A name for each segment from the phrases of its first `nameFeatures` distinctive features; the
 * features after the first join only with a score of at least `minScore`, so that a weak second
 * feature does not make a name say more than the data. Names are unique without regard to case:
 * a segment whose name is taken (segments are named in the order given) adds its next
 * distinctive features one at a time, and when they run out its id, `… (segment 3)`. `reserved`
 * names (the noise group's) are taken from the start.
 * O(k · features).
 *
 * Example: `generateNames([{ id: 0, distinctive: [] }], 2, 0.2)` gives `Map { 0 => 'Close to average' }`.
 */
export function generateNames(
  segments: readonly { id: number; distinctive: readonly DistinctiveFeature[] }[],
  nameFeatures: number,
  minScore: number,
  reserved: readonly string[] = [],
): Map<number, string> {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  const names = new Map<number, string>();
  for (const s of segments) {
    const phrases = s.distinctive.map((f) => f.phrase);
    const candidates: string[] = [];
    let first = Math.min(nameFeatures, phrases.length, 1);
    while (first < Math.min(nameFeatures, phrases.length) && s.distinctive[first].score >= minScore) first++;
    for (let m = first; m <= phrases.length; m++) if (m > 0) candidates.push(sentence(phrases.slice(0, m)));
    const base = candidates.length > 0 ? candidates[0] : AVERAGE_NAME;
    if (candidates.length === 0) candidates.push(base);
    candidates.push(`${base} (segment ${s.id})`);
    let name = candidates.find((c) => !taken.has(c.toLowerCase()));
    // Only a reserved or earlier name of the same `(segment id)` form can collide here.
    for (let extra = 2; name === undefined; extra++) {
      const c = `${base} (segment ${s.id}, ${extra})`;
      if (!taken.has(c.toLowerCase())) name = c;
    }
    taken.add(name.toLowerCase());
    names.set(s.id, name);
  }
  return names;
}
