// SPDX-License-Identifier: MIT
/**
 * Distributions by segment, from the profile's statistics: box plots (quartiles, whiskers at the
 * minimum and maximum) of a numeric column, and 100% bars of a category column's most frequent
 * values.
 */
import type { CategoryStats, NumericStats, RangeStats, ValueShare } from '../../../src/index.js';
import { segmentColor } from './palette.js';
import { scale, shortNumber, svg, ticks } from './svg.js';

export interface Group<S> {
  id: number;
  name: string;
  stats: S;
}

const W = 420;
const ROW = 22;
const LEFT = 130;
const RIGHT = 14;

function label(name: string): string {
  return name.length > 18 ? `${name.slice(0, 17)}…` : name;
}

/** Box plots of one numeric column, one row per group (the population first). */
export function boxPlots(groups: Array<Group<NumericStats>>): SVGElement {
  const shown = groups.filter((g) => g.stats.min !== null && g.stats.max !== null);
  const lo = Math.min(...shown.map((g) => g.stats.min as number));
  const hi = Math.max(...shown.map((g) => g.stats.max as number));
  const H = shown.length * ROW + 30;
  const sx = scale(lo, hi, LEFT, W - RIGHT);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
  for (const t of ticks(lo, hi, 4)) {
    root.append(svg('line', { x1: sx(t), x2: sx(t), y1: 4, y2: H - 22, class: 'grid' }));
    root.append(svg('text', { x: sx(t), y: H - 8, 'text-anchor': 'middle', class: 'tick' }, [shortNumber(t)]));
  }
  shown.forEach((g, i) => {
    const s = g.stats;
    const y = 8 + i * ROW;
    const mid = y + ROW / 2 - 3;
    const color = segmentColor(g.id);
    root.append(svg('text', { x: LEFT - 6, y: mid + 4, 'text-anchor': 'end', class: 'tick' }, [label(g.name)]));
    root.append(svg('line', { x1: sx(s.min as number), x2: sx(s.max as number), y1: mid, y2: mid, stroke: color }));
    const q1 = sx(s.q1 as number);
    const q3 = sx(s.q3 as number);
    root.append(svg('rect', { x: q1, y: y + 2, width: Math.max(1, q3 - q1), height: ROW - 10, fill: color, 'fill-opacity': 0.3, stroke: color }));
    root.append(svg('line', { x1: sx(s.median as number), x2: sx(s.median as number), y1: y + 2, y2: y + ROW - 8, stroke: color, 'stroke-width': 2 }));
    root.append(
      svg('title', {}, [`${g.name}: median ${shortNumber(s.median as number)}, quartiles ${shortNumber(s.q1 as number)}–${shortNumber(s.q3 as number)}, mean ${shortNumber(s.mean as number)}`]),
    );
  });
  return root;
}

const VALUE_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];

/** 100% bars of a category or range column: the population's most frequent values, the rest as "other". */
export function shareBars(groups: Array<Group<CategoryStats | RangeStats>>): HTMLElement {
  const values = (s: CategoryStats | RangeStats): ValueShare[] => (s.type === 'range' ? s.levels : s.top);
  const order = values(groups[0].stats)
    .slice(0, VALUE_COLORS.length)
    .map((v) => v.value);
  const H = groups.length * ROW + 8;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
  const sx = scale(0, 1, LEFT, W - RIGHT);
  groups.forEach((g, i) => {
    const y = 4 + i * ROW;
    root.append(svg('text', { x: LEFT - 6, y: y + ROW / 2 + 1, 'text-anchor': 'end', class: 'tick' }, [label(g.name)]));
    const shares = new Map(values(g.stats).map((v) => [v.value, v.share]));
    let at = 0;
    order.forEach((value, j) => {
      const share = shares.get(value) ?? 0;
      if (share <= 0) return;
      root.append(
        svg('rect', { x: sx(at), y, width: sx(at + share) - sx(at), height: ROW - 6, fill: VALUE_COLORS[j] }, [svg('title', {}, [`${g.name}: ${value} ${(100 * share).toFixed(1)}%`])]),
      );
      at += share;
    });
    if (at < 1) root.append(svg('rect', { x: sx(at), y, width: sx(1) - sx(at), height: ROW - 6, fill: '#ddd' }, [svg('title', {}, [`${g.name}: other ${(100 * (1 - at)).toFixed(1)}%`])]));
  });
  const legend = document.createElement('div');
  legend.className = 'legend';
  order.forEach((value, j) => {
    const item = document.createElement('span');
    item.innerHTML = `<i style="background:${VALUE_COLORS[j]}"></i>`;
    item.append(value);
    legend.append(item);
  });
  const box = document.createElement('div');
  box.append(root, legend);
  return box;
}
