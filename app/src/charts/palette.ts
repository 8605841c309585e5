// SPDX-License-Identifier: MIT
/** Segment colours: distinct hues for up to 12 segments, then the same hues lighter; noise in grey. */

const HUES = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#393b79', '#ad494a'];
const NOISE = '#b0b0b0';

/** `hex` mixed with white, `t` of white (0..1). */
function lighter(hex: string, t: number): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c.map((v) => Math.round(v + (255 - v) * t).toString(16).padStart(2, '0')).join('')}`;
}

/** The colour of segment `id` (−1: noise). */
export function segmentColor(id: number): string {
  if (id < 0) return NOISE;
  const base = HUES[id % HUES.length];
  return id < HUES.length ? base : lighter(base, 0.45);
}
