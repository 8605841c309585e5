// SPDX-License-Identifier: MIT
import { tableFromArrays, vectorFromArray, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  decimalEvidence,
  describeNumberFormat,
  detectNumberFormat,
  hasNumberFormat,
  isFormattedNumber,
  numberFormatProblem,
  parseNumber,
  readNumberColumn,
} from '../../src/data/numberFormat.js';

/** Values counted as kind inference counts them. */
function counted(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

describe('parseNumber reads a cell with its column format', () => {
  it('currency, thousands, percent, parentheses, spaces (values by hand)', () => {
    expect(parseNumber('$1,234.56', { thousands: ',', currency: '$' })).toBe(1234.56);
    expect(parseNumber('  $1,234.56 ', { thousands: ',', currency: '$' })).toBe(1234.56);
    expect(parseNumber('-$1,234', { thousands: ',', currency: '$' })).toBe(-1234);
    expect(parseNumber('$-1,234', { thousands: ',', currency: '$' })).toBe(-1234);
    expect(parseNumber('12.5%', { percent: true })).toBe(12.5);
    expect(parseNumber('-12.5 %', { percent: true })).toBe(-12.5);
    expect(parseNumber('1,234', { thousands: ',' })).toBe(1234);
    expect(parseNumber('1,234,567.5', { thousands: ',' })).toBe(1234567.5);
    expect(parseNumber('(1,234)', { thousands: ',', parentheses: true })).toBe(-1234);
    expect(parseNumber(' (12,340) ', { thousands: ',', parentheses: true })).toBe(-12340);
    expect(parseNumber('1 234,5', { thousands: ' ', decimal: ',' })).toBe(1234.5);
    expect(parseNumber("1'234.5", { thousands: "'" })).toBe(1234.5);
  });

  it('decimal commas: 0,438 is 0.438, 2.245,71 is 2245.71, 4,5 is 4.5, €1.200,50 and 1.200,50 € are 1200.5', () => {
    const f = { decimal: ',' as const, thousands: '.' };
    expect(parseNumber('0,438', f)).toBe(0.438);
    expect(parseNumber('2.245,71', f)).toBe(2245.71);
    expect(parseNumber('4,5', f)).toBe(4.5);
    expect(parseNumber('€1.200,50', { ...f, currency: '€' })).toBe(1200.5);
    expect(parseNumber('1.200,50 €', { ...f, currency: '€' })).toBe(1200.5);
    expect(parseNumber('-0,5', f)).toBe(-0.5);
  });

  it('signs the format has may be left out; signs it lacks, or another currency, make the cell NaN', () => {
    const dollars = { thousands: ',', currency: '$' };
    expect(parseNumber('1234.5', dollars)).toBe(1234.5);
    expect(parseNumber('€5', dollars)).toBeNaN();
    expect(parseNumber('5%', dollars)).toBeNaN();
    expect(parseNumber('(5)', dollars)).toBeNaN();
    expect(parseNumber('1,23,4', dollars)).toBeNaN();
    expect(parseNumber('1,2345', dollars)).toBeNaN();
    expect(parseNumber('lots', dollars)).toBeNaN();
    expect(parseNumber('19500 USD', dollars)).toBeNaN();
    expect(parseNumber('', dollars)).toBeNaN();
    expect(parseNumber('1,234', {})).toBeNaN();
    expect(parseNumber('0,438', { thousands: ',' })).toBeNaN();
    expect(parseNumber('1.5', { decimal: ',', thousands: '.' })).toBeNaN();
  });

  it('plain numbers read as Number reads them, exponents included', () => {
    for (const t of ['0', '-3', '+4.25', '1e5', '2.5E-3', '.5', '5.']) expect(parseNumber(t)).toBe(Number(t));
    expect(parseNumber('1e5', { decimal: ',' })).toBeNaN();
  });
});

describe('decimalEvidence: which decimal mark alone reads a number', () => {
  it('names the mark where the other reading is impossible, nothing where both read', () => {
    expect(decimalEvidence('0,438')).toBe(',');
    expect(decimalEvidence('4,5')).toBe(',');
    expect(decimalEvidence('12,3456')).toBe(',');
    expect(decimalEvidence('2.245,71')).toBe(',');
    expect(decimalEvidence('1.234.567')).toBe(',');
    expect(decimalEvidence('4.5')).toBe('.');
    expect(decimalEvidence('1,234.5')).toBe('.');
    expect(decimalEvidence('1,234,567')).toBe('.');
    expect(decimalEvidence('1,234')).toBeUndefined();
    expect(decimalEvidence('1.234')).toBeUndefined();
    expect(decimalEvidence('42')).toBeUndefined();
  });
});

describe('detectNumberFormat decides a column format from its values', () => {
  it('dollars with thousands separators', () => {
    const d = detectNumberFormat(counted(['$1,234.56', '$99.00', '$12,000.10', 'n/a?']))!;
    expect(d.format).toEqual({ thousands: ',', currency: '$' });
    expect(d).toMatchObject({ numeric: 3, formatted: 3, firstBad: 'n/a?' });
  });

  it('percentages, and negatives in parentheses', () => {
    expect(detectNumberFormat(counted(['12.5%', '3%', '40.25%']))!.format).toEqual({ percent: true });
    expect(detectNumberFormat(counted(['(1,234)', '5,000', '12']))!.format).toEqual({ thousands: ',', parentheses: true });
  });

  it('decimal commas from the values, or from the file (the hint)', () => {
    expect(detectNumberFormat(counted(['0,438', '1,5', '2']))!.format).toEqual({ decimal: ',' });
    expect(detectNumberFormat(counted(['2.245,71', '1.000,00', '5,5']))!.format).toEqual({ decimal: ',', thousands: '.' });
    // 1,234 reads both ways: thousands unless the file says decimal commas
    expect(detectNumberFormat(counted(['1,234', '5,678']))!.format).toEqual({ thousands: ',' });
    expect(detectNumberFormat(counted(['1,234', '5,678']), ',')!.format).toEqual({ decimal: ',' });
    expect(detectNumberFormat(counted(['1 234,5', '12,25']))!.format).toEqual({ decimal: ',', thousands: ' ' });
  });

  it('no number at all: null', () => {
    expect(detectNumberFormat(counted(['red', 'blue']))).toBeNull();
  });
});

describe('describeNumberFormat, hasNumberFormat, isFormattedNumber, numberFormatProblem', () => {
  it('says the format in words', () => {
    expect(describeNumberFormat({ thousands: ',', currency: '$' })).toBe("numbers with '$' and ',' thousands separators");
    expect(describeNumberFormat({ percent: true })).toBe('percentages (12.5% read as 12.5)');
    expect(describeNumberFormat({ decimal: ',', thousands: '.' })).toBe("numbers with '.' thousands separators and decimal commas");
  });

  it('tells formats and formatted cells from plain ones', () => {
    expect(hasNumberFormat(undefined)).toBe(false);
    expect(hasNumberFormat({})).toBe(false);
    expect(hasNumberFormat({ thousands: '' })).toBe(false);
    expect(hasNumberFormat({ decimal: ',' })).toBe(true);
    expect(isFormattedNumber('1,234')).toBe(true);
    expect(isFormattedNumber('$5')).toBe(true);
    expect(isFormattedNumber('4,5')).toBe(true);
    expect(isFormattedNumber('12')).toBe(false);
    expect(isFormattedNumber('-3.5')).toBe(false);
    expect(isFormattedNumber('Gaming, Travel')).toBe(false);
  });

  it('checks a saved format', () => {
    expect(numberFormatProblem({ decimal: ',', thousands: '.', currency: '€', percent: false, parentheses: true })).toBeNull();
    expect(numberFormatProblem({ decimal: ';' })).toMatch(/decimal/);
    expect(numberFormatProblem({ thousands: 3 })).toMatch(/thousands/);
    expect(numberFormatProblem(null)).toMatch(/not an object/);
  });
});

describe('readNumberColumn', () => {
  it('reads text cells with the format, counts those that do not fit, keeps numeric storage', () => {
    const text = vectorFromArray(['$1,234.50', null, '', ' $99 ', 'lots', '$1,234.50'], new Utf8());
    const r = readNumberColumn(text, { thousands: ',', currency: '$' });
    expect(Array.from(r.values)).toEqual([1234.5, NaN, NaN, 99, NaN, 1234.5]);
    expect(r.invalid).toBe(1);
    expect(r.firstInvalid).toBe('lots');
    const t = tableFromArrays({ x: Float64Array.from([1.5, 2]), n: Int32Array.from([3, 4]) });
    expect(Array.from(readNumberColumn(t.getChild('x')!).values)).toEqual([1.5, 2]);
    expect(Array.from(readNumberColumn(t.getChild('n')!, { decimal: ',' }).values)).toEqual([3, 4]);
  });
});
