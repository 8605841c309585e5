// SPDX-License-Identifier: MIT
/**
 * The 3-D scatter of the PCA projection: drag (or the arrow keys) to rotate. Points are centred
 * and scaled to a unit cube, turned by yaw and pitch, projected orthographically and drawn far
 * to near, nearer points larger.
 */
import { quantileSorted } from '../../../src/data/select.js';
import type { SegmentStyles } from '../../../src/report/segmentStyle.js';
import { selection } from '../selection.js';
import { h } from '../ui/dom.js';

/** The PCA projection of a sample of the rows. */
export interface Projection {
  dims: number;
  /** [points, dims] row-major. */
  coords: Float32Array;
  labels: Int32Array;
  /** Explained variance ratio of each component. */
  explained: number[];
}

const SIZE = 360;

/** The 1st and 99th percentiles of component `c` over the points (as the 2-D scatter's window). */
function componentRange(p: Projection, c: number): [number, number] {
  const values = Float64Array.from({ length: p.labels.length }, (_, i) => p.coords[i * p.dims + c]).sort();
  return [quantileSorted(values, 0.01), quantileSorted(values, 0.99)];
}

/** Points of `p` outside the 1st–99th percentile of any of its first three components (not drawn). */
export function outside3d(p: Projection): number {
  if (p.dims < 3) return 0;
  const ranges = [0, 1, 2].map((c) => componentRange(p, c));
  let out = 0;
  for (let i = 0; i < p.labels.length; i++) if (ranges.some(([lo, hi], c) => p.coords[i * p.dims + c] < lo || p.coords[i * p.dims + c] > hi)) out++;
  return out;
}

function axisName(p: Projection, c: number): string {
  return `PC${c + 1} (${(100 * (p.explained[c] ?? 0)).toFixed(1)}%)`;
}

/** The segment colours as an HTML legend (for the hand-drawn 3-D view; the Vega charts draw their own). */
export function segmentLegend(styles: SegmentStyles): HTMLElement {
  return h('div', { class: 'legend', 'aria-label': 'segment colours' }, ...styles.list.map((s) => h('span', {}, h('i', { style: `background:${s.color}` }), s.label)));
}

/** The canvas of the 3-D scatter, points in their segment's colour. */
export function scatter3d(p: Projection, styles: SegmentStyles): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = SIZE * ratio;
  canvas.height = SIZE * ratio;
  canvas.style.width = `${SIZE}px`;
  canvas.style.height = `${SIZE}px`;
  canvas.tabIndex = 0;
  canvas.className = 'rotatable';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'segments on the first three principal components; drag or use the arrow keys to rotate');
  const ctx = canvas.getContext('2d');
  if (ctx === null || p.dims < 3) return canvas;
  ctx.scale(ratio, ratio);

  const n = p.labels.length;
  const colors = new Map(styles.list.map((s) => [s.id, s.color]));
  const unit = new Float32Array(n * 3);
  for (let c = 0; c < 3; c++) {
    const [lo, hi] = componentRange(p, c);
    const mid = (lo + hi) / 2;
    const half = (hi - lo) / 2 || 1;
    for (let i = 0; i < n; i++) unit[i * 3 + c] = (p.coords[i * 3 + c] - mid) / half;
  }
  // The 1st–99th percentile window of each component, as in the 2-D scatter: a few far rows would squash the rest.
  const inside = Uint8Array.from({ length: n }, (_, i) => (unit[i * 3] >= -1 && unit[i * 3] <= 1 && unit[i * 3 + 1] >= -1 && unit[i * 3 + 1] <= 1 && unit[i * 3 + 2] >= -1 && unit[i * 3 + 2] <= 1 ? 1 : 0));
  const view = { yaw: 0.6, pitch: 0.35 };
  const depth = new Float32Array(n);
  const screen = new Float32Array(n * 2);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const half = SIZE / 2;
  const r = SIZE * 0.3;

  const turn = (x: number, y: number, z: number): [number, number, number] => {
    const cy = Math.cos(view.yaw);
    const sy = Math.sin(view.yaw);
    const cp = Math.cos(view.pitch);
    const sp = Math.sin(view.pitch);
    const x1 = cy * x + sy * z;
    const z1 = -sy * x + cy * z;
    return [x1, cp * y - sp * z1, sp * y + cp * z1];
  };

  const draw = (): void => {
    ctx.clearRect(0, 0, SIZE, SIZE);
    for (let i = 0; i < n; i++) {
      const [x, y, z] = turn(unit[i * 3], unit[i * 3 + 1], unit[i * 3 + 2]);
      screen[i * 2] = half + r * x;
      screen[i * 2 + 1] = half - r * y;
      depth[i] = z;
    }
    order.sort((a, b) => depth[a] - depth[b]);
    // The selected segment's points as they are, the others faint (selection.ts).
    const selected = selection.selected?.id ?? null;
    canvas.dataset.selected = selected === null ? '' : String(selected);
    let drawn = 0;
    for (const i of order) {
      if (!inside[i]) continue;
      drawn++;
      ctx.globalAlpha = selected === null || p.labels[i] === selected ? 0.75 : 0.08;
      const s = 2 + 1.2 * (depth[i] + 1);
      ctx.fillStyle = colors.get(p.labels[i]) ?? styles.colorOf(p.labels[i]);
      ctx.fillRect(screen[i * 2] - s / 2, screen[i * 2 + 1] - s / 2, s, s);
    }
    canvas.dataset.points = String(drawn);
    ctx.globalAlpha = 1;
    ctx.font = '12px system-ui, sans-serif';
    const placed: Array<{ x: number; y: number; w: number }> = [];
    for (let c = 0; c < 3; c++) {
      const e = [0, 0, 0];
      e[c] = 1.25;
      const [x, y] = turn(e[0], e[1], e[2]);
      ctx.strokeStyle = '#888';
      ctx.beginPath();
      ctx.moveTo(half, half);
      ctx.lineTo(half + r * x, half - r * y);
      ctx.stroke();
      ctx.fillStyle = '#333';
      // Kept inside the canvas whichever way the cube is turned (labels were cut at its edges), and
      // moved a line down (or up, at the bottom) while it would cover a label already drawn.
      const text = axisName(p, c);
      const w = ctx.measureText(text).width;
      const lx = Math.max(2, Math.min(SIZE - w - 2, half + r * x + 3));
      let ly = Math.max(12, Math.min(SIZE - 4, half - r * y));
      const covers = (): boolean => placed.some((q) => Math.abs(q.y - ly) < 14 && lx < q.x + q.w && q.x < lx + w);
      for (let tries = 0; covers() && tries < 6; tries++) ly = ly + 14 <= SIZE - 4 ? ly + 14 : ly - 28;
      placed.push({ x: lx, y: ly, w });
      ctx.fillText(text, lx, ly);
    }
  };

  let drag: { x: number; y: number } | null = null;
  let moved = 0;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY };
    moved = 0;
    canvas.setPointerCapture(e.pointerId);
  });
  // A click (not a drag) on a point selects its segment: the nearest point drawn within 6 px.
  canvas.addEventListener('click', (e) => {
    if (moved > 4) return;
    const box = canvas.getBoundingClientRect();
    const x = ((e.clientX - box.left) * SIZE) / box.width;
    const y = ((e.clientY - box.top) * SIZE) / box.height;
    let best = -1;
    let bestD = 36;
    for (let i = 0; i < n; i++) {
      const d = (screen[i * 2] - x) ** 2 + (screen[i * 2 + 1] - y) ** 2;
      if (inside[i] && d < bestD) [best, bestD] = [i, d];
    }
    if (best >= 0) selection.toggle(p.labels[best]);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (drag === null) return;
    moved += Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y);
    view.yaw += (e.clientX - drag.x) * 0.01;
    view.pitch = Math.max(-1.5, Math.min(1.5, view.pitch + (e.clientY - drag.y) * 0.01));
    drag = { x: e.clientX, y: e.clientY };
    draw();
  });
  canvas.addEventListener('pointerup', () => (drag = null));
  canvas.addEventListener('keydown', (e) => {
    const step = 0.1;
    if (e.key === 'ArrowLeft') view.yaw -= step;
    else if (e.key === 'ArrowRight') view.yaw += step;
    else if (e.key === 'ArrowUp') view.pitch = Math.max(-1.5, view.pitch - step);
    else if (e.key === 'ArrowDown') view.pitch = Math.min(1.5, view.pitch + step);
    else return;
    e.preventDefault();
    draw();
  });
  draw();
  selection.subscribe(canvas, draw);
  return canvas;
}
