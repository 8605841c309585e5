// SPDX-License-Identifier: MIT
/**
 * What every chart spec of the report (and the app, which draws the same specs) carries: a
 * tooltip on every mark that stands for data, a legend of the segment colours where no axis
 * names the segments, segment colours only for segments, and the log-scale decision.
 */
import { describe, expect, it } from 'vitest';
import { boxPlotSpec, symlogTicks } from '../../../src/report/charts/boxplot.js';
import { correlationSpec } from '../../../src/report/charts/correlation.js';
import { categoricalDistributionSpec, numericDistributionSpec } from '../../../src/report/charts/distribution.js';
import { elbowSpec } from '../../../src/report/charts/elbow.js';
import { interestsSpec } from '../../../src/report/charts/interests.js';
import { radarLabels, radarSpec } from '../../../src/report/charts/radar.js';
import { scatterSpec, scatterWindow } from '../../../src/report/charts/scatter.js';
import { silhouetteSpec } from '../../../src/report/charts/silhouette.js';
import { sizesSpec } from '../../../src/report/charts/sizes.js';
import { silhouetteCaption } from '../../../src/report/captions.js';
import { renderVega, renderVegaLite } from '../../../src/report/renderChart.js';
import { SegmentStyles } from '../../../src/report/segmentStyle.js';
import type { ReportCategoricalDistribution, ReportNumericDistribution } from '../../../src/report/types.js';
import { smallInput } from '../smallInput.js';

const DATA_MARKS = new Set(['bar', 'rect', 'line', 'circle', 'point', 'tick', 'symbol', 'area']);

/** Every Vega-Lite unit (an object with `mark`) or Vega mark (an object with `type` and `encode`) in a spec. */
function marks(spec: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(spec)) for (const s of spec) marks(s, out);
  else if (typeof spec === 'object' && spec !== null) {
    const o = spec as Record<string, unknown>;
    if ('mark' in o || ('encode' in o && typeof o.type === 'string')) out.push(o);
    for (const v of Object.values(o)) marks(v, out);
  }
  return out;
}

function markType(m: Record<string, unknown>): string {
  if ('mark' in m) return typeof m.mark === 'string' ? m.mark : String((m.mark as { type: string }).type);
  return String(m.type);
}

function hasTooltip(m: Record<string, unknown>): boolean {
  if ('mark' in m) return ((m.encoding ?? {}) as Record<string, unknown>).tooltip !== undefined;
  return (((m.encode as Record<string, Record<string, unknown>>).enter ?? {}) as Record<string, unknown>).tooltip !== undefined;
}

const input = smallInput();
const styles = new SegmentStyles(input.segments);
const numeric = input.distributions![0] as ReportNumericDistribution;
const categorical = input.distributions![1] as ReportCategoricalDistribution;
const specs: Record<string, object> = {
  sizes: sizesSpec(input.segments, styles),
  elbow: elbowSpec(input.elbow!),
  scatter: scatterSpec(input.scatter!, styles),
  radar: radarSpec(input.radar!, styles),
  histogram: numericDistributionSpec(numeric, styles, 'd'),
  boxes: boxPlotSpec(numeric, styles, 'd'),
  categories: categoricalDistributionSpec(categorical, styles, 'd'),
  correlation: correlationSpec(input.correlation!),
  interests: interestsSpec(input.interests!, styles),
  silhouette: silhouetteSpec(input.silhouette!, styles),
};

describe('chart specs', () => {
  it.each(Object.keys(specs))('%s: every mark that stands for data has a tooltip', (name) => {
    const dataMarks = marks(specs[name]).filter((m) => DATA_MARKS.has(markType(m)) && !(m.from && (m.from as { data?: string }).data === 'rings') && !(m.from && (m.from as { data?: string }).data === 'ring'));
    expect(dataMarks.length).toBeGreaterThan(0);
    for (const m of dataMarks) expect(hasTooltip(m), `${name}: ${markType(m)} ${JSON.stringify(m).slice(0, 120)}`).toBe(true);
  });

  it('the sizes tooltip gives the segment, its rows and share; the scatter tooltip the segment and both coordinates', () => {
    const sizes = JSON.stringify(specs.sizes);
    expect(sizes).toContain('{"field":"label","title":"segment"},{"field":"size","title":"rows","format":","},{"field":"share","title":"share","format":".1%"}');
    expect(JSON.stringify(specs.scatter)).toContain('{"field":"x","title":"PC1 (40 %)","format":".3~g"}');
  });

  it('the scatter, the radar and the category bars have a legend of the segment colours, in list order', () => {
    const scatter = specs.scatter as { encoding: { color: { legend?: unknown; scale: { domain: string[]; range: string[] } } } };
    expect(scatter.encoding.color.legend).not.toBeNull();
    expect(scatter.encoding.color.scale).toEqual({ domain: styles.labels, range: styles.colors });
    expect((specs.radar as { legends: unknown[] }).legends).toHaveLength(1);
    const cat = specs.categories as { encoding: { color: { legend: unknown; field: string } } };
    expect(cat.encoding.color.legend).not.toBeNull();
    // Category values sit on the y axis; colour is only ever the segment.
    expect(cat.encoding.color.field).toBe('label');
  });

  it('segment colours are the Tableau 10 in list order and no chart colours category values with them', () => {
    expect(styles.colors).toEqual(['#4c78a8', '#f58518', '#e45756']);
    for (const [name, spec] of Object.entries(specs)) {
      for (const m of marks(spec)) {
        const color = ((m.encoding ?? {}) as Record<string, { field?: string }>).color;
        if (color?.field !== undefined && name !== 'correlation') expect(color.field, name).toBe('label');
      }
    }
  });

  it('the silhouette plot stacks the segments down the y axis by their scored rows, highest silhouette first, with the mean as a rule', async () => {
    // smallInput: 4 + 3 + 2 scored rows, gaps of 0.03 between bands: y over [0, 1.06] scaled to [0, 1].
    const spec = specs.silhouette as { layer: Array<{ data: { values: Array<Record<string, number | string>> } }> };
    const points = spec.layer[0].data.values;
    expect(points.map((p) => p.x)).toEqual([0.8, 0.7, 0.5, 0.4, 0.5, 0.3, 0.1, 0.2, -0.1]);
    const span = 1.06;
    const expected = [0, 4 / 27, 8 / 27, 12 / 27, 4 / 9 + 0.03, 4 / 9 + 0.03 + 1 / 6, 4 / 9 + 0.03 + 1 / 3, 7 / 9 + 0.06, 1 + 0.06].map((y) => y / span);
    points.forEach((p, i) => expect(p.y as number).toBeCloseTo(expected[i], 12));
    expect(points.map((p) => p.label)).toEqual([...Array(4).fill(styles.labels[0]), ...Array(3).fill(styles.labels[1]), ...Array(2).fill(styles.labels[2])]);
    expect(spec.layer[2].data.values).toEqual([{ mean: input.silhouette!.mean }]);
    expect(JSON.stringify(spec)).toContain('"domain":[-0.1,1]');
    expect(silhouetteCaption(input.silhouette!)).toBe(
      "Each segment's rows by their silhouette, highest first (on 9 sampled rows of 300); the number at the right is the segment's mean, the dashed line the mean of all (0.38). 1 segment has rows below 0: nearer another segment than their own.",
    );
    const warnings: string[] = [];
    const svg = await renderVegaLite(specs.silhouette as Parameters<typeof renderVegaLite>[0], { id: 's', title: 's', description: 's' }, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
    expect(svg).toContain('silhouette');
  });

  it('a heavy-tailed feature is drawn on a symlog axis titled "(log scale)", in the histogram and the box plot', async () => {
    const logged: ReportNumericDistribution = { ...numeric, feature: 'Amount spent', scale: 'log' };
    const hist = numericDistributionSpec(logged, styles, 'd') as { scales: Array<{ name: string; type: string; constant?: number }>; axes: Array<{ title?: string }> };
    expect(hist.scales.find((s) => s.name === 'x')).toMatchObject({ type: 'symlog', constant: 1 });
    expect(hist.axes[0].title).toBe('Amount spent (log scale)');
    const box = boxPlotSpec(logged, styles, 'd');
    expect(JSON.stringify(box)).toContain('"title":"Amount spent (log scale)","scale":{"type":"symlog","constant":1');
    const linear = numericDistributionSpec(numeric, styles, 'd') as { scales: Array<{ name: string; type: string }>; axes: Array<{ title?: string }> };
    expect(linear.scales.find((s) => s.name === 'x')?.type).toBe('linear');
    expect(linear.axes[0].title).toBe('age');
    // Both render without a warning.
    const warnings: string[] = [];
    await renderVega(numericDistributionSpec(logged, styles, 'd'), { id: 'h', title: 'h', description: 'h' }, (w) => warnings.push(w));
    const svg = await renderVegaLite(box, { id: 'b', title: 'b', description: 'b' }, (w) => warnings.push(w));
    expect(warnings).toEqual([]);
    expect(svg).toContain('Amount spent (log scale)');
  });

  it('the box plot draws the given quartiles, whiskers and outliers, and nothing computed from rows', () => {
    const box = boxPlotSpec(numeric, styles, 'd') as { layer: Array<{ data: { values: Array<Record<string, unknown>> }; mark: { type: string } }> };
    const rule = box.layer.find((l) => l.mark.type === 'rule')!;
    expect(rule.data.values.map((v) => [v.label, v.low, v.high])).toEqual([
      ['night owls', 18, 44],
      ['casual', 18, 68],
      [styles.labels[2], 30, 70],
    ]);
    const points = box.layer.find((l) => l.mark.type === 'point')!;
    expect(points.data.values).toEqual([
      { label: 'night owls', value: 69 },
      { label: 'night owls', value: 66 },
    ]);
  });

  it('scatterWindow spans the 1st to 99th percentile of each axis and counts the points outside', () => {
    // x = y = 0..99: percentiles by linear interpolation 0.99 and 98.01; 0 and 99 fall outside.
    const v = Array.from({ length: 100 }, (_, i) => i);
    const w = scatterWindow({ x: v, y: v });
    expect(w.x[0]).toBeCloseTo(0.99, 12);
    expect(w.x[1]).toBeCloseTo(98.01, 12);
    expect(w.outside).toBe(2);
    // One far point moves the window by little and is left out of the drawn data.
    const x = [...v, 1e6];
    const y = [...v, 50];
    const spec = scatterSpec({ x, y, segment: x.map(() => 0), totalRows: 101 }, new SegmentStyles([{ id: 0, name: 'all', size: 101, share: 1 }])) as {
      data: { values: Array<{ x: number }> };
    };
    expect(scatterWindow({ x, y }).outside).toBe(3);
    expect(spec.data.values).toHaveLength(98);
    expect(Math.max(...spec.data.values.map((p) => p.x))).toBeLessThan(100);
  });

  it('radar labels fit two lines, keep the end where long names share a beginning, and never read the same', () => {
    const labels = radarLabels(['Time Spent Online (hrs/weekday)', 'Time Spent Online (hrs/weekend)', 'Age', 'A very long feature name that goes on and on (A)', 'A very long feature name that goes on and on (A)']);
    expect(labels[0]).toEqual(['Time Spent Online', '(hrs/weekday)']);
    expect(labels[2]).toBe('Age');
    const keys = labels.map((l) => (Array.isArray(l) ? l.join(' ') : l));
    expect(new Set(keys).size).toBe(keys.length);
    for (const l of labels) for (const line of Array.isArray(l) ? l : [l]) expect(line.length).toBeLessThanOrEqual(22);
    expect((labels[3] as string[])[1]).toMatch(/^…/);
  });
});

describe('symlog axis ticks', () => {
  it('symlogTicks picks 0, 1, 3, 10, 30, ... at least a seventh of the axis apart', () => {
    // [0, 60]: the axis is log1p(60) = 4.11 long, a seventh 0.59: 0.3 (0.26) is too close to 0, 1 (0.69) is not, and so on.
    expect(symlogTicks(0, 60)).toEqual([0, 1, 3, 10, 30]);
    expect(symlogTicks(1, 6000)).toEqual([1, 10, 100, 1000]);
  });
});
