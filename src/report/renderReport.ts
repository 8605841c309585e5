// SPDX-License-Identifier: MIT
/**
 * The HTML report: one self-contained file that opens without a network and without JavaScript.
 * Its charts are Vega-Lite (or, for the radar, Vega) specs rendered to inline SVG when the file is
 * written; its styles are inline; a Content-Security-Policy forbids every fetch and script, so a
 * report cannot reach out even if a browser tried. All text from the input is escaped.
 *
 * Sections: overview (data, algorithm, backend, metrics), segments and their sizes, the k search,
 * the scatter, the radar, distributions, correlations, top interests, and profile tables. A section
 * whose input is missing says so in a note instead of showing a chart.
 */
import { ParameterError } from '../errors.js';
import { correlationSpec } from './charts/correlation.js';
import { boxPlotSpec } from './charts/boxplot.js';
import { categoricalDistributionSpec, numericDistributionSpec } from './charts/distribution.js';
import { elbowSpec } from './charts/elbow.js';
import { silhouetteSpec } from './charts/silhouette.js';
import { interestsSpec } from './charts/interests.js';
import { radarSpec } from './charts/radar.js';
import { scatterSpec } from './charts/scatter.js';
import { featureScatterCaption, featureScatterSpec } from './charts/featureScatter.js';
import { kDistanceCaption, kDistanceSpec, suggestedEps } from './charts/kDistance.js';
import { numericCaption, scatterCaption, silhouetteCaption } from './captions.js';
import { sizesSpec } from './charts/sizes.js';
import { escapeHtml as esc } from './escape.js';
import { formatLift, formatNumber, formatShare, formatSigned } from './format.js';
import { renderVega, renderVegaLite, type ChartText } from './renderChart.js';
import { SegmentStyles, type SegmentStyle } from './segmentStyle.js';
import { REPORT_CSS } from './style.js';
import type { RenderReportOptions, ReportInput, ReportProfile, ReportStructure } from './types.js';

export type * from './types.js';

const FN = 'renderReport';

/** The chart sections of a report, by the `data-chart` / `data-omitted` name they carry in the HTML. */
export const REPORT_CHARTS = ['sizes', 'elbow', 'silhouette', 'scatter', 'featureScatter', 'radar', 'distributions', 'correlation', 'interests'] as const;
export type ReportChart = (typeof REPORT_CHARTS)[number];

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** Where a data-chart figure goes: the rendered SVG, its caption, and the name used in tests. */
async function figure(chart: string, svg: Promise<string>, caption: string, heading = ''): Promise<string> {
  return `<figure class="chart" data-chart="${esc(chart)}">${heading}${await svg}<figcaption>${caption}</figcaption></figure>`;
}

function omitted(chart: ReportChart, why: string): string {
  return `<p class="note" data-omitted="${chart}">Not shown: ${esc(why)}</p>`;
}

function section(id: string, title: string, lede: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(title)}</h2>${lede ? `<p class="lede">${esc(lede)}</p>` : ''}${body}</section>`;
}

function swatch(style: SegmentStyle): string {
  return `<span class="swatch" style="background:${style.color}" aria-hidden="true"></span>`;
}

function validate(input: ReportInput): void {
  if (typeof input.title !== 'string') throw new ParameterError(FN, 'title', 'title must be a string');
  if (!Array.isArray(input.segments) || input.segments.length === 0) throw new ParameterError(FN, 'segments', 'segments must list at least one segment');
  input.segments.forEach((s, i) => {
    if (!(Number.isFinite(s.size) && s.size >= 0)) throw new ParameterError(FN, 'segments', `segments[${i}].size=${s.size} must be a number >= 0`);
    if (!(Number.isFinite(s.share) && s.share >= 0 && s.share <= 1 + 1e-9)) throw new ParameterError(FN, 'segments', `segments[${i}].share=${s.share} must be in [0, 1]`);
  });
  if (input.scatter) {
    const { x, y, segment } = input.scatter;
    if (x.length !== y.length || x.length !== segment.length) {
      throw new ParameterError(FN, 'scatter', `scatter.x, .y and .segment must have one value per point (got ${x.length}, ${y.length}, ${segment.length})`);
    }
  }
  if (input.radar) {
    const f = input.radar.features.length;
    input.radar.series.forEach((s, i) => {
      if (s.values.length !== f) throw new ParameterError(FN, 'radar', `radar.series[${i}] has ${s.values.length} values for ${f} features`);
    });
  }
}

/**
 * The structure of the segments, above everything else: a warning box when they are weakly
 * separated, unstable or too small (the names then read as tentative), else one quiet line.
 */
function structureBox(st: ReportStructure): string {
  if (st.warnings.length === 0) return `<p class="structure" data-structure="ok">Structure: ${esc(st.summary)}</p>`;
  const items = st.warnings.map((w) => `<li>${esc(`${w.charAt(0).toUpperCase()}${w.slice(1)}.`)}</li>`).join('');
  const names = st.namesNote ? `<p>${esc(st.namesNote.charAt(0).toUpperCase() + st.namesNote.slice(1))}.</p>` : '';
  return `<section id="structure" class="warning" role="note" aria-labelledby="structure-h" data-structure="warn"><h2 id="structure-h">Read these segments with care</h2><ul>${items}</ul>${names}<p class="meta">Structure: ${esc(st.summary)}</p></section>`;
}

function overview(input: ReportInput, styles: SegmentStyles): string {
  const d = input.dataset;
  const facts: Array<[string, string]> = [
    ['File', esc(d.fileName)],
    ['Rows segmented', formatNumber(d.rows)],
    [`Columns used (${d.columnsUsed.length})`, d.columnsUsed.map(esc).join(', ') || '<em>none</em>'],
  ];
  if (d.features !== undefined) facts.push(['Features after encoding', formatNumber(d.features)]);
  if (d.columnsIgnored && d.columnsIgnored.length > 0) {
    facts.push([`Columns left out (${d.columnsIgnored.length})`, d.columnsIgnored.map((c) => `${esc(c.column)} (${esc(c.reason)})`).join(', ')]);
  }
  if (d.readNotes && d.readNotes.length > 0) facts.push(['Reading the file', `<ul>${d.readNotes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`]);
  const skipped = d.skipped;
  facts.push([
    'Rows skipped',
    skipped && skipped.rows > 0
      ? `${formatNumber(skipped.rows)}${skipped.reasons.length > 0 ? `<ul>${skipped.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}`
      : 'none',
  ]);
  facts.push(['Algorithm', esc(input.algorithm.name)]);
  facts.push(['Backend', `${esc(input.backend.name)}${input.backend.reason ? ` <span class="meta">(${esc(input.backend.reason)})</span>` : ''}`]);
  const params = Object.entries(input.algorithm.parameters);
  const paramTable =
    params.length === 0
      ? ''
      : `<table><caption>Parameters of ${esc(input.algorithm.name)}</caption><thead><tr><th scope="col">parameter</th><th scope="col">value</th></tr></thead><tbody>${params
          .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v === null ? 'none' : typeof v === 'number' ? formatNumber(v) : String(v))}</td></tr>`)
          .join('')}</tbody></table>`;
  const metrics =
    input.metrics && input.metrics.length > 0
      ? `<table><caption>Quality of the segmentation</caption><thead><tr><th scope="col">measure</th><th scope="col" class="num">value</th><th scope="col">how to read it</th></tr></thead><tbody>${input.metrics
          .map((m) => `<tr><th scope="row">${esc(m.name)}</th><td class="num">${formatNumber(m.value)}</td><td>${esc(m.note ?? '')}</td></tr>`)
          .join('')}</tbody></table>`
      : '';
  const segmentRows = input.segments
    .map((s) => {
      const st = styles.get(s.id, 'segments');
      const badge = s.generatedName ? '<span class="badge" title="name generated from the profile; rename it">generated name</span>' : '';
      return `<tr><td class="num">${esc(s.id)}</td><th scope="row">${swatch(st)}${esc(st.label)}${badge}</th><td class="num">${formatNumber(s.size)}</td><td class="num">${formatShare(s.share)}</td></tr>`;
    })
    .join('');
  const columns = d.columns && d.columns.length > 0 ? columnsTable(d.columns) : '';
  const tentative = input.structure?.namesNote;
  const segmentsTable = `<table><caption>Segments${tentative ? ' <span class="badge tentative">names tentative</span>' : ''}</caption><thead><tr><th scope="col" class="num">id</th><th scope="col">name</th><th scope="col" class="num">rows</th><th scope="col" class="num">share</th></tr></thead><tbody>${segmentRows}</tbody></table>`;
  return section(
    'overview',
    'Overview',
    '',
    `<dl class="facts">${facts.map(([t, v]) => `<dt>${esc(t)}</dt><dd>${v}</dd>`).join('')}</dl><div class="tables">${paramTable}${metrics}</div>${segmentsTable}${columns}`,
  );
}

/** Each column's kind and why, its blank cells, whether it is used, and the cells the pipeline filled. */
function columnsTable(columns: NonNullable<ReportInput['dataset']['columns']>): string {
  const rows = columns
    .map((c) => {
      const filled = !c.used ? '<span class="meta">not used</span>' : c.filled > 0 ? `${formatNumber(c.filled)}${c.filledWith ? ` <span class="meta">(${esc(c.filledWith)})</span>` : ''}` : '0';
      return `<tr><th scope="row">${esc(c.name)}</th><td>${esc(c.kind)}</td><td class="reason">${esc(c.reason)}</td><td class="num">${formatNumber(c.blank)}</td><td>${c.used ? 'yes' : 'no'}</td><td class="num" data-filled="${c.filled}">${filled}</td></tr>`;
    })
    .join('');
  const filled = columns.reduce((t, c) => t + c.filled, 0);
  return `<div class="table-scroll"><table class="columns" data-columns><caption>Columns: kind and why, blank cells, and cells filled before segmenting (${formatNumber(filled)} in all)</caption><thead><tr><th scope="col">column</th><th scope="col">kind</th><th scope="col">why this kind</th><th scope="col" class="num">blank</th><th scope="col">used</th><th scope="col" class="num">filled</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function profileTables(p: ReportProfile, styles: SegmentStyles, sizeText: string, open: boolean): string {
  const st = styles.get(p.segment, 'profiles[].segment');
  const numeric =
    p.numeric.length === 0
      ? ''
      : `<table><caption>Numbers</caption><thead><tr><th scope="col">feature</th><th scope="col" class="num">mean</th><th scope="col" class="num">median</th><th scope="col" class="num">Q1</th><th scope="col" class="num">Q3</th><th scope="col" class="num">vs all (sd)</th></tr></thead><tbody>${p.numeric
          .map(
            (r) =>
              `<tr><th scope="row">${esc(r.feature)}</th><td class="num">${formatNumber(r.mean)}</td><td class="num">${formatNumber(r.median)}</td><td class="num">${formatNumber(r.q1)}</td><td class="num">${formatNumber(r.q3)}</td><td class="num">${formatSigned(r.standardisedDifference)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const categorical =
    p.categorical.length === 0
      ? ''
      : `<table><caption>Categories: most frequent values</caption><thead><tr><th scope="col">column</th><th scope="col">value</th><th scope="col" class="num">share</th><th scope="col" class="num">lift</th></tr></thead><tbody>${p.categorical
          .flatMap((c) =>
            c.values.map(
              (v, i) =>
                `<tr>${i === 0 ? `<th scope="rowgroup" rowspan="${c.values.length}">${esc(c.feature)}</th>` : ''}<td>${esc(v.value)}</td><td class="num">${formatShare(v.share)}</td><td class="num">${formatLift(v.lift)}</td></tr>`,
            ),
          )
          .join('')}</tbody></table>`;
  const summary = p.summary ? `<p>${esc(p.summary)}</p>` : '';
  const omitted = p.omitted && p.omitted.columns > 0 ? `<p class="note" data-omitted-columns="${p.omitted.columns}">${esc(`${formatNumber(p.omitted.columns)} more column${p.omitted.columns === 1 ? ' is' : 's are'} not shown: ${p.omitted.rule}.`)}</p>` : '';
  const body = numeric || categorical ? `<div class="tables">${numeric}${categorical}</div>` : '<p class="note">No profile values were given for this segment.</p>';
  return `<details${open ? ' open' : ''} data-profile="${esc(p.segment)}"><summary>${swatch(st)}${esc(st.label)} <span class="meta">${esc(sizeText)}</span></summary>${summary}${body}${omitted}</details>`;
}

/**
 * Renders the report for `input` as one self-contained HTML document (UTF-8): charts as inline SVG
 * drawn ahead of time by Vega-Lite and Vega, styles inline, no script, no request. The same input
 * gives the same bytes. Sections whose input is missing carry a note instead of a chart.
 * Throws ParameterError for inconsistent input (a segment id not in `segments`, arrays of the wrong
 * length). Time is dominated by rendering the SVGs: about a second for a typical report.
 * @example
 * const html = await renderReport({
 *   title: 'Users', dataset: { fileName: 'users.csv', rows: 3, columnsUsed: ['age'] },
 *   algorithm: { name: 'k-means', parameters: { k: 2 } }, backend: { name: 'cpu' },
 *   segments: [{ id: 0, name: 'young', size: 2, share: 2 / 3 }, { id: 1, name: 'old', size: 1, share: 1 / 3 }],
 * });
 * html.includes('young'); // true
 */
export async function renderReport(input: ReportInput, options: RenderReportOptions = {}): Promise<string> {
  validate(input);
  const warn = options.onWarning ?? ((message: string) => console.warn(`segments: ${message}`));
  const styles = new SegmentStyles(input.segments);
  const cache = options.charts;
  const vl = (spec: Parameters<typeof renderVegaLite>[0], text: ChartText): Promise<string> =>
    cache === undefined ? renderVegaLite(spec, text, warn) : cache.get('vega-lite', spec, text, warn, (w) => renderVegaLite(spec, text, w));
  const vg = (spec: Parameters<typeof renderVega>[0], text: ChartText): Promise<string> =>
    cache === undefined ? renderVega(spec, text, warn) : cache.get('vega', spec, text, warn, (w) => renderVega(spec, text, w));
  const largest = [...input.segments].sort((a, b) => b.size - a.size)[0];
  const sections: Array<Promise<string> | string> = [];

  if (input.structure) sections.push(structureBox(input.structure));
  sections.push(overview(input, styles));

  sections.push(
    figure(
      'sizes',
      vl(sizesSpec(input.segments, styles), {
        id: 'chart-sizes',
        title: 'Segment sizes',
        description: `Bar chart of the rows in each of ${input.segments.length} segments; the largest is ${styles.get(largest.id, 'segments').label} with ${formatShare(largest.share)}.`,
      }),
      'Rows in each segment, with their share of all rows.',
    ).then((f) => section('sizes', 'Segment sizes', '', f)),
  );

  if (input.elbow && input.elbow.points.length > 0) {
    const e = input.elbow;
    const hasSilhouette = e.points.some((p) => p.silhouette !== null && p.silhouette !== undefined && Number.isFinite(p.silhouette));
    sections.push(
      figure(
        'elbow',
        vl(elbowSpec(e), {
          id: 'chart-elbow',
          title: 'Choosing k',
          description: `Inertia${hasSilhouette ? ' and silhouette' : ''} for k from ${Math.min(...e.points.map((p) => p.k))} to ${Math.max(...e.points.map((p) => p.k))}; k = ${e.chosenK} was chosen: ${e.reason}.`,
        }),
        // The reason already starts with the k it chose ('k = 5: the elbow ...'): not said twice.
        `Chosen k = ${esc(e.chosenK)}: ${esc(e.reason.replace(/^k = \d+: /, ''))}.${hasSilhouette ? '' : ' No silhouette was computed.'}${e.scoredOn === undefined ? '' : ` Scores on ${esc(e.scoredOn)}.`}`,
      ).then((f) => section('elbow', 'Choosing the number of segments', 'Inertia always falls as k grows; look for the bend (the elbow) and for a high silhouette.', f)),
    );
  } else {
    sections.push(section('elbow', 'Choosing the number of segments', '', omitted('elbow', 'no search over k was run (k was given), so there is no elbow curve.')));
  }

  if (input.silhouette && input.silhouette.segments.length > 0) {
    const p = input.silhouette;
    const worst = p.segments.reduce((a, b) => (b.mean < a.mean ? b : a));
    sections.push(
      figure(
        'silhouette',
        vl(silhouetteSpec(p, styles), {
          id: 'chart-silhouette',
          title: 'Silhouette by segment',
          description: `The silhouette of each segment's rows, highest first; the mean of all is ${p.mean.toFixed(2)}, the lowest segment mean ${worst.mean.toFixed(2)} (${styles.get(worst.segment, 'silhouette').label}).`,
        }),
        esc(silhouetteCaption(p)),
      ).then((f) => section('silhouette', 'How well each segment holds together', 'A row\'s silhouette is near 1 when it is much nearer its own segment than the next one, near 0 on the border, below 0 when another segment is nearer.', f)),
    );
  } else {
    sections.push(section('silhouette', 'How well each segment holds together', '', omitted('silhouette', 'no silhouette was computed (fewer than two segments, or as many segments as rows).')));
  }

  if (input.scatter && input.scatter.x.length > 0) {
    const s = input.scatter;
    sections.push(
      figure(
        'scatter',
        vl(scatterSpec(s, styles), {
          id: 'chart-scatter',
          title: 'Segments in two dimensions',
          description: `Scatter plot of ${s.x.length} rows on ${s.xLabel ?? 'PC1'} and ${s.yLabel ?? 'PC2'}, coloured by segment.`,
        }),
        esc(scatterCaption(s)),
      ).then((f) => section('scatter', 'Segments in two dimensions', 'Each dot is a row, placed by the first two principal components of the features and coloured by its segment; overlap here need not mean overlap in all dimensions.', f)),
    );
  } else {
    sections.push(section('scatter', 'Segments in two dimensions', '', omitted('scatter', 'no 2-D coordinates (e.g. PCA) were given.')));
  }

  if (input.featureScatter) {
    const f = input.featureScatter;
    const [x, y] = [f.columns[f.x], f.columns[f.y]];
    sections.push(
      figure(
        'featureScatter',
        vl(featureScatterSpec(f, styles), { id: 'chart-feature-scatter', title: `${y} against ${x}`, description: `Scatter plot of sampled rows on ${x} and ${y}, coloured by segment.` }),
        esc(featureScatterCaption(f)),
      ).then((fig) => section('feature-scatter', `${y} against ${x}`, 'Each dot is a row in the units of the file, coloured by its segment.', fig)),
    );
  } else {
    sections.push(section('feature-scatter', 'Two columns against each other', '', omitted('featureScatter', 'the file has fewer than two numeric columns.')));
  }

  if (input.kDistance && input.kDistance.distances.length > 0) {
    const c = input.kDistance;
    const eps = suggestedEps(c);
    sections.push(
      figure(
        'kDistance',
        vl(kDistanceSpec(c), { id: 'chart-k-distance', title: 'Choosing eps', description: `Line chart of ${c.distances.length} rows' distance to their nearest rows, ascending${eps === null ? '' : `; the knee suggests eps = ${formatNumber(eps)}`}.` }),
        esc(kDistanceCaption(c)),
      ).then((fig) => section('k-distance', 'Choosing the radius (eps)', 'DBSCAN joins rows that have enough neighbours within eps; the knee of this curve is where rows stop being in dense regions.', fig)),
    );
  }

  if (input.radar && input.radar.features.length >= 3 && input.radar.series.length > 0) {
    const r = input.radar;
    sections.push(
      figure(
        'radar',
        vg(radarSpec(r, styles), {
          id: 'chart-radar',
          title: 'Segment profiles across the main features',
          description: `Radar chart of ${r.series.length} segments across ${r.features.length} features (${r.features.join(', ')}), as standardised differences from the average.`,
        }),
        'Distance from the centre: the segment mean in standard deviations from the average of all rows; the dashed ring is the average.',
      ).then((f) => section('radar', 'Profiles at a glance', '', f)),
    );
  } else {
    const why = input.radar ? `a radar needs at least 3 features and one segment; ${input.radar.features.length} feature(s) were given.` : 'no per-segment feature values were given.';
    sections.push(section('radar', 'Profiles at a glance', '', omitted('radar', why)));
  }

  if (input.distributions && input.distributions.length > 0) {
    const figures = input.distributions.map((d, i) =>
      figure(
        'distributions',
        d.kind === 'numeric'
          ? Promise.all([
              vg(numericDistributionSpec(d, styles, `distributions[${i}]`), { id: `chart-dist-${i}`, title: `${d.feature} by segment`, description: `Histograms of ${d.feature} in each segment, as the share of the segment's rows in each bin${d.scale === 'log' ? ', on a log scale' : ''}.` }),
              d.boxes && d.boxes.length > 0
                ? vl(boxPlotSpec(d, styles, `distributions[${i}]`), { id: `chart-box-${i}`, title: `${d.feature}: box plots by segment`, description: `Box plots of ${d.feature} in each segment: quartiles, median, whiskers to 1.5 IQR and outliers as points.` })
                : Promise.resolve(''),
            ]).then((svgs) => svgs.join(''))
          : vl(categoricalDistributionSpec(d, styles, `distributions[${i}]`), { id: `chart-dist-${i}`, title: `${d.feature} by segment`, description: `Share of each value of ${d.feature} in each segment.` }),
        d.kind === 'numeric' ? esc(numericCaption(d)) : 'Share of the segment with each value.',
        `<h3>${esc(d.feature)}</h3>`,
      ),
    );
    sections.push(Promise.all(figures).then((fs) => section('distributions', 'Distributions by segment', 'How each feature is spread within each segment, in shares so that small and large segments compare.', `<div class="grid">${fs.join('')}</div>`)));
  } else {
    sections.push(section('distributions', 'Distributions by segment', '', omitted('distributions', 'no per-segment distributions were given.')));
  }

  if (input.correlation && input.correlation.features.length >= 2) {
    const c = input.correlation;
    sections.push(
      figure(
        'correlation',
        vl(correlationSpec(c), { id: 'chart-correlation', title: 'Correlation of the features', description: `Heatmap of the Pearson correlations between ${c.features.length} features, from −1 (blue) to +1 (orange).` }),
        esc(`Pearson correlation over all rows; grey cells (n/a) involve a constant feature.${c.note ? ` ${c.note}` : ''}`),
      ).then((f) => section('correlation', 'Correlation of the features', 'Strongly correlated features carry the same information twice and weigh more in the distances.', f)),
    );
  } else {
    sections.push(section('correlation', 'Correlation of the features', '', omitted('correlation', input.correlation ? 'a correlation matrix needs at least 2 features.' : 'no correlation matrix was given.')));
  }

  if (input.interests && input.interests.segments.some((s) => s.items.length > 0)) {
    const it = input.interests;
    sections.push(
      figure(
        'interests',
        vl(interestsSpec(it, styles), { id: 'chart-interests', title: `${it.column}: most frequent items per segment`, description: `Bar charts of the most frequent items of ${it.column} in each segment, as the share of the segment's rows that list them.` }),
        'Share of the segment listing each item; lift over all rows after the share, where given.',
      ).then((f) => section('interests', `${it.column}: most frequent per segment`, '', f)),
    );
  } else {
    sections.push(section('interests', 'Top interests per segment', '', omitted('interests', 'no list column (such as interests) was given.')));
  }

  if (input.profiles && input.profiles.length > 0) {
    const sizes = new Map(input.segments.map((s) => [s.id, `${formatNumber(s.size)} rows · ${formatShare(s.share)}`]));
    const body = input.profiles.map((p, i) => profileTables(p, styles, sizes.get(p.segment) ?? '', i === 0)).join('');
    sections.push(section('profiles', 'Segment profiles', 'Numbers in their own units (mean, median, quartiles, and the mean in standard deviations from all rows); categories with their share in the segment and lift over all rows.', body));
  } else {
    sections.push(section('profiles', 'Segment profiles', '', '<p class="note" data-omitted="profiles">Not shown: no profiles were given.</p>'));
  }

  const body = (await Promise.all(sections)).join('\n');
  const nav = [
    ['overview', 'Overview'],
    ['sizes', 'Sizes'],
    ['elbow', 'Choosing k'],
    ['silhouette', 'Silhouette'],
    ['scatter', 'Scatter'],
    ['feature-scatter', 'Two columns'],
    ...(input.kDistance ? [['k-distance', 'Choosing eps']] : []),
    ['radar', 'Radar'],
    ['distributions', 'Distributions'],
    ['correlation', 'Correlation'],
    ['interests', 'Interests'],
    ['profiles', 'Profiles'],
  ]
    .map(([id, text]) => `<li><a href="#${id}">${text}</a></li>`)
    .join('');
  const generated = input.generatedAt ? ` · ${esc(input.generatedAt)}` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(input.title)}</h1>
<p class="meta">${esc(input.segments.length)} segments of ${formatNumber(input.dataset.rows)} rows from ${esc(input.dataset.fileName)} · ${esc(input.algorithm.name)} on ${esc(input.backend.name)}${generated}</p>
<nav aria-label="Sections"><ol>${nav}</ol></nav>
</header>
${body}
<footer>Made by segments. Charts drawn with Vega-Lite and Vega, as SVG inside this file: it needs no network and no JavaScript.</footer>
</main>
</body>
</html>
`;
}
