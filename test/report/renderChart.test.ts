// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { renameIds, renderVegaLite } from '../../src/report/renderChart.js';

describe('renderChart', () => {
  it('renameIds renames ids in order of appearance and every reference to them', () => {
    const svg = '<svg><g clip-path="url(#clip7)"></g><defs><clipPath id="clip7"></clipPath><linearGradient id="g2"/></defs><use href="#g2"/><use href="#other"/></svg>';
    expect(renameIds(svg, 'chart-a')).toBe(
      '<svg><g clip-path="url(#chart-a-1)"></g><defs><clipPath id="chart-a-1"></clipPath><linearGradient id="chart-a-2"/></defs><use href="#chart-a-2"/><use href="#other"/></svg>',
    );
  });

  it('renderVegaLite renders an accessible SVG with the title and description escaped', async () => {
    const spec = { data: { values: [{ a: 'x', b: 1 }] }, mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } } } as const;
    const svg = await renderVegaLite(spec as never, { id: 't', title: 'A <b>', description: 'one bar & "more"' }, () => {});
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="t-title t-desc" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<title id="t-title">A &lt;b&gt;</title><desc id="t-desc">one bar &amp; &quot;more&quot;</desc>');
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('renderVegaLite turns a spec Vega-Lite cannot compile into a SegmentsError naming the chart', async () => {
    const bad = { data: { values: [] }, mark: 'no-such-mark' };
    await expect(renderVegaLite(bad as never, { id: 'x', title: 'Broken', description: '' }, () => {})).rejects.toThrow(/renderReport: the Broken chart does not compile/);
  });
});
