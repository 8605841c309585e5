// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { orderLevels, parseRange } from '../../src/data/ranges.js';

describe('parseRange', () => {
  it('reads the ranges of survey and ads exports', () => {
    expect(parseRange('25-34')).toEqual({ text: '25-34', low: 25, high: 34 });
    expect(parseRange('65+')).toEqual({ text: '65+', low: 65, high: Infinity });
    expect(parseRange('0-20k')).toEqual({ text: '0-20k', low: 0, high: 20000 });
    expect(parseRange('20k-40k')).toEqual({ text: '20k-40k', low: 20000, high: 40000 });
    expect(parseRange('100k+')).toEqual({ text: '100k+', low: 100000, high: Infinity });
    expect(parseRange('10-20k')).toMatchObject({ low: 10000, high: 20000 });
    expect(parseRange('$50,000 - $75,000')).toMatchObject({ low: 50000, high: 75000 });
    expect(parseRange('<18')).toMatchObject({ low: -Infinity, high: 18 });
    expect(parseRange('Under 18')).toMatchObject({ low: -Infinity, high: 18 });
    expect(parseRange('18 to 24')).toMatchObject({ low: 18, high: 24 });
    expect(parseRange('1.5M+')).toMatchObject({ low: 1.5e6 });
  });

  it('is not fooled by numbers, dates and words', () => {
    for (const t of ['25', '01-08-2023', '34-25', 'Male', '2023-08-01', '']) expect(parseRange(t)).toBeUndefined();
  });

  it('orders levels by their numbers', () => {
    const levels = ['65+', '100k+', '0-20k', '20k-40k', '25-34', '<18'].map((t) => parseRange(t)!);
    expect(orderLevels(levels).map((l) => l.text)).toEqual(['<18', '0-20k', '25-34', '65+', '20k-40k', '100k+']);
  });
});
