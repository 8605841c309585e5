// SPDX-License-Identifier: MIT
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { inferKinds, nameWords, parseFormattedNumber } from '../../src/data/inferKinds.js';
import { readCsv } from '../../src/data/csv.js';
import { readTable } from '../../src/data/readTable.js';
import type { ColumnKind } from '../../src/data/schema.js';
import { DATA_DIR } from '../helpers/data.js';

const DATA = DATA_DIR.slice(0, -1);

/** The kinds of every column, decided by hand from looking at the files. */
const EXPECTED: Record<string, Record<string, ColumnKind>> = {
  'Mall_Customers.csv': {
    CustomerID: 'id',
    Genre: 'category',
    Age: 'number',
    'Annual Income (k$)': 'number',
    'Spending Score (1-100)': 'number',
  },
  'social_media_wellbeing_test.csv': {
    User_ID: 'id', // 98 distinct in 103: five duplicated records
    Age: 'number',
    Gender: 'category', // Male, Female, Non-binary, plus the stray '27' and 'Marie'
    Platform: 'category',
    'Daily_Usage_Time (minutes)': 'number',
    Posts_Per_Day: 'count',
    Likes_Received_Per_Day: 'count',
    Comments_Received_Per_Day: 'count',
    Messages_Sent_Per_Day: 'count',
    Dominant_Emotion: 'category',
  },
  'tiktok_profilesData.csv': {
    timestamp: 'datetime',
    account_id: 'id',
    nickname: 'text',
    biography: 'text',
    awg_engagement_rate: 'number',
    comment_engagement_rate: 'number',
    like_engagement_rate: 'number',
    bio_link: 'url',
    is_verified: 'flag',
    followers: 'count',
    following: 'count',
    likes_receieved: 'count',
    videos_count: 'count',
    create_time: 'empty',
    id: 'id',
    top_videos: 'url',
    url: 'url',
    profile_pic_url: 'url',
  },
  'user_profiles_for_ads.csv': {
    'User ID': 'id',
    Age: 'range',
    Gender: 'category',
    Location: 'category',
    Language: 'category',
    'Education Level': 'category',
    'Likes and Reactions': 'count',
    'Followed Accounts': 'count',
    'Device Usage': 'category',
    'Time Spent Online (hrs/weekday)': 'number',
    'Time Spent Online (hrs/weekend)': 'number',
    'Click-Through Rates (CTR)': 'number',
    'Conversion Rates': 'number',
    'Ad Interaction Time (sec)': 'number',
    'Income Level': 'range',
    'Top Interests': 'list',
  },
};
EXPECTED['social_media_wellbeing_train.csv'] = EXPECTED['social_media_wellbeing_test.csv'];

describe('inferKinds on the shared data files', () => {
  for (const [name, kinds] of Object.entries(EXPECTED)) {
    it(`${name}: the kinds written down by hand`, async () => {
      const { table } = await readTable(`${DATA}/${name}`, { onBadRows: 'null' });
      const schema = inferKinds(table);
      expect(Object.fromEntries(schema.columns.map((c) => [c.name, c.kind]))).toEqual(kinds);
      expect(schema.rowsSeen).toBe(table.numRows);
      for (const c of schema.columns) {
        expect(c.reason.length).toBeGreaterThan(10);
        expect(c.use).toBe(!['id', 'text', 'url', 'datetime', 'empty'].includes(c.kind));
      }
    });
  }

  it('lists the range levels in order and the list separator', async () => {
    const { table } = await readTable(`${DATA}/user_profiles_for_ads.csv`);
    const cols = inferKinds(table).columns;
    const income = cols.find((c) => c.name === 'Income Level')!;
    expect(income.levels!.map((l) => l.text)).toEqual(['0-20k', '20k-40k', '40k-60k', '60k-80k', '80k-100k', '100k+']);
    expect(income.levels![5]).toEqual({ text: '100k+', low: 100000, high: Infinity });
    expect(cols.find((c) => c.name === 'Age')!.levels!.map((l) => l.text)).toEqual(['18-24', '25-34', '35-44', '45-54', '55-64', '65+']);
    const interests = cols.find((c) => c.name === 'Top Interests')!;
    expect(interests).toMatchObject({ separator: ',', distinct: 16, missing: 0 });
    const tiktok = inferKinds((await readTable(`${DATA}/tiktok_profilesData.csv`)).table).columns;
    expect(tiktok.find((c) => c.name === 'bio_link')).toMatchObject({ missing: 809, distinct: 191 });
  });
});

describe('inferKinds on small tables', () => {
  it('flags, formatted numbers, text, row numbers, heavy tails, empties', async () => {
    const n = 40;
    const csv = ['yes_no,subscribed,revenue,share,label,row,views,temp,blank,note'];
    for (let i = 0; i < n; i++) {
      csv.push(
        [
          i % 3 ? 'Yes' : 'No',
          i % 2,
          `"$${(1000 + i * 1234).toLocaleString('en-US')}"`,
          `${(i * 2.5).toFixed(1)}%`,
          ['red', 'green', 'blue'][i % 3],
          i + 1,
          i < 35 ? i % 4 : 10000 * i,
          20 + (i % 7),
          '',
          `free words number ${i} here`,
        ].join(','),
      );
    }
    const { table } = await readCsv(new TextEncoder().encode(csv.join('\n')));
    const cols = Object.fromEntries(inferKinds(table).columns.map((c) => [c.name, c]));
    expect(Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, c.kind]))).toEqual({
      yes_no: 'flag',
      subscribed: 'flag',
      revenue: 'number',
      share: 'number',
      label: 'category',
      row: 'id',
      views: 'count',
      temp: 'number',
      blank: 'empty',
      note: 'text',
    });
    expect(cols.revenue.numberFormat).toEqual({ thousands: ',', currency: '$' });
    expect(cols.share.numberFormat).toEqual({ percent: true });
    expect(cols.views.reason).toMatch(/name says 'views'/);
    expect(cols.temp.reason).toMatch(/measurement/);
  });

  it('reads Arrow booleans, timestamps and nulls', () => {
    const table = tableFromArrays({ ok: [true, false, true], when: [new Date(0), new Date(1), new Date(2)], x: Float64Array.from([1.5, NaN, 2]) });
    const cols = inferKinds(table).columns;
    expect(cols.map((c) => [c.kind, c.missing])).toEqual([
      ['flag', 0],
      ['datetime', 0],
      ['number', 1],
    ]);
  });

  it('splits names into words, CamelCase included', () => {
    expect(nameWords('CustomerID')).toEqual(['customer', 'id']);
    expect(nameWords('User_ID')).toEqual(['user', 'id']);
    expect(nameWords('Annual Income (k$)')).toEqual(['annual', 'income', 'k$']);
    expect(nameWords('likes_receieved')).toEqual(['likes', 'receieved']);
  });

  it('parseFormattedNumber reads what inferKinds recognised', () => {
    expect(parseFormattedNumber('$1,234.5', { thousands: ',', currency: '$' })).toBe(1234.5);
    expect(parseFormattedNumber('-12.5%', { percent: true })).toBe(-12.5);
    expect(parseFormattedNumber('12,34', { thousands: ',' })).toBeNaN();
    expect(parseFormattedNumber('abc', {})).toBeNaN();
  });
});

describe('inferKinds on formatted numbers (test/fixtures/hostile, made by scripts/make_hostile_fixtures.ts)', () => {
  const HOSTILE = `${DATA}/../hostile`;
  const byName = async (file: string): Promise<Record<string, ReturnType<typeof inferKinds>['columns'][number]>> => {
    const { table, report } = await readTable(`${HOSTILE}/${file}`);
    const cols = inferKinds(table, report.decimal === ',' ? { decimal: ',' } : {}).columns;
    return Object.fromEntries(cols.map((c) => [c.name, c]));
  };

  it('dollars and percentages: kind number, the format recorded, the reason saying it', async () => {
    const c = await byName('customers_dollars.csv');
    expect(c.revenue).toMatchObject({ kind: 'number', use: true, numberFormat: { thousands: ',', currency: '$' } });
    expect(c.revenue.reason).toMatch(/^numbers with '\$' and ',' thousands separators, [\d.]+–[\d.]+ \(300 of 300 values read\)$/);
    expect(c.discount).toMatchObject({ kind: 'number', numberFormat: { percent: true } });
    expect(c.discount.reason).toMatch(/^percentages \(12\.5% read as 12\.5\)/);
  });

  it('decimal commas: the file says it, numeric columns remember it, 2.245,71 is a number', async () => {
    const c = await byName('decimal_comma.csv');
    expect(c.ratio).toMatchObject({ kind: 'number', numberFormat: { decimal: ',' } });
    expect(c.ratio.reason).toMatch(/read with decimal commas$/);
    expect(c.score).toMatchObject({ kind: 'number', numberFormat: { decimal: ',' } });
    expect(c.amount).toMatchObject({ kind: 'number', numberFormat: { decimal: ',', thousands: '.' } });
    expect(c.amount.reason).toMatch(/^numbers with '\.' thousands separators and decimal commas/);
    expect(c.city.kind).toBe('category');
  });

  it('euros before and after the number, and accounting negatives with one cell that does not read', async () => {
    const e = await byName('euro.csv');
    expect(e.solde).toMatchObject({ kind: 'number', numberFormat: { decimal: ',', thousands: '.', currency: '€' } });
    expect(e.frais).toMatchObject({ kind: 'number', numberFormat: { decimal: ',', currency: '€' } });
    const a = await byName('accounting.csv');
    expect(a.balance).toMatchObject({ kind: 'number', numberFormat: { thousands: ',', parentheses: true } });
    // (i - 10) * 1234 for i = 0..29: -12340 to 23446; 'lots' does not read
    expect(a.balance.reason).toBe("numbers with ',' thousands separators and negatives in parentheses, -12340–23446 (30 of 31 values read; 1 does not (e.g. 'lots') and count as missing)");
  });

  it('4,5 in a text column is a number with decimal commas, not a list; a bad decimal option is refused', () => {
    const nums = tableFromArrays({ x: ['4,5', '0,438', '12,25', '3'] });
    expect(inferKinds(nums).columns[0]).toMatchObject({ kind: 'number', numberFormat: { decimal: ',' } });
    expect(() => inferKinds(nums, { decimal: ';' as ',' })).toThrow(/decimal must be/);
  });
});

describe('inferKinds: pattern shares at their thresholds', () => {
  const urls = (links: number, others: number): string[] => [
    ...Array.from({ length: links }, (_, i) => `https://example.com/u/${i}`),
    ...Array.from({ length: others }, (_, i) => `plain words ${i}`),
  ];
  it('links in exactly 90 % of the cells make a url column, in 80 % not (the test stops early only where 90 % is out of reach)', () => {
    expect(inferKinds(tableFromArrays({ link: urls(9, 1) })).columns[0].kind).toBe('url');
    expect(inferKinds(tableFromArrays({ link: urls(18, 2) })).columns[0].kind).toBe('url');
    expect(inferKinds(tableFromArrays({ link: urls(8, 2) })).columns[0].kind).not.toBe('url');
    // the failing cells first: the early stop must not cut a share that still reaches 90 %
    expect(inferKinds(tableFromArrays({ link: [...urls(0, 1), ...urls(9, 0)] })).columns[0].kind).toBe('url');
  });

  it('numbers as text in 95 % of the cells read with their format; with 94 % they do not', () => {
    const money = (good: number, bad: number): string[] => [...Array.from({ length: good }, (_, i) => `$${1000 + i}`), ...Array.from({ length: bad }, (_, i) => `none ${i}`)];
    expect(inferKinds(tableFromArrays({ price: money(19, 1) })).columns[0]).toMatchObject({ kind: 'number', numberFormat: { currency: '$' } });
    expect(inferKinds(tableFromArrays({ price: money(47, 3) })).columns[0].kind).not.toBe('number');
  });
});

describe('inferKinds: categories with too many labels', () => {
  /** `rows` rows of a text column cycling through `labels` labels `c0`, `c1`, ... and a number column. */
  function labelled(rows: number, labels: number): ReturnType<typeof tableFromArrays> {
    return tableFromArrays({ city: Array.from({ length: rows }, (_, i) => `c${i % labels}`), spend: Float64Array.from({ length: rows }, (_, i) => (i * 7) % 13) });
  }

  it('makes a category of 1,500 labels an id, not used, and says why and how to use it anyway', () => {
    const city = inferKinds(labelled(4000, 1500)).columns[0];
    expect(city.kind).toBe('id');
    expect(city.use).toBe(false);
    expect(city.distinct).toBe(1500);
    expect(city.reason).toContain('1500 distinct labels, more than the 100 a category may have (maxCategories)');
    expect(city.reason).toContain('give it the category kind to use it anyway');
  });

  it('keeps a category of exactly maxCategories labels, and takes another limit', () => {
    expect(inferKinds(labelled(400, 100)).columns[0].kind).toBe('category');
    expect(inferKinds(labelled(400, 101)).columns[0].kind).toBe('id');
    expect(inferKinds(labelled(4000, 1500), { maxCategories: 1500 }).columns[0].kind).toBe('category');
    expect(inferKinds(labelled(400, 12), { maxCategories: 10 }).columns[0]).toMatchObject({ kind: 'id', use: false });
    expect(() => inferKinds(labelled(10, 2), { maxCategories: 1 })).toThrow(new ParameterError('inferKinds', 'maxCategories', 'maxCategories=1 must be an integer >= 2'));
    expect(() => inferKinds(labelled(10, 2), { maxRows: 0 })).toThrow(new ParameterError('inferKinds', 'maxRows', 'maxRows=0 must be an integer >= 1'));
    expect(() => inferKinds(labelled(10, 2), { maxRows: 2.5 })).toThrow(new ParameterError('inferKinds', 'maxRows', 'maxRows=2.5 must be an integer >= 1'));
  });
});
