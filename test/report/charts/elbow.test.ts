// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { elbowSpec, tickFormat } from '../../../src/report/charts/elbow.js';
import { renderVegaLite } from '../../../src/report/renderChart.js';

/** The tick labels of the y axis titled `title` in a rendered SVG: the texts after its aria-label up to its title. */
function yTickLabels(svg: string, title: string): string[] {
  const at = svg.indexOf(`aria-label="Y-axis titled '${title}'`);
  if (at < 0) throw new Error(`no y axis titled ${title}`);
  const texts = [...svg.slice(at).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  return texts.slice(0, texts.indexOf(title));
}

describe('elbow chart', () => {
  it('tickFormat gives the decimals that the d3 tick step needs, at least two', () => {
    // Steps by hand: span 0.01 / 5 = 0.002 -> step 0.002 -> 3 decimals; span 0.4 -> 0.08 -> 0.1 -> 2 (the floor).
    expect(tickFormat([0.201, 0.204, 0.206, 0.211])).toBe('.3f');
    expect(tickFormat([0.1, 0.5])).toBe('.2f');
    // 0.0497..0.0503: span 0.0006 / 5 = 0.00012 -> step 0.0001 -> 4 decimals.
    expect(tickFormat([0.0497, 0.05, 0.0503])).toBe('.4f');
    expect(tickFormat([0.3, 0.3])).toBe('.3f');
  });

  it('labels the silhouette ticks apart when the silhouettes differ by less than 0.01', async () => {
    const elbow = {
      points: [2, 3, 4, 5, 6].map((k, i) => ({ k, inertia: 1000 / k, silhouette: [0.201, 0.203, 0.208, 0.205, 0.2][i] })),
      chosenK: 4,
      reason: 'test',
    };
    const svg = await renderVegaLite(elbowSpec(elbow), { id: 'elbow', title: 'Elbow', description: 'test' }, () => {});
    const labels = yTickLabels(svg, 'silhouette');
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(new Set(labels).size).toBe(labels.length);
    for (const l of labels) expect(l).toMatch(/^0\.2\d\d$/);
  });
});
