// SPDX-License-Identifier: MIT
/**
 * Help with the radius of the density algorithms, in the run form: for DBSCAN, a button that
 * draws the k-distance curve of the file's features (the report's chart) with the knee marked,
 * and a button that puts the suggested eps in the eps field; for mean shift, the bandwidth a
 * blank field would be estimated as, beside the field. Both computed by the worker
 * (src/workflow/densityHelp.ts) on the features the run would use.
 */
import { kDistanceCaption, kDistanceSpec, suggestedEps } from '../../../src/report/charts/kDistance.js';
import type { ReportInput, ReportKDistance } from '../../../src/report/types.js';
import { WORKFLOW_DEFAULTS as D } from '../../../src/workflow/defaults.js';
import { figure, vegaChart } from '../charts/vegaChart.js';
import type { BackendChoice, HelpReply, HelpRequest } from '../protocol.js';
import { h, num } from './dom.js';
import type { FieldsShown } from './runForm.js';

/** Asks the worker for help on the loaded file (the page adds the columns' kinds). */
export type AskHelp = <W extends HelpRequest['what']>(req: Omit<HelpRequest, 'schema'> & { what: W }) => Promise<HelpReply<W>>;

type Inputs = ReadonlyMap<string, HTMLInputElement | HTMLSelectElement>;

function numberOf(input: HTMLInputElement | HTMLSelectElement | undefined, fallback: number): number {
  const v = Number(input?.value);
  return input === undefined || input.value.trim() === '' || !Number.isFinite(v) ? fallback : v;
}

function messageOf(err: unknown): string {
  const info = (err as { info?: { message?: string } }).info;
  return info?.message ?? (err instanceof Error ? err.message : String(err));
}

/** The eps field's help: the k-distance chart and a button to use the suggested value. */
function epsHelp(inputs: Inputs, box: HTMLElement, request: () => Omit<HelpRequest, 'schema' | 'what'>, ask: AskHelp): void {
  const status = h('span', { class: 'note', role: 'status', 'data-testid': 'eps-help-status' });
  const chart = h('div', { class: 'charts eps-help' });
  const suggest = h('button', { type: 'button', 'data-testid': 'suggest-eps' }, 'Suggest eps');
  suggest.addEventListener('click', () => {
    const req = request();
    if (!Number.isInteger(req.minSamples) || req.minSamples < 1) {
      status.textContent = 'min samples must be an integer of at least 1';
      return;
    }
    suggest.disabled = true;
    status.textContent = `computing each sampled row's distance to its ${req.minSamples} nearest rows…`;
    ask({ ...req, what: 'eps' }).then(
      (help) => {
        const c = help.kDistance;
        const epsField = inputs.get('eps') as HTMLInputElement;
        const used = Number(epsField.value);
        const curve = { k: c.k, distances: c.distances, sampledRows: c.sampledRows, totalRows: c.totalRows, kneeIndex: c.kneeIndex, ...(epsField.value.trim() !== '' && used > 0 ? { eps: used } : {}) };
        const eps = suggestedEps(curve);
        const use = h('button', { type: 'button', 'data-testid': 'use-eps', disabled: eps === null }, eps === null ? 'No eps to suggest' : `Use eps = ${num(Number(eps.toPrecision(4)))}`);
        use.addEventListener('click', () => {
          if (eps === null) return;
          epsField.value = String(Number(eps.toPrecision(4)));
          epsField.dispatchEvent(new Event('input', { bubbles: true }));
          status.textContent = `eps set to ${epsField.value}`;
        });
        status.textContent = '';
        chart.replaceChildren(epsFigure(curve, h('div', { class: 'buttons' }, use)));
      },
      (err: unknown) => (status.textContent = `No suggestion: ${messageOf(err)}`),
    ).finally(() => (suggest.disabled = false));
  });
  box.append(h('div', { class: 'buttons' }, suggest, status), chart);
}

/** The bandwidth a blank field is estimated as, beside the field; estimated again when its settings change. */
function bandwidthHelp(inputs: Inputs, request: () => Omit<HelpRequest, 'schema' | 'what'>, ask: AskHelp): void {
  const field = inputs.get('bandwidth');
  if (field === undefined) return;
  const shown = h('span', { class: 'note bandwidth-estimate', 'data-testid': 'bandwidth-estimate', 'aria-live': 'polite' }, ' estimating…');
  field.after(shown);
  let asked = 0;
  const estimate = (): void => {
    const mine = ++asked;
    shown.textContent = ' estimating…';
    ask({ ...request(), what: 'bandwidth' }).then(
      (help) => {
        if (mine !== asked) return;
        const b = help.bandwidth;
        shown.dataset.value = String(b.value);
        shown.textContent = ` blank: estimated ${num(Number(b.value.toPrecision(4)))} (from ${num(b.rows)} rows, quantile ${b.quantile})`;
      },
      (err: unknown) => {
        if (mine === asked) shown.textContent = ` not estimated: ${messageOf(err)}`;
      },
    );
  };
  for (const key of ['quantile', 'bandwidthRows']) inputs.get(key)?.addEventListener('change', estimate);
  // Estimated again for a file read while mean shift stays chosen; a field no longer shown stops listening.
  const onLoaded = (): void => {
    if (shown.isConnected) estimate();
    else document.removeEventListener(FILE_LOADED, onLoaded);
  };
  document.addEventListener(FILE_LOADED, onLoaded);
  estimate();
}

/** Sent on `document` by the page once a file is read (main.ts): the help shown is for the new file. */
export const FILE_LOADED = 'segments-file-loaded';

/**
 * The run form's hook (renderRunForm's `onFields`) that adds the help for DBSCAN's eps and mean
 * shift's bandwidth; `ask` sends the request to the worker.
 */
export function densityHelpFields(ask: AskHelp): FieldsShown {
  return (id, inputs, box, form) => {
    const request = (): Omit<HelpRequest, 'schema' | 'what'> => ({
      backend: form.backend.value as BackendChoice,
      seed: numberOf(form.seed, D.seed.value),
      minSamples: numberOf(inputs.get('minSamples'), D.minSamples.value),
      quantile: numberOf(inputs.get('quantile'), D.quantile.value),
      bandwidthRows: numberOf(inputs.get('bandwidthRows'), D.bandwidthRows.value),
    });
    if (id === 'dbscan') epsHelp(inputs, box, request, ask);
    else if (id === 'meanshift') bandwidthHelp(inputs, request, ask);
  };
}

/** The k-distance chart (the report's), its caption, and what goes under the chart. */
function epsFigure(curve: ReportKDistance, ...under: HTMLElement[]): HTMLElement {
  const chart = vegaChart('kDistance', { vegaLite: kDistanceSpec(curve) }, `each sampled row's distance to its ${curve.k} nearest rows, ascending, with the knee marked`);
  const fig = figure('Choosing eps: the sorted k-distance curve', [chart, ...under], kDistanceCaption(curve));
  // As wide as the chart: the caption wraps under it rather than stretching the box.
  fig.style.maxWidth = '560px';
  return fig;
}

/** A DBSCAN run's k-distance chart in its results (as in its report), or null for other runs. */
export function kDistanceFigure(report: ReportInput): HTMLElement | null {
  const c = report.kDistance;
  if (c === undefined || c.distances.length === 0) return null;
  return h('div', { class: 'charts', id: 'k-distance' }, epsFigure(c));
}
