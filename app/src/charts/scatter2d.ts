// SPDX-License-Identifier: MIT
/** The 2-D scatter of the PCA projection on a canvas, one colour per segment. */
import { segmentColor } from './palette.js';
import { scale } from './svg.js';

export interface Projection {
  dims: number;
  /** [points, dims] row-major. */
  coords: Float32Array;
  labels: Int32Array;
  /** Explained variance ratio of each component. */
  explained: number[];
}

const SIZE = 360;
const M = 28;

/** Component `c` of every point, and its range. */
export function componentRange(p: Projection, c: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = c; i < p.coords.length; i += p.dims) {
    lo = Math.min(lo, p.coords[i]);
    hi = Math.max(hi, p.coords[i]);
  }
  return [lo, hi];
}

export function axisName(p: Projection, c: number): string {
  return `PC${c + 1} (${(100 * (p.explained[c] ?? 0)).toFixed(1)}%)`;
}

export function scatter2d(p: Projection): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = SIZE * ratio;
  canvas.height = SIZE * ratio;
  canvas.style.width = `${SIZE}px`;
  canvas.style.height = `${SIZE}px`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'segments on the first two principal components');
  const ctx = canvas.getContext('2d');
  if (ctx === null || p.dims < 1) return canvas;
  ctx.scale(ratio, ratio);
  const [x0, x1] = componentRange(p, 0);
  const [y0, y1] = p.dims > 1 ? componentRange(p, 1) : [0, 0];
  const sx = scale(x0, x1, M, SIZE - 8);
  const sy = scale(y0, y1, SIZE - M, 8);
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(M, 8, SIZE - 8 - M, SIZE - M - 8);
  ctx.globalAlpha = 0.7;
  for (let i = 0; i < p.labels.length; i++) {
    ctx.fillStyle = segmentColor(p.labels[i]);
    const x = sx(p.coords[i * p.dims]);
    const y = p.dims > 1 ? sy(p.coords[i * p.dims + 1]) : SIZE / 2;
    ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = '#333';
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(axisName(p, 0), M, SIZE - 8);
  if (p.dims > 1) {
    ctx.save();
    ctx.translate(14, SIZE - M);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(axisName(p, 1), 0, 0);
    ctx.restore();
  }
  return canvas;
}
