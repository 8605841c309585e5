// SPDX-License-Identifier: MIT
/**
 * The radar chart of the segments across the main numeric features: each axis is a feature,
 * each polygon a segment, at its standardised difference from the population mean (clipped to
 * ±2; the middle ring is the population).
 */
import { segmentColor } from './palette.js';
import { svg } from './svg.js';

export interface RadarSeries {
  id: number;
  name: string;
  /** One value per axis (standardised difference), null where the segment has no value. */
  values: Array<number | null>;
}

const W = 700;
const H = 400;
const LIMIT = 2;

export function radar(axes: string[], series: RadarSeries[]): SVGElement {
  const cx = W / 2;
  const cy = H / 2;
  const R = H / 2 - 50;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'segments across the main features' });
  const angle = (i: number): number => -Math.PI / 2 + (2 * Math.PI * i) / axes.length;
  const point = (i: number, v: number): [number, number] => {
    const rr = (R * (Math.max(-LIMIT, Math.min(LIMIT, v)) + LIMIT)) / (2 * LIMIT);
    return [cx + rr * Math.cos(angle(i)), cy + rr * Math.sin(angle(i))];
  };
  for (const level of [-2, -1, 0, 1, 2]) {
    const pts = axes.map((_, i) => point(i, level).map((v) => v.toFixed(1)).join(',')).join(' ');
    root.append(svg('polygon', { points: pts, class: level === 0 ? 'ring ring-zero' : 'ring' }));
  }
  axes.forEach((name, i) => {
    const [x, y] = point(i, LIMIT);
    root.append(svg('line', { x1: cx, y1: cy, x2: x, y2: y, class: 'grid' }));
    const [lx, ly] = point(i, LIMIT + 0.3);
    const anchor = Math.abs(lx - cx) < 10 ? 'middle' : lx > cx ? 'start' : 'end';
    root.append(svg('text', { x: lx, y: ly + 4, 'text-anchor': anchor, class: 'tick' }, [name.length > 28 ? `${name.slice(0, 27)}…` : name]));
  });
  for (const s of series) {
    const pts = s.values.map((v, i) => point(i, v ?? 0).map((u) => u.toFixed(1)).join(',')).join(' ');
    const color = segmentColor(s.id);
    root.append(svg('polygon', { points: pts, fill: color, 'fill-opacity': 0.12, stroke: color, 'stroke-width': 2, class: 'series' }, [svg('title', {}, [s.name])]));
  }
  return root;
}
