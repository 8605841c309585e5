// SPDX-License-Identifier: MIT
/**
 * Draws the report's chart specifications (src/report/charts) in the page, interactive: Vega's
 * SVG renderer with hover, tooltips from each spec's tooltip encodings (shown as the browser's
 * own tooltip), the specs' legends and log scales. Vega and Vega-Lite are loaded on first use
 * (dynamic import: their own chunks), so the page paints and reads a file without waiting for
 * them; a chart is a placeholder until they arrive.
 */
import type * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { fileStem, h, saveFile } from '../ui/dom.js';

/** A chart to draw: a Vega-Lite spec, or a Vega spec (the radar and the histograms). */
export type ChartSpec = { vegaLite: TopLevelSpec } | { vega: vega.Spec };

type Libraries = { vega: typeof import('vega'); compile: typeof import('vega-lite').compile };
let libraries: Promise<Libraries> | null = null;

/** Vega and Vega-Lite, imported once. */
function load(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]).then(([v, vl]) => ({ vega: v, compile: vl.compile }));
  return libraries;
}

/**
 * A container that draws `spec` once Vega has loaded: `data-chart` names it, `data-rendered`
 * turns "true" when drawn (or "error", with the message in the container). `label` is its
 * accessible name.
 */
export function vegaChart(name: string, spec: ChartSpec, label: string): HTMLElement {
  const box = h('div', { class: 'vega-chart', 'data-chart': name, 'data-rendered': 'false', role: 'img', 'aria-label': label });
  void load()
    .then(async ({ vega: v, compile }) => {
      const parsed = 'vegaLite' in spec ? compile(spec.vegaLite).spec : spec.vega;
      const view = new v.View(v.parse(parsed), { renderer: 'svg', container: box, hover: true, logLevel: v.Warn });
      await view.runAsync();
      box.dataset.rendered = 'true';
      box.after(exportButtons(view, fileStem(label)));
    })
    .catch((err: unknown) => {
      box.dataset.rendered = 'error';
      box.append(h('p', { class: 'note' }, `This chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`));
    });
  return box;
}

/** Buttons that save the drawn chart as SVG (as drawn) and as PNG (twice its size). */
function exportButtons(view: vega.View, stem: string): HTMLElement {
  const svg = h('button', { type: 'button', class: 'chart-export', 'data-export': 'svg' }, 'SVG');
  const png = h('button', { type: 'button', class: 'chart-export', 'data-export': 'png' }, 'PNG');
  svg.addEventListener('click', () => void view.toSVG().then((text) => saveFile(`${stem}.svg`, text, 'image/svg+xml')));
  png.addEventListener('click', () => void view.toImageURL('png', 2).then((url) => saveFile(`${stem}.png`, dataUrlBytes(url), 'image/png')));
  return h('div', { class: 'chart-exports', 'aria-label': 'save this chart' }, svg, png);
}

/** The bytes of a base64 data: URL (no fetch: the page's content security policy allows no connections). */
function dataUrlBytes(url: string): Uint8Array<ArrayBuffer> {
  const text = atob(url.slice(url.indexOf(',') + 1));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** A titled chart box: content (charts, a legend) inside a <figure>, and a note under it. */
export function figure(title: string, content: Element | Element[], note?: string): HTMLElement {
  const fig = h('figure', { class: 'chart' }, h('figcaption', {}, title), ...(Array.isArray(content) ? content : [content]));
  if (note !== undefined) fig.append(h('p', { class: 'note' }, note));
  return fig;
}
