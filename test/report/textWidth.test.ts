// SPDX-License-Identifier: MIT
import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { estimateTextWidth, useTextEstimate } from '../../src/report/textWidth.js';

describe('text width estimate', () => {
  it('estimateTextWidth sums per-character widths in em, 10 % more when bold', () => {
    expect(estimateTextWidth('il', 10)).toBeCloseTo(6, 12);
    expect(estimateTextWidth('Mm', 10)).toBeCloseTo(19.4, 12);
    expect(estimateTextWidth('a A 1', 10)).toBeCloseTo(6.1 + 3.2 + 7.2 + 3.2 + 6.4, 12);
    expect(estimateTextWidth('ab', 10, true)).toBeCloseTo(1.22 * 11, 12);
    expect(estimateTextWidth('', 12)).toBe(0);
  });

  it('useTextEstimate replaces the 0.8 em fallback of Vega when there is no canvas, once', () => {
    const metrics = (vega as unknown as { textMetrics: { width: (item: object, text?: string) => number; estimateWidth: unknown } }).textMetrics;
    useTextEstimate();
    const installed = metrics.width;
    expect(installed).not.toBe(metrics.estimateWidth);
    expect(metrics.width({ fontSize: 10 }, 'il')).toBeCloseTo(6, 12);
    expect(metrics.width({ fontSize: 10, fontWeight: 'bold' }, 'il')).toBeCloseTo(6.6, 12);
    useTextEstimate();
    expect(metrics.width).toBe(installed);
  });
});
