// SPDX-License-Identifier: MIT
/** Captions of the charts that say what the chart leaves out or how to read it, the same in the report and the app. */
import { scatterWindow } from './charts/scatter.js';
import { formatNumber, formatShare } from './format.js';
import type { ReportNumericDistribution, ReportScatter, ReportSilhouettePlot } from './types.js';

/** The largest share of a segment's rows in one bin, over all segments. */
function maxBinShare(d: ReportNumericDistribution): number {
  let max = 0;
  for (const s of d.counts) {
    let t = 0;
    for (let b = 0; b < s.counts.length; b++) t += s.counts[b];
    for (let b = 0; b < s.counts.length; b++) if (t > 0) max = Math.max(max, s.counts[b] / t);
  }
  return max;
}

/** The scatter's caption: which rows, and how many fall outside the drawn window. */
export function scatterCaption(s: ReportScatter): string {
  const shown = s.x.length;
  const rows = shown < s.totalRows ? `${formatNumber(shown)} of ${formatNumber(s.totalRows)} rows, sampled at random.` : `All ${formatNumber(shown)} rows.`;
  const { outside } = scatterWindow(s);
  const clipped = `The axes span the 1st to 99th percentile of each component; ${outside === 0 ? 'no point lies' : `${formatNumber(outside)} point${outside === 1 ? ' lies' : 's lie'}`} outside and ${outside === 1 ? 'is' : 'are'} not drawn.`;
  return [rows, clipped, s.note].filter((t) => t !== undefined && t !== '').join(' ');
}

/** The caption of a numeric distribution: what the heights, boxes and points are, and the log scale. */
export function numericCaption(d: ReportNumericDistribution): string {
  const parts = [`Bar height: share of the segment's rows in the bin (the tallest bar is ${formatShare(maxBinShare(d))}).`];
  if (d.boxes && d.boxes.length > 0) {
    const outliers = d.boxes.reduce((t, b) => t + b.outlierCount, 0);
    const drawn = d.boxes.reduce((t, b) => t + b.outliers.length, 0);
    parts.push(
      `Boxes: quartiles and median; whiskers reach the last values within 1.5 IQR of the box; ${formatNumber(outliers)} value${outliers === 1 ? '' : 's'} beyond them${outliers > drawn ? `, the ${formatNumber(drawn)} most extreme drawn as points` : outliers > 0 ? ', drawn as points' : ''}.`,
    );
  }
  if (d.scale === 'log') parts.push(`Log scale (log of 1 + value, so that 0 has its place): the first bin starts at ${formatNumber(d.edges[0])}.`);
  return parts.join(' ');
}

/** The silhouette plot's caption: which rows were scored, and whether a segment has rows below 0. */
export function silhouetteCaption(plot: ReportSilhouettePlot): string {
  const scored = plot.scoredRows < plot.totalRows ? `${formatNumber(plot.scoredRows)} sampled rows of ${formatNumber(plot.totalRows)}` : `all ${formatNumber(plot.totalRows)} rows`;
  const below = plot.segments.filter((s) => s.values[s.values.length - 1] < 0).length;
  return `Each segment's rows by their silhouette, highest first (on ${scored}); the number at the right is the segment's mean, the dashed line the mean of all (${plot.mean.toFixed(2)}). ${below === 0 ? 'No segment has rows below 0.' : `${below} segment${below === 1 ? ' has' : 's have'} rows below 0: nearer another segment than their own.`}`;
}
