// SPDX-License-Identifier: MIT
/**
 * The sorted k-distance curve behind DBSCAN's eps (src/algorithms/epsHelp.ts): sampled rows,
 * ascending by the distance to their k-th nearest row (k = minSamples, the row itself counting).
 * The curve is flat over rows in dense regions and climbs at the sparse ones; a dashed rule marks
 * the knee, the suggested eps, and a grey one the eps a run used, when given. A row whose
 * k-distance is at most eps is a core row of DBSCAN with that eps.
 */
import type { TopLevelSpec } from 'vega-lite';
import { formatNumber, formatShare } from '../format.js';
import { MUTED, VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportKDistance } from '../types.js';

const LINE = '#3e4c59';
const KNEE = '#e45756';

/** `1st`, `2nd`, `3rd`, `4th`, … `11th`, `21st`. */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${suffix}`;
}

/** The suggested eps: the k-distance at the knee, or null. */
export function suggestedEps(c: ReportKDistance): number | null {
  return c.kneeIndex === null ? null : c.distances[c.kneeIndex];
}

/** The share of the sampled rows whose k-distance is at most `eps`: the core rows of DBSCAN with that eps. */
export function coreShare(c: ReportKDistance, eps: number): number {
  let core = 0;
  for (let i = 0; i < c.distances.length; i++) if (c.distances[i] <= eps) core++;
  return c.distances.length === 0 ? 0 : core / c.distances.length;
}

/** The y axis title: what the distance is. */
export function kDistanceTitle(k: number): string {
  return `distance to the ${ordinal(k)} nearest row`;
}

/** The Vega-Lite spec of the k-distance curve, with rules at the suggested eps and at the eps used. */
export function kDistanceSpec(c: ReportKDistance): TopLevelSpec {
  const title = kDistanceTitle(c.k);
  const values = Array.from(c.distances, (d, i) => ({ rank: i + 1, distance: d }));
  const x = { field: 'rank', type: 'quantitative', title: 'sampled rows, by that distance', scale: { domain: [1, Math.max(2, values.length)], nice: false }, axis: { format: ',d', tickMinStep: 1 } };
  const y = { field: 'distance', type: 'quantitative', title, scale: { zero: true } };
  const layer: object[] = [
    {
      data: { values },
      mark: { type: 'line', color: LINE, strokeWidth: 1.5 },
      encoding: { x, y, tooltip: [{ field: 'rank', title: 'row (sorted)', format: ',' }, { field: 'distance', title, format: '.4~g' }] },
    },
  ];
  // The knee's label at the left, where the curve is low; the eps used at the right, where it has climbed away.
  const rule = (value: number, text: string, color: string, dash: number[], dy: number, left: boolean): object[] => [
    { data: { values: [{ distance: value, text }] }, mark: { type: 'rule', color, strokeDash: dash, strokeWidth: 1.5 }, encoding: { y, tooltip: [{ field: 'text', title: 'eps' }] } },
    {
      data: { values: [{ distance: value, text }] },
      mark: { type: 'text', color, align: left ? 'left' : 'right', baseline: 'bottom', x: left ? 6 : { expr: 'width - 6' }, dy, fontSize: 11, fontWeight: 600, aria: false },
      encoding: { y, text: { field: 'text' } },
    },
  ];
  const eps = suggestedEps(c);
  if (eps !== null) {
    layer.push(...rule(eps, `suggested eps ${formatNumber(eps)} (the knee)`, KNEE, [5, 3], -2, true));
    layer.push({ data: { values: [{ rank: (c.kneeIndex as number) + 1, distance: eps }] }, mark: { type: 'point', filled: true, size: 50, color: KNEE }, encoding: { x, y, tooltip: [{ field: 'distance', title: 'suggested eps', format: '.4~g' }] } });
  }
  if (c.eps !== undefined) layer.push(...rule(c.eps, `eps used ${formatNumber(c.eps)}`, MUTED, [2, 2], -2, false));
  return { config: VEGA_LITE_CONFIG, width: 460, height: 260, layer } as TopLevelSpec;
}

/**
 * The caption: which rows, what the curve is, the suggested eps and the share of rows it makes
 * core, and the eps used when given.
 * @example
 * kDistanceCaption({ k: 2, distances: [1, 1, 1, 1, 10], sampledRows: 5, totalRows: 5, kneeIndex: 3 }).includes('suggested eps is 1'); // true
 */
export function kDistanceCaption(c: ReportKDistance): string {
  const rows = c.sampledRows < c.totalRows ? `${formatNumber(c.sampledRows)} rows sampled of ${formatNumber(c.totalRows)} (their neighbours searched among all rows)` : `All ${formatNumber(c.totalRows)} rows`;
  const parts = [`${rows}, ascending by the distance to their ${ordinal(c.k)} nearest row, counting the row itself (k = min samples = ${c.k}).`];
  const eps = suggestedEps(c);
  parts.push(
    eps === null
      ? 'The curve has no clear knee: no eps is suggested.'
      : `At the knee the curve turns from flat to steep: the suggested eps is ${formatNumber(eps)}, with which ${formatShare(coreShare(c, eps))} of these rows are core rows.`,
  );
  if (c.eps !== undefined) parts.push(`The run used eps = ${formatNumber(c.eps)} (${formatShare(coreShare(c, c.eps))} core rows).`);
  return parts.join(' ');
}
