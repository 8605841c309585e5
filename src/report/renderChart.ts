// SPDX-License-Identifier: MIT
/**
 * Renders a chart spec to an inline SVG string ahead of time, so that the report needs no
 * JavaScript to show it: Vega-Lite compiles to Vega, and Vega's headless View renders the scene
 * with its SVG string renderer (no DOM and no `canvas` package: text widths are estimated, see
 * textWidth.ts).
 *
 * The SVG is then made fit to sit beside others in one HTML page: Vega numbers clip-path ids
 * with a counter global to the process, so ids are renamed `<chart id>-<n>` in order of
 * appearance (unique in the page, and the same for the same input), and it gets a `<title>`, a
 * `<desc>` and `role="img"` for screen readers.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { SegmentsError } from '../errors.js';
import { escapeHtml } from './escape.js';
import { useTextEstimate } from './textWidth.js';

/** What a chart is, for its accessible name and its ids. */
export interface ChartText {
  /** Unique in the report, `[a-z0-9-]`: prefixes the SVG's ids. */
  id: string;
  /** Short accessible name, e.g. `Segment sizes`. */
  title: string;
  /** One or two sentences on what it shows, for readers who cannot see it. */
  description: string;
}

/** A loader that refuses everything: a report chart reads only the data inlined in its spec. */
const NO_NETWORK: vega.Loader = {
  load: (uri) => Promise.reject(new SegmentsError(`renderReport: charts load no data, but one asked for ${uri}`)),
  sanitize: (uri) => Promise.reject(new SegmentsError(`renderReport: charts link nothing, but one asked for ${uri}`)),
  http: (uri) => Promise.reject(new SegmentsError(`renderReport: charts make no requests, but one asked for ${uri}`)),
  file: (file) => Promise.reject(new SegmentsError(`renderReport: charts read no files, but one asked for ${file}`)),
};

/** Collects what Vega and Vega-Lite log: warnings go to `onWarning`, errors are kept to throw. */
function collector(chart: string, onWarning: (message: string) => void): { logger: vega.LoggerInterface; errors: string[] } {
  const errors: string[] = [];
  const logger = vega.logger(vega.Warn, undefined, (method, _level, args) => {
    const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
    if (method === 'error') errors.push(text);
    else onWarning(`renderReport: ${chart} chart: ${text}`);
  });
  return { logger, errors };
}

/** Renders a Vega-Lite spec (compiled to Vega) to an accessible SVG string. */
export async function renderVegaLite(spec: TopLevelSpec, text: ChartText, onWarning: (message: string) => void): Promise<string> {
  const { logger, errors } = collector(text.title, onWarning);
  let compiled: vega.Spec;
  try {
    compiled = compile(spec, { logger }).spec;
  } catch (err) {
    throw new SegmentsError(`renderReport: the ${text.title} chart does not compile: ${(err as Error).message}`, { cause: err });
  }
  if (errors.length > 0) throw new SegmentsError(`renderReport: the ${text.title} chart does not compile: ${errors.join('; ')}`);
  return renderVega(compiled, text, onWarning);
}

/** Renders a Vega spec to an accessible SVG string. */
export async function renderVega(spec: vega.Spec, text: ChartText, onWarning: (message: string) => void): Promise<string> {
  const { logger, errors } = collector(text.title, onWarning);
  useTextEstimate();
  let svg: string;
  const view = new vega.View(vega.parse(spec), { renderer: 'none', loader: NO_NETWORK, logger, logLevel: vega.Warn });
  try {
    svg = await view.toSVG();
  } catch (err) {
    throw new SegmentsError(`renderReport: the ${text.title} chart does not render: ${(err as Error).message}`, { cause: err });
  } finally {
    view.finalize();
  }
  if (errors.length > 0) throw new SegmentsError(`renderReport: the ${text.title} chart does not render: ${errors.join('; ')}`);
  return accessibleSvg(renameIds(svg, text.id), text);
}

/** Renames every id of `svg` to `<prefix>-<n>` in order of appearance, and the references to them. */
export function renameIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]*)"/g)) {
    if (!names.has(m[1])) names.set(m[1], `${prefix}-${names.size + 1}`);
  }
  if (names.size === 0) return svg;
  return svg.replace(/(\sid=")([^"]*)(")|url\(#([^)]*)\)|(href=")#([^"]*)(")/g, (whole, a, id, b, urlId, h, hrefId, c) => {
    if (id !== undefined) return `${a}${names.get(id) ?? id}${b}`;
    if (urlId !== undefined) return `url(#${names.get(urlId) ?? urlId})`;
    if (hrefId !== undefined) return `${h}#${names.get(hrefId) ?? hrefId}${c}`;
    return whole;
  });
}

/** Adds `role="img"`, a `<title>` and a `<desc>` to the root `<svg>` element. */
function accessibleSvg(svg: string, text: ChartText): string {
  const open = svg.indexOf('<svg');
  const end = svg.indexOf('>', open);
  if (open < 0 || end < 0) throw new SegmentsError(`renderReport: the ${text.title} chart rendered no SVG`);
  const titleId = `${text.id}-title`;
  const descId = `${text.id}-desc`;
  const tag = svg.slice(open, end).replace(/^<svg/, `<svg role="img" aria-labelledby="${titleId} ${descId}"`);
  return (
    `${tag}><title id="${titleId}">${escapeHtml(text.title)}</title><desc id="${descId}">${escapeHtml(text.description)}</desc>` +
    svg.slice(end + 1)
  );
}

/**
 * Charts drawn before, by their spec and text, to be drawn once when one report is rendered
 * twice: first from its figures alone, ahead of its metrics, then whole (`segments fit` draws
 * the charts on its report thread while the metrics are computed). A chart found here gives the
 * same SVG, or the same error, and the same warnings as drawing it again would. Keep one per
 * report: it holds every chart's SVG.
 */
export class ChartCache {
  private readonly drawn = new Map<string, { svg: Promise<string>; warnings: string[] }>();

  /** `draw(onWarning)`'s SVG, drawn on the first call for this spec and text only. */
  get(kind: 'vega' | 'vega-lite', spec: unknown, text: ChartText, onWarning: (message: string) => void, draw: (onWarning: (message: string) => void) => Promise<string>): Promise<string> {
    const key = `${kind}\n${JSON.stringify(text)}\n${JSON.stringify(spec)}`;
    const hit = this.drawn.get(key);
    if (hit !== undefined) {
      // the warnings of a draw still running are replayed once it is done
      return hit.svg.finally(() => {
        for (const w of hit.warnings) onWarning(w);
      });
    }
    const entry = { svg: Promise.resolve(''), warnings: [] as string[] };
    entry.svg = draw((m) => {
      entry.warnings.push(m);
      onWarning(m);
    });
    entry.svg.catch(() => {}); // whoever asks for it meets the error
    this.drawn.set(key, entry);
    return entry.svg;
  }
}
