// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { featureScatterCaption, featureScatterSpec } from '../../../src/report/charts/featureScatter.js';
import { renderVegaLite } from '../../../src/report/renderChart.js';
import { SegmentStyles } from '../../../src/report/segmentStyle.js';
import type { ReportFeatureScatter } from '../../../src/report/types.js';
import { ParameterError } from '../../../src/errors.js';

const styles = new SegmentStyles([
  { id: 0, name: 'Careful', size: 600, share: 0.6 },
  { id: 1, name: 'Spenders', size: 400, share: 0.4 },
]);

/** 5 sampled rows of 1,000 (3 of segment 0's 600, 2 of segment 1's 400); income has a blank. */
function data(): ReportFeatureScatter {
  return {
    columns: ['Age', 'Annual Income (k$)', 'Spending Score (1-100)', 'Purchases'],
    values: [
      [20, 30, 40, 50, 60],
      [15, NaN, 70, 80, 137],
      [39, 81, 6, 77, 40],
      [0, 2, 5, 400, 3000],
    ],
    scales: ['linear', 'linear', 'linear', 'log'],
    segment: [0, 0, 0, 1, 1],
    strata: [
      { segment: 0, drawn: 3, rows: 600 },
      { segment: 1, drawn: 2, rows: 400 },
    ],
    totalRows: 1000,
    x: 1,
    y: 2,
    rule: 'the pair that differs most',
  };
}

type Spec = { data: { values: Array<{ x: number; y: number; label: string }> }; encoding: Record<string, { title?: string; scale?: { type: string; domain?: number[] }; legend?: unknown; field?: string }> };

describe('featureScatterSpec', () => {
  it('draws the default pair: one point per sampled row with both values, in its segment colour, with a tooltip and the segment legend', () => {
    const spec = featureScatterSpec(data(), styles) as unknown as Spec;
    expect(spec.data.values).toEqual([
      { x: 15, y: 39, label: 'Careful' },
      { x: 70, y: 6, label: 'Careful' },
      { x: 80, y: 77, label: 'Spenders' },
      { x: 137, y: 40, label: 'Spenders' },
    ]);
    expect(spec.encoding.x.title).toBe('Annual Income (k$)');
    expect(spec.encoding.y.title).toBe('Spending Score (1-100)');
    expect(spec.encoding.x.scale?.type).toBe('linear');
    expect(spec.encoding.color.scale).toEqual({ domain: ['Careful', 'Spenders'], range: styles.colors });
    expect(spec.encoding.color.legend).toBeTruthy();
    expect(spec.encoding.tooltip).toHaveLength(3);
  });

  it('draws any other pair, a heavy-tailed column on a symlog axis titled as such', () => {
    const spec = featureScatterSpec(data(), styles, 0, 3) as unknown as Spec;
    expect(spec.data.values.map((p) => [p.x, p.y])).toEqual([
      [20, 0],
      [30, 2],
      [40, 5],
      [50, 400],
      [60, 3000],
    ]);
    expect(spec.encoding.y.title).toBe('Purchases (log scale)');
    expect(spec.encoding.y.scale).toMatchObject({ type: 'symlog', domain: [0, 3000] });
    expect(() => featureScatterSpec(data(), styles, 0, 4)).toThrow(ParameterError);
  });

  it('renders to an SVG with one symbol per point and no warning', async () => {
    const warnings: string[] = [];
    const svg = await renderVegaLite(featureScatterSpec(data(), styles), { id: 'fs', title: 't', description: 'd' }, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(svg).toContain('Annual Income (k$)');
    const symbols = /<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
    expect((symbols?.[1].match(/<path\b/g) ?? []).length).toBe(4);
  });
});

describe('featureScatterCaption', () => {
  it('says how many rows of how many are drawn and how, the blanks left out, the log scale and the rule for the default pair', () => {
    expect(featureScatterCaption(data())).toBe(
      '5 of 1,000 rows, drawn at random (seeded) within each segment in proportion to its size. 1 of them has a blank in either column and is not drawn. Shown first: the pair that differs most.',
    );
    expect(featureScatterCaption(data(), 0, 3)).toBe(
      '5 of 1,000 rows, drawn at random (seeded) within each segment in proportion to its size. Log scale (log of 1 + value, so that 0 has its place) for Purchases: a long right tail.',
    );
  });
});
