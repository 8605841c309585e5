// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { coreShare, kDistanceCaption, kDistanceSpec, kDistanceTitle, suggestedEps } from '../../../src/report/charts/kDistance.js';
import { renderVegaLite } from '../../../src/report/renderChart.js';
import type { ReportKDistance } from '../../../src/report/types.js';

/** Ten rows of 40, k = 4: flat near 1, then a climb; the knee at index 6. */
const curve: ReportKDistance = { k: 4, distances: [0.9, 1, 1, 1.05, 1.1, 1.15, 1.2, 2.5, 4, 7], sampledRows: 10, totalRows: 40, kneeIndex: 6, eps: 1 };

type Layer = { data: { values: Array<Record<string, unknown>> }; mark: { type: string }; encoding: Record<string, { title?: string }> };

describe('kDistanceSpec', () => {
  it('draws the sorted curve, a rule and a point at the knee (the suggested eps) and a rule at the eps used', () => {
    const layers = (kDistanceSpec(curve) as unknown as { layer: Layer[] }).layer;
    expect(layers[0].data.values).toHaveLength(10);
    expect(layers[0].data.values[9]).toEqual({ rank: 10, distance: 7 });
    expect(layers[0].encoding.y.title).toBe('distance to the 4th nearest row');
    const rules = layers.filter((l) => l.mark.type === 'rule').map((l) => l.data.values[0].distance);
    expect(rules).toEqual([1.2, 1]);
    expect(layers.find((l) => l.mark.type === 'point')?.data.values[0]).toEqual({ rank: 7, distance: 1.2 });
    expect(suggestedEps(curve)).toBe(1.2);
    expect(suggestedEps({ ...curve, kneeIndex: null })).toBeNull();
    expect(kDistanceTitle(2)).toBe('distance to the 2nd nearest row');
    expect(kDistanceTitle(11)).toBe('distance to the 11th nearest row');
  });

  it('renders without a warning', async () => {
    const warnings: string[] = [];
    const svg = await renderVegaLite(kDistanceSpec(curve), { id: 'kd', title: 't', description: 'd' }, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(svg).toContain('suggested eps 1.2 (the knee)');
    expect(svg).toContain('eps used 1</text>');
  });
});

describe('kDistanceCaption', () => {
  it('says the rows, the suggested eps and the share of core rows with it and with the eps used', () => {
    // At most 1.2: 7 of 10 rows (70 %); at most 1: 3 of 10.
    expect(coreShare(curve, 1.2)).toBe(0.7);
    expect(coreShare(curve, 1)).toBe(0.3);
    expect(kDistanceCaption(curve)).toBe(
      '10 rows sampled of 40 (their neighbours searched among all rows), ascending by the distance to their 4th nearest row, counting the row itself (k = min samples = 4). At the knee the curve turns from flat to steep: the suggested eps is 1.2, with which 70.0 % of these rows are core rows. The run used eps = 1 (30.0 % core rows).',
    );
    expect(kDistanceCaption({ ...curve, kneeIndex: null, eps: undefined })).toContain('no clear knee');
  });
});
