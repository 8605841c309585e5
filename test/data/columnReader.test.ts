// SPDX-License-Identifier: MIT
/** Reading Arrow columns for the Pipeline and the profiles: chunks, slices, dictionaries, non-ASCII text, nulls. */
import { Bool, Float64, Int32, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readLabelIds, readLabels, readNumbers } from '../../src/data/columnReader.js';

function labelsOf(v: Parameters<typeof readLabels>[0]): (string | null)[] {
  const { ids, values } = readLabels(v);
  return Array.from(ids, (id) => (id < 0 ? null : values[id]));
}

describe('readLabels', () => {
  it('reads text, with blanks and nulls as missing', () => {
    expect(labelsOf(vectorFromArray(['a', '', null, ' ', 'a', 'b'], new Utf8()))).toEqual(['a', null, null, null, 'a', 'b']);
  });

  it('reads non-ASCII text and a sliced chunk', () => {
    const v = vectorFromArray(['x', 'Zürich', 'München', null, 'Zürich'], new Utf8()).slice(1);
    expect(labelsOf(v)).toEqual(['Zürich', 'München', null, 'Zürich']);
  });

  it('reads several chunks and dictionaries into one set of ids', () => {
    const v = vectorFromArray(['p', 'q', null]).concat(vectorFromArray(['q', 'r']));
    const { ids, values } = readLabels(v);
    expect(Array.from(ids, (id) => (id < 0 ? null : values[id]))).toEqual(['p', 'q', null, 'q', 'r']);
    expect(values).toEqual(['p', 'q', 'r']);
  });

  it('reads booleans and integers as their text', () => {
    expect(labelsOf(vectorFromArray([true, null, false], new Bool()))).toEqual(['true', null, 'false']);
    expect(labelsOf(vectorFromArray([0, 1, null], new Int32()))).toEqual(['0', '1', null]);
  });
});

describe('readLabelIds', () => {
  it('gives every distinct text an id in order of first appearance, blanks included, and -1 for nulls', () => {
    const { ids, labels } = readLabelIds(vectorFromArray(['b', '', null, 'a', 'b', ' '], new Utf8()));
    expect(labels).toEqual(['b', '', 'a', ' ']);
    expect(Array.from(ids)).toEqual([0, 1, -1, 2, 0, 3]);
  });
});

describe('readNumbers', () => {
  it('reads floats, ints, int64 and booleans, nulls and infinities as NaN', () => {
    expect(Array.from(readNumbers(vectorFromArray([1.5, null, Infinity], new Float64())))).toEqual([1.5, NaN, NaN]);
    expect(Array.from(readNumbers(vectorFromArray([3, null, -2], new Int32())))).toEqual([3, NaN, -2]);
    expect(Array.from(readNumbers(makeVector(BigInt64Array.of(5n, -7n))))).toEqual([5, -7]);
    expect(Array.from(readNumbers(vectorFromArray([true, false, null], new Bool())))).toEqual([1, 0, NaN]);
  });

  it('parses text once per value, blanks and words as NaN, and reads slices', () => {
    const v = vectorFromArray(['9', '1.5', '', 'abc', ' 2 ', null], new Utf8()).slice(1);
    expect(Array.from(readNumbers(v))).toEqual([1.5, NaN, NaN, 2, NaN]);
    const f = vectorFromArray([1, 2, null, 4], new Float64()).slice(1);
    expect(Array.from(readNumbers(f))).toEqual([2, NaN, 4]);
  });

  it("reads numbers written in the column's format, as the Pipeline does (not 100 % missing)", () => {
    const dollars = vectorFromArray(['$1,234.56', '$99', 'lots', null], new Utf8());
    expect(Array.from(readNumbers(dollars))).toEqual([NaN, NaN, NaN, NaN]);
    expect(Array.from(readNumbers(dollars, { thousands: ',', currency: '$' }))).toEqual([1234.56, 99, NaN, NaN]);
    const comma = vectorFromArray(['0,438', '2.245,71', '4,5'], new Utf8());
    expect(Array.from(readNumbers(comma, { decimal: ',', thousands: '.' }))).toEqual([0.438, 2245.71, 4.5]);
    expect(Array.from(readNumbers(vectorFromArray(['12.5%', '3%'], new Utf8()), { percent: true }))).toEqual([12.5, 3]);
  });
});
