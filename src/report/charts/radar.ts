// SPDX-License-Identifier: MIT
/**
 * A radar chart of the segments across the main features, built from Vega marks (Vega-Lite has
 * no radar mark): the geometry (one spoke per feature, rings, each segment's closed polygon) is
 * computed here in pixels, and Vega draws it with `line` marks (`linear-closed`), `rule` spokes,
 * `symbol` vertices, `text` labels and a colour legend from the same scale as the other charts.
 *
 * Values are standardised differences from the population; the radius maps [-M, M] to [0, R],
 * with M the largest |value| rounded up to a half, so the ring at half the radius is the
 * population mean (drawn darker): a segment outside it is above average on that feature.
 */
import type * as vega from 'vega';
import { formatSigned } from '../format.js';
import type { SegmentStyles } from '../segmentStyle.js';
import { FONT, GRID, INK, MUTED } from '../theme.js';
import type { ReportRadar } from '../types.js';

const R = 150;
const LABEL_GAP = 14;
/** Room for feature labels left and right of the circle, and above and below it. */
const SIDE = 170;
const TOP = 44;
const LINE_HEIGHT = 13;

/** The radius bound M: the largest |value| rounded up to a multiple of 0.5, at least 0.5. */
export function radarExtent(radar: ReportRadar): number {
  let max = 0;
  for (const s of radar.series) {
    for (let j = 0; j < s.values.length; j++) if (Number.isFinite(s.values[j])) max = Math.max(max, Math.abs(s.values[j]));
  }
  return Math.max(0.5, Math.ceil(max * 2 - 1e-9) / 2);
}

const round = (v: number): number => Math.round(v * 100) / 100;

/**
 * A long label as two lines, split at the space nearest its middle, or else after the `_`, `-`
 * or `/` nearest it (Vega draws an array as lines).
 */
export function wrapLabel(text: string, maxChars = 22): string | string[] {
  if (text.length <= maxChars) return text;
  const nearest = (re: RegExp): number => {
    let best = -1;
    for (const m of text.matchAll(re)) {
      const i = m.index as number;
      if (i > 0 && i < text.length - 1 && (best < 0 || Math.abs(i - text.length / 2) < Math.abs(best - text.length / 2))) best = i;
    }
    return best;
  };
  const space = nearest(/ /g);
  if (space >= 0) return [text.slice(0, space), text.slice(space + 1)];
  const mark = nearest(/[_/-]/g);
  return mark < 0 ? text : [text.slice(0, mark + 1), text.slice(mark + 1)];
}

/**
 * The radar's axis labels: each name on at most two lines of `maxChars`; a longer name keeps its
 * first line and ends with `…` and its last characters, where names that share a long beginning
 * differ ('Time Spent Online (hrs/week)' and '... (hrs/weekend)'). Labels that still read the same
 * get their position appended. The full names go in each label's tooltip.
 */
export function radarLabels(features: readonly string[], maxChars = 22): Array<string | string[]> {
  const labels = features.map((name): string | string[] => {
    const wrapped = wrapLabel(name, maxChars);
    if (typeof wrapped === 'string' ? wrapped.length <= maxChars : wrapped.every((l) => l.length <= maxChars)) return wrapped;
    let cut = name.lastIndexOf(' ', maxChars);
    if (cut <= 0) cut = maxChars;
    return [name.slice(0, cut).trimEnd(), `…${name.slice(name.length - (maxChars - 1)).trimStart()}`];
  });
  const key = (l: string | string[]): string => (Array.isArray(l) ? l.join('\n') : l);
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(key(l), (seen.get(key(l)) ?? 0) + 1);
  return labels.map((l, j) => {
    if ((seen.get(key(l)) ?? 0) < 2) return l;
    const mark = ` (${j + 1})`;
    if (!Array.isArray(l)) return `${l}${mark}`;
    return [l[0], `${l[1].slice(0, maxChars - mark.length)}${mark}`];
  });
}

/** The Vega spec of the radar chart; needs at least 3 features. */
export function radarSpec(radar: ReportRadar, styles: SegmentStyles): vega.Spec {
  const f = radar.features.length;
  const m = radarExtent(radar);
  const cx = SIDE + R;
  const cy = TOP + R;
  const angle = (j: number): number => -Math.PI / 2 + (2 * Math.PI * j) / f;
  const at = (j: number, v: number): { x: number; y: number } => {
    const r = (R * (Math.max(-m, Math.min(m, v)) + m)) / (2 * m);
    return { x: round(cx + r * Math.cos(angle(j))), y: round(cy + r * Math.sin(angle(j))) };
  };

  const levels = [-m, -m / 2, 0, m / 2, m];
  const rings = levels.flatMap((level, li) => radar.features.map((_, j) => ({ ring: li, zero: level === 0, order: j, ...at(j, level) })));
  const ringLabels = levels.map((level) => ({ text: level === 0 ? 'mean' : `${formatSigned(level)} sd`, ...at(0, level) }));
  const spokes = radar.features.map((_, j) => ({ ...at(j, m) }));
  const shortLabels = radarLabels(radar.features);
  const axisLabels = radar.features.map((feature, j) => {
    const c = Math.cos(angle(j));
    const s = Math.sin(angle(j));
    const text = shortLabels[j];
    const baseline = s > 0.5 ? 'top' : s < -0.5 ? 'bottom' : 'middle';
    // Vega puts a label's first line at y: lift labels of two lines that sit above or beside the circle.
    const extra = Array.isArray(text) ? (text.length - 1) * LINE_HEIGHT : 0;
    const lift = baseline === 'bottom' ? extra : baseline === 'middle' ? extra / 2 : 0;
    return {
      text,
      full: feature,
      x: round(cx + (R + LABEL_GAP) * c),
      y: round(cy + (R + LABEL_GAP) * s - lift),
      align: c > 0.2 ? 'left' : c < -0.2 ? 'right' : 'center',
      baseline,
    };
  });
  const series = radar.series.flatMap((s) => {
    const style = styles.get(s.segment, 'radar.series[].segment');
    return radar.features.map((feature, j) => {
      const v = Number.isFinite(s.values[j]) ? s.values[j] : 0;
      return { label: style.label, position: style.position, order: j, feature, value: formatSigned(v), ...at(j, v) };
    });
  });

  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: 2 * (SIDE + R),
    height: 2 * (TOP + R),
    padding: 8,
    background: '#ffffff',
    config: { text: { font: FONT }, legend: { labelFont: FONT, titleFont: FONT, labelFontSize: 11, titleFontSize: 12, labelColor: INK, titleColor: INK, labelLimit: 340 } },
    data: [
      { name: 'rings', values: rings },
      { name: 'ringLabels', values: ringLabels },
      { name: 'spokes', values: spokes },
      { name: 'axisLabels', values: axisLabels },
      { name: 'series', values: series },
    ],
    scales: [{ name: 'color', type: 'ordinal', domain: styles.labels, range: styles.colors }],
    legends: [{ fill: 'color', stroke: 'color', title: 'segment', orient: 'bottom', direction: 'vertical', symbolType: 'circle' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'ring', data: 'rings', groupby: ['ring', 'zero'] } },
        marks: [
          {
            type: 'line',
            from: { data: 'ring' },
            aria: false,
            sort: { field: 'datum.order' },
            encode: {
              enter: {
                x: { field: 'x' },
                y: { field: 'y' },
                interpolate: { value: 'linear-closed' },
                stroke: { signal: `parent.zero ? '${MUTED}' : '${GRID}'` },
                strokeWidth: { signal: 'parent.zero ? 1.5 : 1' },
                strokeDash: { signal: 'parent.zero ? [4, 3] : []' },
              },
            },
          },
        ],
      },
      {
        type: 'rule',
        from: { data: 'spokes' },
        aria: false,
        encode: { enter: { x: { value: cx }, y: { value: cy }, x2: { field: 'x' }, y2: { field: 'y' }, stroke: { value: GRID } } },
      },
      {
        type: 'text',
        from: { data: 'ringLabels' },
        aria: false,
        encode: { enter: { x: { field: 'x' }, y: { field: 'y' }, dx: { value: 4 }, text: { field: 'text' }, fontSize: { value: 9 }, fill: { value: MUTED }, baseline: { value: 'middle' } } },
      },
      {
        type: 'group',
        from: { facet: { name: 'polygon', data: 'series', groupby: ['label', 'position'] } },
        sort: { field: 'datum.position' },
        marks: [
          {
            type: 'line',
            from: { data: 'polygon' },
            sort: { field: 'datum.order' },
            description: 'segment profile',
            encode: {
              enter: {
                x: { field: 'x' },
                y: { field: 'y' },
                interpolate: { value: 'linear-closed' },
                stroke: { scale: 'color', field: 'label' },
                fill: { scale: 'color', field: 'label' },
                fillOpacity: { value: 0.07 },
                strokeWidth: { value: 2 },
                description: { signal: "datum.label + ' across the main features'" },
                tooltip: { signal: "{'segment': datum.label}" },
              },
            },
          },
          {
            type: 'symbol',
            from: { data: 'polygon' },
            encode: {
              enter: {
                x: { field: 'x' },
                y: { field: 'y' },
                size: { value: 22 },
                fill: { scale: 'color', field: 'label' },
                description: { signal: "datum.label + ', ' + datum.feature + ': ' + datum.value + ' sd'" },
                tooltip: { signal: "{'segment': datum.label, 'feature': datum.feature, 'vs all rows': datum.value + ' sd'}" },
              },
            },
          },
        ],
      },
      {
        type: 'text',
        from: { data: 'axisLabels' },
        aria: false,
        encode: {
          enter: {
            tooltip: { field: 'full' },
            x: { field: 'x' },
            y: { field: 'y' },
            text: { field: 'text' },
            align: { field: 'align' },
            baseline: { field: 'baseline' },
            fontSize: { value: 11 },
            lineHeight: { value: LINE_HEIGHT },
            fill: { value: INK },
            limit: { value: SIDE - LABEL_GAP - 4 },
          },
        },
      },
    ],
  } as vega.Spec;
}
