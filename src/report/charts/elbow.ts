// SPDX-License-Identifier: MIT
/**
 * The k search: inertia against k (the elbow) and, below it on the same k axis, the silhouette
 * for each k where it was computed; the chosen k is a dashed rule in both.
 */
import type { TopLevelSpec } from 'vega-lite';
import { MUTED, VEGA_LITE_CONFIG } from '../theme.js';
import type { ReportElbow } from '../types.js';

const LINE = '#3e4c59';
const CHOSEN = '#e45756';

function panel(values: Array<{ k: number; value: number }>, title: string, format: string | undefined, chosenK: number, kDomain: [number, number]) {
  const x = { field: 'k', type: 'quantitative', title: 'k (segments)', scale: { domain: kDomain, nice: false }, axis: { tickMinStep: 1, format: 'd' } };
  return {
    width: 460,
    height: 170,
    layer: [
      {
        data: { values },
        mark: { type: 'line', color: LINE, point: { filled: true, size: 40, color: LINE } },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title, scale: { zero: false }, axis: format === undefined ? {} : { format } },
          tooltip: [
            { field: 'k', title: 'k' },
            { field: 'value', title, format: format ?? ',.4~g' },
          ],
        },
      },
      {
        data: { values: [{ k: chosenK, text: `chosen k = ${chosenK}` }] },
        mark: { type: 'rule', color: CHOSEN, strokeDash: [5, 3], strokeWidth: 1.5 },
        encoding: { x },
      },
      {
        data: { values: [{ k: chosenK, text: `chosen k = ${chosenK}` }] },
        mark: { type: 'text', color: CHOSEN, align: 'left', dx: 5, y: 8, fontSize: 11, fontWeight: 600, aria: false },
        encoding: { x, text: { field: 'text' } },
      },
    ],
  };
}

/**
 * A d3 format for tick labels of values spread over `values` that shows each tick apart: as many
 * decimals as the tick step needs (at least 2). Silhouettes of a k search often differ by less than
 * 0.01, where '.2f' printed 0.20 0.20 0.20 0.21 0.21. The step is d3's for about five ticks (the
 * axis is 170 px high, Vega's default is one tick per 40 px).
 */
export function tickFormat(values: readonly number[]): string {
  const span = Math.max(...values) - Math.min(...values);
  if (!(span > 0) || !Number.isFinite(span)) return '.3f';
  const raw = span / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  return `.${Math.min(8, Math.max(2, Math.ceil(-Math.log10(step) - 1e-9)))}f`;
}

/** The Vega-Lite spec of the elbow chart (and silhouette per k, when any was computed). */
export function elbowSpec(elbow: ReportElbow): TopLevelSpec {
  const points = [...elbow.points].sort((a, b) => a.k - b.k);
  const ks = points.map((p) => p.k).concat(elbow.chosenK);
  const kDomain: [number, number] = [Math.min(...ks), Math.max(...ks)];
  const inertia = points.filter((p) => Number.isFinite(p.inertia)).map((p) => ({ k: p.k, value: p.inertia }));
  const silhouette = points
    .filter((p) => p.silhouette !== null && p.silhouette !== undefined && Number.isFinite(p.silhouette))
    .map((p) => ({ k: p.k, value: p.silhouette as number }));
  const panels = [panel(inertia, 'inertia', undefined, elbow.chosenK, kDomain)];
  if (silhouette.length > 0) panels.push(panel(silhouette, 'silhouette', tickFormat(silhouette.map((p) => p.value)), elbow.chosenK, kDomain));
  return { config: { ...VEGA_LITE_CONFIG, axis: { ...VEGA_LITE_CONFIG.axis, titleColor: MUTED } }, vconcat: panels, spacing: 18 } as TopLevelSpec;
}
