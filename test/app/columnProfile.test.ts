// SPDX-License-Identifier: MIT
/**
 * The worker's data profile (app/src/columnProfile.ts) on small tables whose counts are worked
 * out by hand, and the kind checks the page makes from it (app/src/ui/profileView.ts kindProblem).
 */
import { describe, expect, it } from 'vitest';
import { inferKinds, readTable } from '../../src/index.js';
import { profileColumns } from '../../app/src/columnProfile.js';
import { kindProblem } from '../../app/src/ui/profileView.js';

async function profileOf(csv: string): Promise<ReturnType<typeof profileColumns>> {
  const { table } = await readTable(new TextEncoder().encode(csv), { name: 't.csv' });
  return profileColumns(table, inferKinds(table));
}

describe('profileColumns', () => {
  it('counts blank cells (empty, spaces only, null), distinct and most frequent values of text and numbers', async () => {
    const csv = ['plan,visits', 'pro,3', ' ,', 'basic,1', 'pro,', 'pro,3', ',5', 'team,3', 'basic,1'].join('\n');
    const [plan, visits] = await profileOf(csv);
    expect(plan.missing).toBe(2);
    expect(plan.distinct).toBe(3);
    expect(plan.top).toEqual([
      { value: 'pro', count: 3 },
      { value: 'basic', count: 2 },
      { value: 'team', count: 1 },
    ]);
    expect(plan.numbers).toBeNull();
    expect(visits.missing).toBe(2);
    expect(visits.distinct).toBe(3);
    expect(visits.top).toEqual([
      { value: '3', count: 3 },
      { value: '1', count: 2 },
      { value: '5', count: 1 },
    ]);
    // 3, 1, 3, 3, 1, 5 (skewness 0.3: linear bins) on 20 bins of width 0.2 from 1 to 5: 1 in bin 0, 3 in bin 10, 5 in the last.
    const n = visits.numbers!;
    expect([n.min, n.max, n.mean, n.integers, n.nonNegative, n.readable, n.unreadable]).toEqual([1, 5, 16 / 6, true, true, 6, 0]);
    expect(n.scale).toBe('linear');
    expect(n.counts.length).toBe(20);
    expect(n.counts[0]).toBe(2);
    expect(n.counts[10]).toBe(3);
    expect(n.counts[19]).toBe(1);
    expect(n.counts.reduce((s, c) => s + c, 0)).toBe(6);
  });

  it('reads numbers written as text as the pipeline would, and counts those that do not read; finds the levels of ordered ranges', async () => {
    // 'amount': 4 of 5 values are numbers (80 %, under the 95 % that makes a number column), so it
    // is a category without a number format: made a number, '1,200' would not read, as here.
    const csv = ['amount,age,price', '"1,200",18-24,"$1,200"', '300,25-34,$300', 'lots,65+,$5', '"2,000",25-34,"$2,000"', '-5,18-24,$0'].join('\n');
    const [amount, age, price] = await profileOf(csv);
    expect(amount.numbers?.readable).toBe(2);
    expect(amount.numbers?.unreadable).toBe(3);
    expect(amount.numbers?.firstUnreadable).toBe('1,200');
    expect([amount.numbers?.min, amount.numbers?.max, amount.numbers?.nonNegative]).toEqual([-5, 300, false]);
    // 'price' is a number column written with a currency and thousands separators: all read.
    expect([price.numbers?.readable, price.numbers?.unreadable, price.numbers?.min, price.numbers?.max]).toEqual([5, 0, 0, 2000]);
    expect(age.rangeCells).toBe(5);
    expect(age.levels?.map((l) => l.text)).toEqual(['18-24', '25-34', '65+']);
    expect(amount.levels).toBeNull();
  });

  it('sends counts whose size does not grow with the rows', async () => {
    const rows = (n: number): string => ['x,g', ...Array.from({ length: n }, (_, i) => `${(i * 7919) % 1000},${'abc'[i % 3]}`)].join('\n');
    const small = JSON.stringify(await profileOf(rows(1000))).length;
    const large = JSON.stringify(await profileOf(rows(100_000))).length;
    expect(large).toBeLessThan(small * 1.5);
  });
});

describe('kindProblem', () => {
  it('says why a kind does not fit, and nothing when it does', async () => {
    const csv = ['plan,visits,score,age', 'pro,3,1.5,18-24', 'basic,1,-2,25-34', 'team,x,4,65+', 'pro,3,0,18-24'].join('\n');
    const [plan, visits, score, age] = await profileOf(csv);
    expect(kindProblem('number', plan, 4)).toBe("None of its values is a number (e.g. 'pro'): as a number every cell would be blank.");
    expect(kindProblem('count', visits, 4)).toBe("1 value of 4 is not a number (e.g. 'x'): it would be filled with the median.");
    expect(kindProblem('count', score, 4)).toBe('A count is a whole number ≥ 0; this column has negative values (from -2 to 4).');
    expect(kindProblem('number', score, 4)).toBeNull();
    expect(kindProblem('flag', plan, 4)).toBe('A flag has two values; this column has 3: it would be one-hot encoded as a category.');
    expect(kindProblem('range', plan, 4)).toBe("None of its values is an ordered range like '25-34' or '65+': it would be one-hot encoded.");
    expect(kindProblem('range', age, 4)).toBeNull();
    expect(kindProblem('empty', plan, 4)).toBe('It has 4 values: as empty it is left out.');
    expect(kindProblem('category', plan, 4)).toBeNull();
    expect(kindProblem('id', plan, 4)).toBeNull();
  });
});
