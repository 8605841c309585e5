// SPDX-License-Identifier: MIT
/**
 * The nearest-center layers: the squared Euclidean distance of each row's features to each
 * center, summed in feature order in float64 (as nearestPoints in src/algorithms/nearest.ts sums
 * them), their least, and the lowest-numbered center at that least (predict's tie rule), its
 * name and the square root of the least as the distance.
 */
import type { MatrixF32 } from '../../matrix.js';
import type { Dialect, Sql } from './dialects.js';
import { featureName, type Item } from './pipeline.js';

/** The helper column of the squared distance to center c. */
export const distanceName = (c: number): string => `__segments_d${c}`;
/** The helper column of the least squared distance. */
export const LEAST_NAME = '__segments_least';

/** One item per center: Σ_j (f_j − c_j)². */
export function distanceItems(d: Dialect, centers: MatrixF32, source: string): Item[] {
  const { rows: k, cols: n, data } = centers;
  return Array.from({ length: k }, (_, c) => {
    const terms = Array.from({ length: n }, (_, j) => {
      const diff = `(${source}.${d.ident(featureName(j))} - ${d.double(data[c * n + j])})`;
      return `${diff} * ${diff}`;
    });
    return { expr: terms.join(' + '), as: distanceName(c) };
  });
}

/** The least of the squared distances. */
export function leastItem(d: Dialect, k: number, source: string): Item {
  return { expr: d.least(Array.from({ length: k }, (_, c) => `${source}.${d.ident(distanceName(c))}`)), as: LEAST_NAME };
}

/** The segment id, its name and the distance, from the distances and their least. */
export function segmentItems(d: Dialect, names: readonly string[], source: string, as: { segment: string; name: string; distance: string }): Item[] {
  const least = `${source}.${d.ident(LEAST_NAME)}`;
  const k = names.length;
  const pick = (value: (c: number) => Sql): Sql => {
    if (k === 1) return value(0);
    const whens = names.slice(0, k - 1).map((_, c) => `WHEN ${source}.${d.ident(distanceName(c))} = ${least} THEN ${value(c)}`);
    return `CASE ${whens.join(' ')} ELSE ${value(k - 1)} END`;
  };
  return [
    { expr: pick((c) => String(c)), as: as.segment },
    { expr: pick((c) => d.text(names[c])), as: as.name },
    { expr: d.sqrt(least), as: as.distance },
  ];
}
