// SPDX-License-Identifier: MIT
/** The look shared by every chart: fonts, colours of axes and grid, sizes. */

/** The report's font stack, for the page and inside the SVGs (no web font: nothing to download). */
export const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';

/** Text and line colours. */
export const INK = '#1f2933';
export const MUTED = '#52606d';
export const GRID = '#e4e7eb';

/** Vega-Lite `config` for every chart. */
export const VEGA_LITE_CONFIG = {
  background: '#ffffff',
  font: FONT,
  padding: 8,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600,
    labelColor: MUTED,
    titleColor: INK,
    gridColor: GRID,
    domainColor: '#9aa5b1',
    tickColor: '#9aa5b1',
    labelLimit: 260,
  },
  legend: { labelFontSize: 11, titleFontSize: 12, labelColor: INK, titleColor: INK, labelLimit: 340 },
  header: { labelFontSize: 12, labelColor: INK, titleFontSize: 12, labelLimit: 240 },
  title: { fontSize: 13, color: INK, anchor: 'start' },
} as const;
