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
import { INK } from '../../../src/report/theme.js';
import { selection, type SegmentRef } from '../selection.js';
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
    .then(({ vega: v, compile }) => inTurn(async () => {
      const parsed = 'vegaLite' in spec ? compile(spec.vegaLite).spec : structuredClone(spec.vega);
      const linked = linkToSelection(parsed);
      const view = new v.View(v.parse(parsed), { renderer: 'svg', container: box, hover: true, logLevel: v.Warn });
      if (linked) followSelection(view, box);
      await view.runAsync();
      box.dataset.rendered = 'true';
      box.after(exportButtons(view, fileStem(label)));
    }))
    .catch((err: unknown) => {
      box.dataset.rendered = 'error';
      box.append(h('p', { class: 'note' }, `This chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`));
    });
  return box;
}

/** The chart drawing now and those before it. */
let drawing: Promise<void> = Promise.resolve();

/**
 * Runs `draw` after the charts asked for before it, each in a task of its own (after a
 * setTimeout): drawn in one go, in the microtasks of one task, a run's two dozen charts held the
 * page for 2 s (10^6 rows, bench/browser.ts).
 */
function inTurn(draw: () => Promise<void>): Promise<void> {
  const turn = drawing.then(() => new Promise<void>((r) => setTimeout(r, 0))).then(draw);
  drawing = turn.catch(() => undefined);
  return turn;
}

/** The Vega signal that holds the selected segment's label (null: none selected). */
const SIGNAL = 'selectedSegment';
/** The opacity of what belongs to the segments not selected. */
const DIMMED = 0.15;
/** A segment is its datum's `label` in every segment chart of src/report/charts. */
const SEGMENT_FIELD = 'label';

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether an encoding block (enter/update) reads the segment field of its datum. */
function readsSegment(block: unknown): boolean {
  if (!isObject(block)) return false;
  return Object.values(block).some((rule) =>
    (Array.isArray(rule) ? rule : [rule]).some((r) => isObject(r) && (r.field === SEGMENT_FIELD || (typeof r.signal === 'string' && /datum(\.label\b|\["label"\])/.test(r.signal)))),
  );
}

/** Dims an encoding's items whose `key` is not the selected segment's label, keeping its own opacity otherwise. */
function dimOthers(encode: Json, key: string): void {
  const update = isObject(encode.update) ? encode.update : (encode.update = {});
  const enter = isObject(encode.enter) ? encode.enter : {};
  const own: unknown = update.opacity ?? enter.opacity ?? { value: 1 };
  update.opacity = [{ test: `${SIGNAL} !== null && ${key} !== ${SIGNAL}`, value: DIMMED }, ...(Array.isArray(own) ? own : [own])];
  update.cursor = { value: 'pointer' };
}

/** A dimmed legend label's colour: grey, not faded, so that it keeps a 5.7:1 contrast on white (axe, WCAG AA), as the tables' dimmed rows do. */
const DIMMED_TEXT = '#666666';

/** Greys a legend's labels whose `key` is not the selected segment's label; the others keep the theme's colour. */
function greyOthers(encode: Json, key: string): void {
  const update = isObject(encode.update) ? encode.update : (encode.update = {});
  const enter = isObject(encode.enter) ? encode.enter : {};
  const own: unknown = update.fill ?? enter.fill ?? { value: INK };
  update.fill = [{ test: `${SIGNAL} !== null && ${key} !== ${SIGNAL}`, value: DIMMED_TEXT }, ...(Array.isArray(own) ? own : [own])];
  update.cursor = { value: 'pointer' };
}

/**
 * Links a compiled Vega spec to the page's selected segment, in place: a signal holding the
 * selected label, and on every mark drawn from data that reads the segment field (bars, points,
 * radar lines, box plots, their text) and on every legend entry, an opacity rule that dims the
 * other segments. Returns whether the chart shows segments at all (the elbow and the correlation
 * charts do not, and are left as they are).
 */
function linkToSelection(spec: vega.Spec): boolean {
  let linked = false;
  const visit = (marks: unknown): void => {
    if (!Array.isArray(marks)) return;
    for (const mark of marks) {
      if (!isObject(mark)) continue;
      const encode = isObject(mark.encode) ? mark.encode : null;
      if (mark.type !== 'group' && isObject(mark.from) && typeof mark.from.data === 'string' && encode !== null && (readsSegment(encode.enter) || readsSegment(encode.update))) {
        dimOthers(encode, `datum.${SEGMENT_FIELD}`);
        mark.interactive = true;
        linked = true;
      }
      visit(mark.marks);
    }
  };
  visit(spec.marks);
  if (!linked) return false;
  for (const legend of (spec.legends ?? []) as Json[]) {
    const encode = (legend.encode ??= {}) as Json;
    const symbols = (encode.symbols ??= {}) as Json;
    symbols.interactive = true;
    dimOthers(symbols, 'datum.value');
    const labels = (encode.labels ??= {}) as Json;
    labels.interactive = true;
    greyOthers(labels, 'datum.value');
  }
  spec.signals = [...(spec.signals ?? []), { name: SIGNAL, value: null }];
  return true;
}

/** The segment of a clicked scene item: a legend entry's value, or the nearest datum's segment field. */
function segmentOfItem(item: vega.Item | null | undefined): SegmentRef | undefined {
  for (let it = item; it !== null && it !== undefined; it = it.mark?.group as vega.Item | undefined) {
    const datum = it.datum as Json | undefined;
    if (!isObject(datum)) continue;
    const role = it.mark?.role ?? '';
    const value = role.startsWith('legend') ? datum.value : datum[SEGMENT_FIELD];
    const ref = selection.byLabel(value);
    if (ref !== undefined) return ref;
  }
  return undefined;
}

/**
 * Keeps a linked chart on the page's selection: a click on a segment's mark or legend entry
 * selects it (again: clears it), and every change of the selection sets the chart's signal.
 * `data-selected` on the container holds the label the chart shows selected.
 */
function followSelection(view: vega.View, box: HTMLElement): void {
  const show = (selected: SegmentRef | null): void => {
    view.signal(SIGNAL, selected?.label ?? null);
    void view.runAsync().then(() => (box.dataset.selected = selected?.label ?? ''));
  };
  view.signal(SIGNAL, selection.selected?.label ?? null);
  box.dataset.selected = selection.selected?.label ?? '';
  view.addEventListener('click', (_event, item) => {
    const ref = segmentOfItem(item);
    if (ref !== undefined) selection.toggle(ref.id);
  });
  selection.subscribe(box, show);
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
