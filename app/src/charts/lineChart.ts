// SPDX-License-Identifier: MIT
/** A line chart of one score over k (the elbow of inertia, the silhouette curve), with one k marked. */
import { scale, shortNumber, svg, ticks } from './svg.js';

export interface LineChartSpec {
  xs: number[];
  /** One value per x; null leaves a gap. */
  ys: Array<number | null>;
  xLabel: string;
  yLabel: string;
  /** An x to mark with a vertical line and its label, e.g. the chosen k. */
  mark?: { x: number; label: string };
}

const W = 360;
const H = 220;
const M = { left: 52, right: 12, top: 12, bottom: 36 };

export function lineChart(spec: LineChartSpec): SVGElement {
  const ys = spec.ys.filter((y): y is number => y !== null);
  const x0 = Math.min(...spec.xs);
  const x1 = Math.max(...spec.xs);
  const y0 = ys.length > 0 ? Math.min(...ys) : 0;
  const y1 = ys.length > 0 ? Math.max(...ys) : 1;
  const pad = (y1 - y0) * 0.08 || Math.abs(y1) * 0.1 || 1;
  const sx = scale(x0, x1, M.left, W - M.right);
  const sy = scale(y0 - pad, y1 + pad, H - M.bottom, M.top);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `${spec.yLabel} by ${spec.xLabel}` });
  for (const t of ticks(y0 - pad, y1 + pad, 4)) {
    root.append(svg('line', { x1: M.left, x2: W - M.right, y1: sy(t), y2: sy(t), class: 'grid' }));
    root.append(svg('text', { x: M.left - 6, y: sy(t) + 4, 'text-anchor': 'end', class: 'tick' }, [shortNumber(t)]));
  }
  for (const x of spec.xs) root.append(svg('text', { x: sx(x), y: H - M.bottom + 16, 'text-anchor': 'middle', class: 'tick' }, [String(x)]));
  root.append(svg('text', { x: (M.left + W - M.right) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis-label' }, [spec.xLabel]));
  root.append(svg('text', { x: 12, y: (M.top + H - M.bottom) / 2, transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})`, 'text-anchor': 'middle', class: 'axis-label' }, [spec.yLabel]));
  if (spec.mark !== undefined) {
    const mx = sx(spec.mark.x);
    root.append(svg('line', { x1: mx, x2: mx, y1: M.top, y2: H - M.bottom, class: 'mark' }));
    root.append(svg('text', { x: mx + 4, y: M.top + 10, class: 'mark-label' }, [spec.mark.label]));
  }
  let d = '';
  spec.xs.forEach((x, i) => {
    const y = spec.ys[i];
    if (y === null) return;
    d += `${d === '' || spec.ys[i - 1] === null ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
  });
  root.append(svg('path', { d, class: 'line' }));
  spec.xs.forEach((x, i) => {
    const y = spec.ys[i];
    if (y !== null) root.append(svg('circle', { cx: sx(x), cy: sy(y), r: 3, class: 'dot' }, [svg('title', {}, [`${spec.xLabel} ${x}: ${shortNumber(y)}`])]));
  });
  return root;
}
