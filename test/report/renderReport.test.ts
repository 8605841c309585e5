// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { ChartCache } from '../../src/report/renderChart.js';
import { REPORT_CHARTS, renderReport } from '../../src/report/renderReport.js';
import type { ReportInput } from '../../src/report/types.js';
import { HOSTILE, smallInput } from './smallInput.js';

const noWarnings = { onWarning: (m: string) => { throw new Error(`unexpected warning: ${m}`); } };

function minimal(): ReportInput {
  const { title, dataset, algorithm, backend, segments } = smallInput();
  return { title, dataset, algorithm, backend, segments };
}

/** The inline SVGs of the figures marked `data-chart="<chart>"`. */
function chartSvgs(html: string, chart: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<figure class="chart" data-chart="${chart}">([\\s\\S]*?)</figure>`, 'g');
  for (const m of html.matchAll(re)) {
    const svg = /<svg[\s\S]*<\/svg>/.exec(m[1]);
    if (svg) out.push(svg[0]);
  }
  return out;
}

/** Drawn items inside Vega's mark groups (`<g class="mark-... role-mark ...">`). */
function markCount(svg: string): number {
  let count = 0;
  for (const m of svg.matchAll(/<g class="mark-[a-z]+ role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)) {
    count += (m[1].match(/<(path|rect|line|circle|text)\b/g) ?? []).length;
  }
  return count;
}

describe('renderReport', () => {
  it('renderReport escapes names and values from the data everywhere, in text and in SVG', async () => {
    const html = await renderReport(smallInput(), noWarnings);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('alert(1)</');
    expect(html).not.toContain('& "x"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    // The segment's name is in the segments table, escaped, as text of a row header.
    expect(html).toMatch(/<th scope="row"><span class="swatch"[^>]*><\/span>&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;x&quot;<\/th>/);
    expect(html).toContain('<title>Report &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</title>');
  });

  it('renderReport draws every chart when its input is given, with marks in each', async () => {
    const html = await renderReport(smallInput(), noWarnings);
    for (const chart of REPORT_CHARTS) {
      const svgs = chartSvgs(html, chart);
      expect(svgs.length, chart).toBeGreaterThan(0);
      for (const svg of svgs) {
        expect(svg, chart).toMatch(/^<svg role="img" aria-labelledby="[a-z0-9-]+-title [a-z0-9-]+-desc"/);
        expect(markCount(svg), chart).toBeGreaterThan(0);
      }
      expect(html).not.toContain(`data-omitted="${chart}"`);
    }
    // The numeric feature as a histogram and a box plot, the categorical one as bars.
    expect(chartSvgs(html, 'distributions')).toHaveLength(2);
    expect(chartSvgs(html, 'distributions')[0]).toContain('aria-labelledby="chart-box-0-title chart-box-0-desc"');
    expect(html).toContain('3 values beyond them, the 2 most extreme drawn as points.');
    expect(html).toContain('data-profile="2"');
    expect(html).toContain('30 of 300 rows, sampled at random.');
    // 30 points: the 1st and 99th percentiles of each axis leave out the points beyond them, and the caption counts them.
    expect(html).toMatch(/The axes span the 1st to 99th percentile of each component; \d+ points lie outside and are not drawn\./);
    // Each column's kind and why, in text, and the blanks filled.
    expect(html).toContain('<td class="reason">integers 18–70, skewness 0.4</td>');
    expect(html).toMatch(/data-filled="3">3 <span class="meta">\(the median\)<\/span>/);
  });

  it('renderReport leaves out each chart whose input is missing, with a note, and still draws the sizes', async () => {
    const html = await renderReport(minimal(), noWarnings);
    expect(chartSvgs(html, 'sizes')).toHaveLength(1);
    for (const chart of REPORT_CHARTS.filter((c) => c !== 'sizes')) {
      expect(chartSvgs(html, chart), chart).toHaveLength(0);
      expect(html).toMatch(new RegExp(`<p class="note" data-omitted="${chart}">Not shown: [^<]+</p>`));
    }
    expect(html).toContain('data-omitted="profiles"');
  });

  it("renderReport says the chosen k once, when the reason starts with it (as chooseK's reasons do)", async () => {
    const input = minimal();
    input.elbow = { points: [{ k: 2, inertia: 10, silhouette: 0.5 }, { k: 3, inertia: 6, silhouette: 0.4 }], chosenK: 2, reason: 'k = 2: silhouette 0.50 is the highest of k = 2..3' };
    const html = await renderReport(input, { onWarning: () => {} });
    expect(html).toContain('Chosen k = 2: silhouette 0.50 is the highest of k = 2..3.');
    expect(html).not.toContain('Chosen k = 2: k = 2:');
  });

  it('renderReport omits the radar with a reason when fewer than 3 features are given', async () => {
    const input = { ...minimal(), radar: { features: ['a', 'b'], series: [{ segment: 0, values: [1, 2] }] } };
    const html = await renderReport(input, noWarnings);
    expect(html).toContain('<p class="note" data-omitted="radar">Not shown: a radar needs at least 3 features and one segment; 2 feature(s) were given.</p>');
  });

  it('renderReport gives the same bytes for the same input, with ids unique in the page', async () => {
    const a = await renderReport(smallInput(), noWarnings);
    const b = await renderReport(smallInput(), noWarnings);
    expect(a).toBe(b);
    const ids = [...a.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of a.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
  });

  it('renderReport with the charts of a render of the figures alone (no metrics, silhouette or structure) gives the bytes of a render without them', async () => {
    const full = smallInput();
    const { metrics: _m, silhouette: _s, structure: _t, ...figures } = full;
    const charts = new ChartCache();
    const draft = await renderReport(figures, { ...noWarnings, charts });
    expect(draft).not.toBe(await renderReport(full, noWarnings));
    expect(await renderReport(full, { ...noWarnings, charts })).toBe(await renderReport(full, noWarnings));
  });

  it('renderReport makes a page that needs no network: no external URL, no script, a CSP that forbids fetches', async () => {
    const html = await renderReport(smallInput(), noWarnings);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
    const urls = [...html.matchAll(/https?:\/\/[^\s"')<]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
  });

  it('renderReport keeps one colour per segment across the charts', async () => {
    const html = await renderReport(smallInput(), noWarnings);
    // Segment 2 is third in the list: #e45756 in the table swatch, the bars and the scatter.
    expect(html).toContain('<span class="swatch" style="background:#e45756"');
    for (const chart of ['sizes', 'scatter', 'radar', 'interests']) {
      expect(chartSvgs(html, chart)[0], chart).toContain('fill="#e45756"');
    }
  });

  it('renderReport refuses a chart that refers to a segment not in the list', async () => {
    const input = smallInput();
    const bad = { ...input, scatter: { ...input.scatter!, segment: input.scatter!.segment.length ? Array.from(input.scatter!.segment, () => 9) : [] } };
    await expect(renderReport(bad)).rejects.toThrow(ParameterError);
    await expect(renderReport(bad)).rejects.toThrow('renderReport: scatter.segment refers to segment 9, which is not in segments');
  });

  it('renderReport refuses inconsistent shapes with the argument named', async () => {
    const input = smallInput();
    await expect(renderReport({ ...input, correlation: { features: ['a', 'b'], matrix: [1, 0, 0] } })).rejects.toThrow('correlation.matrix has 3 values, not 2×2 = 4');
    await expect(renderReport({ ...input, segments: [...input.segments, { id: 0, name: 'again', size: 1, share: 0 }] })).rejects.toThrow('segment id 0 appears twice');
    await expect(renderReport({ ...input, segments: [] })).rejects.toThrow('segments must list at least one segment');
    const dist = { kind: 'numeric' as const, feature: 'age', edges: [0, 1, 2], counts: [{ segment: 0, counts: [1, 2, 3] }] };
    await expect(renderReport({ ...input, distributions: [dist] })).rejects.toThrow('distributions[0] (age): segment 0 has 3 counts for 2 bins');
    await expect(renderReport({ ...input, radar: { features: ['a', 'b', 'c'], series: [{ segment: 0, values: [1] }] } })).rejects.toThrow('radar.series[0] has 1 values for 3 features');
  });

  it('renderReport names segments that share a name apart by their id', async () => {
    const input = { ...minimal(), segments: [{ id: 0, name: 'twins', size: 1, share: 0.5 }, { id: 1, name: 'twins', size: 1, share: 0.5 }] };
    const html = await renderReport(input, noWarnings);
    expect(html).toContain('twins (0)');
    expect(html).toContain('twins (1)');
  });

  it('puts a structure warning above the overview, escaped, and marks the names tentative', async () => {
    const input: ReportInput = {
      ...minimal(),
      structure: { summary: 'weak separation (silhouette 0.19)', warnings: [`the segments are weakly separated ${HOSTILE}`], namesNote: 'these names are tentative: the segments are weakly separated' },
    };
    const html = await renderReport(input, noWarnings);
    const box = html.indexOf('data-structure="warn"');
    expect(box).toBeGreaterThan(0);
    expect(box).toBeLessThan(html.indexOf('id="overview"'));
    expect(html).toContain('Read these segments with care');
    expect(html).toContain('<li>The segments are weakly separated &lt;script&gt;');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('These names are tentative: the segments are weakly separated.');
    expect(html).toContain('<span class="badge tentative">names tentative</span>');
  });

  it('says the structure in one quiet line when there is no warning, and leaves the names as they are', async () => {
    const html = await renderReport({ ...minimal(), structure: { summary: 'strong separation (silhouette 0.91)', warnings: [] } }, noWarnings);
    expect(html).toContain('<p class="structure" data-structure="ok">Structure: strong separation (silhouette 0.91)</p>');
    expect(html).not.toContain('names tentative');
    expect(await renderReport(minimal(), noWarnings)).not.toContain('data-structure');
  });
});
