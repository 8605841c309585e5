// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { formatLift, formatNumber, formatShare, formatSigned } from '../../src/report/format.js';

describe('report number formats', () => {
  it('formatNumber groups thousands and keeps 4 significant digits', () => {
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatNumber(1234.56)).toBe('1,235');
    expect(formatNumber(3.14159)).toBe('3.142');
    expect(formatNumber(0.04213)).toBe('0.04213');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(-2.5)).toBe('−2.5');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(NaN)).toBe('n/a');
    expect(formatNumber(null)).toBe('n/a');
  });

  it('formatShare, formatSigned and formatLift read as percent, signed sd and ratio', () => {
    expect(formatShare(0.1234)).toBe('12.3 %');
    expect(formatSigned(0.851)).toBe('+0.85');
    expect(formatSigned(-1.2)).toBe('−1.20');
    expect(formatSigned(-0.001)).toBe('0.00');
    expect(formatLift(1.845)).toBe('×1.84');
    expect(formatLift(undefined)).toBe('n/a');
  });
});
