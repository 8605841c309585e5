// SPDX-License-Identifier: MIT
/** A 2-D scatter (e.g. the first two principal components) of sampled rows, coloured by segment. */
import type { TopLevelSpec } from 'vega-lite';
import type { SegmentStyles } from '../segmentStyle.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportScatter } from '../types.js';

/** The Vega-Lite spec of the scatter; points of a segment are drawn in the segment's colour. */
export function scatterSpec(scatter: ReportScatter, styles: SegmentStyles): TopLevelSpec {
  const values: Array<{ x: number; y: number; label: string }> = [];
  for (let i = 0; i < scatter.x.length; i++) {
    const x = scatter.x[i];
    const y = scatter.y[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    // Rounded to 4 significant digits: invisible at this size, and a third of the SVG's bytes.
    values.push({ x: Number(x.toPrecision(4)), y: Number(y.toPrecision(4)), label: styles.get(scatter.segment[i], 'scatter.segment').label });
  }
  return {
    config: VEGA_LITE_CONFIG,
    data: { values },
    width: 520,
    height: 400,
    mark: { type: 'circle', size: 14, opacity: 0.65, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: scatter.xLabel ?? 'PC1', scale: { zero: false, nice: true } },
      y: { field: 'y', type: 'quantitative', title: scatter.yLabel ?? 'PC2', scale: { zero: false, nice: true } },
      color: { field: 'label', type: 'nominal', title: 'segment', scale: { domain: styles.labels, range: styles.colors } },
    },
  } as TopLevelSpec;
}
