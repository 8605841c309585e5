// SPDX-License-Identifier: MIT
/**
 * One colour per segment, the same in every chart and table of a report: the segment at
 * position i of `ReportInput.segments` gets `segmentColor(i)`.
 */

/**
 * Tableau 10, Vega's default categorical scheme: distinct hues of similar weight, readable on
 * white, and kinder to colour-blind readers than a rainbow.
 */
const TABLEAU10 = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

/** The colour of noise (label −1): grey, so that it never reads as a segment. */
export const NOISE_COLOR = '#a0a8b0';

/**
 * The colour of the segment at `position` (0-based) in the report's segment list: Tableau 10 for
 * the first ten, then hues spaced by the golden angle, which stay apart however many are added.
 */
export function segmentColor(position: number): string {
  if (position < TABLEAU10.length) return TABLEAU10[position];
  const hue = Math.round((position * 137.508) % 360);
  return hslToHex(hue, 0.55, 0.45);
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number): string => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
