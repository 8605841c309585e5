import { describe, expect, it } from 'vitest';
import { renderReport, REPORT_CHARTS } from '../../src/report/renderReport.js';
import { warmUpInput } from '../../src/report/warmUpInput.js';

describe('warmUpInput', () => {
  it('draws every chart of the report without a warning, so that warming up compiles each', async () => {
    const warnings: string[] = [];
    const html = await renderReport(warmUpInput(), { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    for (const chart of REPORT_CHARTS) expect(html).toMatch(new RegExp(`data-chart="${chart}"[^>]*>(?:(?!</figure>)[\\s\\S])*<svg`));
  });
});
