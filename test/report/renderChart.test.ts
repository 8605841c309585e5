// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { ChartCache, renameIds, renderVegaLite } from '../../src/report/renderChart.js';

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

  it('ChartCache draws a spec and text once; a second ask gets the same SVG and the warnings again, or the same error', async () => {
    const cache = new ChartCache();
    const text = { id: 'c', title: 'T', description: 'd' };
    let draws = 0;
    const draw = async (warn: (m: string) => void): Promise<string> => {
      draws++;
      warn('w1');
      return `<svg>${draws}</svg>`;
    };
    const first: string[] = [];
    const second: string[] = [];
    expect(await cache.get('vega', { a: 1 }, text, (m) => first.push(m), draw)).toBe('<svg>1</svg>');
    expect(await cache.get('vega', { a: 1 }, text, (m) => second.push(m), draw)).toBe('<svg>1</svg>');
    expect([draws, first, second]).toEqual([1, ['w1'], ['w1']]);
    // another spec, another text or another kind is drawn anew
    await cache.get('vega', { a: 2 }, text, () => {}, draw);
    await cache.get('vega', { a: 1 }, { ...text, title: 'U' }, () => {}, draw);
    await cache.get('vega-lite', { a: 1 }, text, () => {}, draw);
    expect(draws).toBe(4);
    const failing = async (): Promise<string> => {
      draws++;
      throw new Error('no such mark');
    };
    await expect(cache.get('vega', { bad: true }, text, () => {}, failing)).rejects.toThrow('no such mark');
    await expect(cache.get('vega', { bad: true }, text, () => {}, failing)).rejects.toThrow('no such mark');
    expect(draws).toBe(5);
  });
});
