// SPDX-License-Identifier: MIT
/**
 * The correlation matrix as a heatmap: a diverging scale from −1 (blue) through 0 (white) to +1
 * (orange), each cell labelled with its value when there are few enough features to read them,
 * and undefined correlations (a constant feature) in grey marked `n/a`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ParameterError } from '../../errors.js';
import { VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportCorrelation } from '../types.js';

/** Cells are labelled with their value up to this many features. */
const MAX_LABELLED = 16;

/** The Vega-Lite spec of the correlation heatmap. */
export function correlationSpec(c: ReportCorrelation): TopLevelSpec {
  const d = c.features.length;
  if (c.matrix.length !== d * d) {
    throw new ParameterError('renderReport', 'correlation.matrix', `correlation.matrix has ${c.matrix.length} values, not ${d}×${d} = ${d * d}`);
  }
  const cells: Array<{ a: string; b: string; r: number; text: string }> = [];
  const missing: Array<{ a: string; b: string; text: string }> = [];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const r = c.matrix[i * d + j];
      if (r === null || !Number.isFinite(r)) missing.push({ a: c.features[j], b: c.features[i], text: 'n/a' });
      else cells.push({ a: c.features[j], b: c.features[i], r: Math.max(-1, Math.min(1, r)), text: r.toFixed(2) });
    }
  }
  const sort = [...c.features];
  const step = d <= 8 ? 44 : d <= MAX_LABELLED ? 32 : Math.max(8, Math.floor(520 / d));
  const x = { field: 'a', type: 'nominal', sort, title: null, axis: { labelAngle: -40, labelLimit: 260 } };
  const y = { field: 'b', type: 'nominal', sort, title: null, axis: { labelLimit: 260 } };
  const tooltip = [
    { field: 'b', title: 'row' },
    { field: 'a', title: 'column' },
    { field: 'text', title: 'correlation' },
  ];
  const layer: object[] = [
    {
      data: { values: cells },
      mark: { type: 'rect', aria: d <= MAX_LABELLED },
      encoding: { x, y, color: { field: 'r', type: 'quantitative', title: 'correlation', scale: { domain: [-1, 1], scheme: 'blueorange' }, legend: { format: '.1f', gradientLength: 160 } }, tooltip },
    },
  ];
  if (missing.length > 0) layer.push({ data: { values: missing }, mark: { type: 'rect', color: '#cbd2d9', aria: false }, encoding: { x, y, tooltip } });
  if (d <= MAX_LABELLED) {
    layer.push({
      data: { values: [...cells, ...missing.map((m) => ({ ...m, r: 0 }))] },
      mark: { type: 'text', fontSize: d <= 8 ? 11 : 9, aria: false },
      encoding: {
        x,
        y,
        text: { field: 'text' },
        tooltip,
        color: { condition: { test: 'abs(datum.r) > 0.6', value: '#ffffff' }, value: '#1f2933' },
      },
    });
  }
  return {
    config: VEGA_LITE_CONFIG,
    width: { step },
    height: { step },
    layer,
  } as TopLevelSpec;
}
