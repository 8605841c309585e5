// SPDX-License-Identifier: MIT
/**
 * Column-kind inference: from an Arrow table to a {@link Schema} that says, for each column, what
 * kind of data it holds, why (one sentence), and whether it becomes features by default.
 *
 * The rules, applied in this order, with their thresholds (all deterministic):
 *
 * 1. **empty**: no non-missing value.
 * 2. By storage: Arrow Bool → **flag**; Date, Timestamp or Time → **datetime**.
 * 3. Numeric storage (int, float, decimal):
 *    - **flag**: the only values are 0 and 1.
 *    - **id**: the name has an id word (`id`, `uuid`, `key`, `index`, as a word or a CamelCase
 *      part: `User_ID`, `CustomerID`) and at least {@link ID_SHARE} (90 %) of the non-missing
 *      values are distinct; or the values are all distinct integers that run without a gap
 *      (max − min + 1 = count, at least 20 of them): a row number.
 *    - **count**: all values are integers ≥ 0 and the name has no measurement word (`age`,
 *      `score`, `income`, `time`, `minutes`, `sec`, `rate`, …, see MEASURE_WORDS) and either has
 *      a count word (`likes`, `followers`, `posts`, `count`, …, see COUNT_WORDS) or the values have
 *      a heavy right tail (sample skewness ≥ {@link COUNT_SKEW}, 1.0).
 *    - **number** otherwise.
 * 4. Text storage (on trimmed non-missing values):
 *    - **flag**: the distinct values, ignoring case, are within one pair: true/false, yes/no,
 *      y/n, t/f, on/off, 0/1.
 *    - **url**: at least {@link PATTERN_SHARE} (90 %) start with `http://`, `https://` or `www.`.
 *    - **datetime**: at least 90 % are dates or date-times (ISO `2023-08-01[T12:00[:00]]`,
 *      `01-08-2023`, `1/8/23`, `01.08.2023`, with an optional time; `1 Aug 2023`, `Aug 1, 2023`).
 *    - **range**: every value is an ordered range (`25-34`, `65+`, `0-20k`, `<18`, see
 *      src/data/ranges.ts), at least 2 and at most {@link MAX_LEVELS} (50) levels; levels are listed
 *      in the order of their numbers.
 *    - **number** or **count** written as text: at least {@link NUMBER_TEXT_SHARE} (95 %) of values
 *      are numbers, some with a thousands separator (`1,234`), a percent sign (`12.5%`), a
 *      currency sign (`$1,200`, `1.200,50 €`), a decimal comma (`0,438`) or parentheses;
 *      `numberFormat` says how (src/data/numberFormat.ts decides it and reads them, for every
 *      reader of the column). Decision: such numbers are features (as a careful analyst would
 *      read them), and a percent keeps the number as written (12.5, not 0.125) so profiles show
 *      the figures of the file. The values that do not read count as missing, and the reason
 *      says how many.
 *    - **id**: all values distinct, at least 20 of them, and either the name has an id word or
 *      95 % have no whitespace and they average at most 64 characters (handles, codes, UUIDs).
 *      With an id word, 90 % distinct is enough (duplicated records).
 *    - **list**: one of `,` `;` `|` occurs in at least {@link LIST_SHARE} (10 %) of the values, and
 *      splitting on it gives short items (average ≤ 40 characters) of which there are at most
 *      {@link MAX_LIST_ITEMS} (200) distinct, and fewer than half as many as distinct values
 *      (the items recur: `Gaming, Travel`); the separator is recorded.
 *    - **text**: more than 20 distinct values and more than half of the values distinct.
 *    - **category** otherwise; but a category with more than `maxCategories` (100) distinct
 *      labels is an **id**, not used, with that reason (it would be as many one-hot features).
 *
 * `use` is true for number, count, flag, category, range and list; false for id, text, url,
 * datetime and empty.
 */
import { DataType, Vector, type Data, type Table } from 'apache-arrow';
import { Interner, internChunk, validityOf } from './interner.js';
import { ParameterError } from '../errors.js';
import { orderLevels, parseRange } from './ranges.js';
import { describeNumberFormat, detectNumberFormat, parseNumber } from './numberFormat.js';
import { distinctCount } from './distinctCount.js';
import { skewness } from './skewness.js';
import type { ColumnInfo, ColumnKind, RangeLevel, Schema } from './schema.js';
import { checkValue, integer } from '../constraints.js';

/** Share of distinct values for an id column whose name says id. */
export const ID_SHARE = 0.9;
/** Sample skewness above which non-negative integers are counts (heavy right tail). */
export const COUNT_SKEW = 1;
/** Share of values that must match a URL or date pattern. */
export const PATTERN_SHARE = 0.9;
/** Most levels of an ordered range. */
export const MAX_LEVELS = 50;
/** Share of values that must contain a list separator. */
export const LIST_SHARE = 0.1;
/** Most distinct items of a list column. */
export const MAX_LIST_ITEMS = 200;

const ID_WORDS = new Set(['id', 'ids', 'uuid', 'guid', 'key', 'index', 'idx']);
const MEASURE_WORDS = new Set([
  'age', 'year', 'years', 'yr', 'score', 'rating', 'rank', 'income', 'salary', 'wage', 'price', 'cost', 'amount', 'revenue',
  'spend', 'spending', 'spent', 'balance', 'value', 'time', 'duration', 'minute', 'minutes', 'min', 'mins', 'hour', 'hours',
  'hr', 'hrs', 'second', 'seconds', 'sec', 'secs', 'ms', 'weight', 'height', 'length', 'width', 'size', 'temperature', 'temp',
  'percent', 'percentage', 'pct', 'rate', 'ratio', 'lat', 'latitude', 'lon', 'lng', 'longitude', 'zip', 'zipcode', 'postcode',
  'code', 'k$', 'usd', 'eur', 'dollars', 'distance', 'km', 'miles',
]);
const COUNT_WORDS = new Set([
  'count', 'counts', 'cnt', 'num', 'number', 'n', 'total', 'likes', 'like', 'followers', 'follower', 'following', 'followed',
  'friends', 'views', 'view', 'posts', 'post', 'comments', 'comment', 'shares', 'share', 'messages', 'message', 'clicks',
  'click', 'videos', 'video', 'reactions', 'reaction', 'visits', 'visit', 'sessions', 'session', 'purchases', 'purchase',
  'orders', 'order', 'items', 'accounts', 'downloads', 'installs', 'subscribers', 'retweets', 'replies', 'reviews',
  'transactions', 'logins', 'pages', 'tweets', 'photos', 'children', 'kids', 'members', 'times', 'received', 'sent',
]);
const BOOL_PAIRS = [
  ['true', 'false'],
  ['yes', 'no'],
  ['y', 'n'],
  ['t', 'f'],
  ['on', 'off'],
  ['1', '0'],
];
const URL_RE = /^(https?:\/\/|www\.)\S+/i;
const DATE_RES = [
  /^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/i,
  /^\d{4}\/\d{1,2}\/\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/,
  /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]M)?)?$/i,
  /^\d{1,2}[ -](?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ -,]+\d{2,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/i,
  /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/i,
];
/** Share of a text column's values that must read as numbers for it to be a number column. */
export const NUMBER_TEXT_SHARE = 0.95;

export interface InferOptions {
  /** Rows looked at (default 200,000: the first rows of a larger table). */
  maxRows?: number;
  /**
   * The decimal mark of numbers written as text, when the file or the user says it (a CSV read
   * with decimal commas: its report's `decimal`). Default: from the values, where they leave no
   * other reading (`0,438`, `2.245,71`). With ',' numeric columns also record `decimal: ','` in
   * their `numberFormat`, so that a saved model reads new files the same way.
   */
  decimal?: '.' | ',';
  /** A category with more distinct labels than this is treated as an id (default {@link MAX_CATEGORIES}). */
  maxCategories?: number;
}

/**
 * Most distinct labels of a category column: one with more (a city, a product code) would become
 * that many one-hot features, most of them a handful of rows each, and rule the distances.
 */
export const MAX_CATEGORIES = 100;

/**
 * A category column with more than `maxCategories` distinct labels, made an id (not used) with
 * its reason; any other column as it is.
 */
function tooManyCategories(info: Omit<ColumnInfo, 'use'>, maxCategories: number): Omit<ColumnInfo, 'use'> {
  if (info.kind !== 'category' || info.distinct <= maxCategories) return info;
  return {
    ...info,
    kind: 'id',
    reason: `${info.distinct} distinct labels, more than the ${maxCategories} a category may have (maxCategories): treated as an id and not used rather than one-hot encoded into ${info.distinct} features; give it the category kind to use it anyway`,
  };
}

/** The words of a column name: split at non-letters and CamelCase humps, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9$]+/)
    .filter(Boolean);
}

/**
 * Reads a number written with the given format (`1,234`, `12.5%`, `$1,200`), or NaN.
 * @deprecated the same as {@link parseNumber} in src/data/numberFormat.ts, the one number reader.
 */
export const parseFormattedNumber = parseNumber;

function isNumericType(t: DataType): boolean {
  return DataType.isInt(t) || DataType.isFloat(t) || DataType.isDecimal(t);
}

interface NumStats {
  n: number;
  distinct: number;
  allInt: boolean;
  nonNeg: boolean;
  onlyZeroOne: boolean;
  min: number;
  max: number;
  skew: number;
}

/**
 * The statistics the numeric rules read, over `values` (finite numbers).
 */
function numericStats(values: Float64Array): NumStats {
  const n = values.length;
  let allInt = true;
  let nonNeg = true;
  let onlyZeroOne = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (allInt && !Number.isInteger(v)) allInt = false;
    if (v < 0) nonNeg = false;
    if (v !== 0 && v !== 1) onlyZeroOne = false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const { skew } = skewness(values);
  return { n, distinct: distinctCount(values), allInt, nonNeg, onlyZeroOne, min, max, skew: Number.isNaN(skew) ? 0 : skew };
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));

function inferNumeric(name: string, values: Float64Array, missing: number): Omit<ColumnInfo, 'use'> {
  const s = numericStats(values);
  const words = nameWords(name);
  const base = { name, missing, distinct: s.distinct };
  if (s.onlyZeroOne) return { ...base, kind: 'flag', reason: `only the values 0 and 1` };
  const idWord = words.find((w) => ID_WORDS.has(w));
  if (idWord && s.distinct >= ID_SHARE * s.n) {
    return { ...base, kind: 'id', reason: `the name says '${idWord}' and ${s.distinct} of ${s.n} values are distinct` };
  }
  if (s.allInt && s.distinct === s.n && s.n >= 20 && s.max - s.min + 1 === s.n) {
    return { ...base, kind: 'id', reason: `distinct integers ${fmt(s.min)}…${fmt(s.max)} without a gap: a row number` };
  }
  if (s.allInt && s.nonNeg) {
    const measure = words.find((w) => MEASURE_WORDS.has(w));
    const counted = words.find((w) => COUNT_WORDS.has(w));
    if (!measure && counted) return { ...base, kind: 'count', reason: `integers ≥ 0 (${fmt(s.min)}–${fmt(s.max)}) and the name says '${counted}'` };
    if (!measure && s.skew >= COUNT_SKEW) return { ...base, kind: 'count', reason: `integers ≥ 0 (${fmt(s.min)}–${fmt(s.max)}) with a heavy right tail, skewness ${s.skew.toFixed(1)}` };
    if (measure) return { ...base, kind: 'number', reason: `integers ${fmt(s.min)}–${fmt(s.max)}, a measurement by its name ('${measure}'), not a count` };
    return { ...base, kind: 'number', reason: `integers ${fmt(s.min)}–${fmt(s.max)}, skewness ${s.skew.toFixed(1)} < ${COUNT_SKEW} and no count word in the name` };
  }
  return { ...base, kind: 'number', reason: `${s.allInt ? 'integers' : 'real numbers'} ${fmt(s.min)}–${fmt(s.max)}` };
}

/**
 * The share of values passing `test`, testing each distinct value once (`counts`: value → count,
 * `n` values); 0 as soon as the share can no longer reach `atLeast` (a column of 10^5 distinct
 * texts is not tested in full against every pattern it plainly fails).
 */
function shareOfCounted(counts: Map<string, number>, n: number, test: (v: string) => boolean, atLeast: number): number {
  if (!n) return 0;
  let k = 0;
  let failed = 0;
  for (const [v, c] of counts) {
    if (test(v)) k += c;
    // (n − failed) / n bounds the share from above, computed as the share itself is
    else if ((n - (failed += c)) / n < atLeast) return 0;
  }
  return k / n;
}

const DIGIT_RE = /\d/;

/**
 * The kind of a text column from its trimmed values counted (`counts`: value → cells, `n` cells
 * in all, `first` the first of them), each distinct value tested once.
 */
function inferText(name: string, counts: Map<string, number>, n: number, first: string, missing: number, decimal?: '.' | ','): Omit<ColumnInfo, 'use'> {
  const distinct = counts.size;
  const base = { name, missing, distinct };
  const words = nameWords(name);

  const lower = new Set([...counts.keys()].map((v) => v.toLowerCase()));
  const pair = BOOL_PAIRS.find((p) => [...lower].every((v) => p.includes(v)));
  if (pair) return { ...base, kind: 'flag', reason: `the values are ${[...counts.keys()].join('/')}` };

  const urls = shareOfCounted(counts, n, (v) => URL_RE.test(v), PATTERN_SHARE);
  if (urls >= PATTERN_SHARE) return { ...base, kind: 'url', reason: `${Math.round(urls * 100)} % of the values are links` };

  const dates = shareOfCounted(counts, n, (v) => DATE_RES.some((re) => re.test(v)), PATTERN_SHARE);
  if (dates >= PATTERN_SHARE) return { ...base, kind: 'datetime', reason: `${Math.round(dates * 100)} % of the values are dates (e.g. '${first}')` };

  if (distinct >= 2 && distinct <= MAX_LEVELS) {
    const levels: RangeLevel[] = [];
    let all = true;
    for (const v of counts.keys()) {
      const r = parseRange(v);
      if (!r) {
        all = false;
        break;
      }
      levels.push(r);
    }
    if (all) {
      const ordered = orderLevels(levels);
      return { ...base, kind: 'range', reason: `all ${distinct} distinct values are ordered ranges (${ordered.map((l) => l.text).join(' < ')})`, levels: ordered };
    }
  }

  // numbers written as text: separators, signs, decimal commas (src/data/numberFormat.ts); a
  // number has a digit, so a column with too few digits is not read for a format.
  const digits = shareOfCounted(counts, n, (v) => DIGIT_RE.test(v), NUMBER_TEXT_SHARE);
  const detected = digits >= NUMBER_TEXT_SHARE ? detectNumberFormat(counts, decimal) : null;
  if (detected !== null && detected.formatted > 0 && detected.numeric >= NUMBER_TEXT_SHARE * n) {
    const format = detected.format;
    const nums: number[] = [];
    for (const [v, c] of counts) {
      const x = parseNumber(v, format);
      if (!Number.isNaN(x)) for (let r = 0; r < c; r++) nums.push(x);
    }
    const s = numericStats(Float64Array.from(nums));
    const kind: ColumnKind = s.allInt && s.nonNeg && !format.percent && format.currency === undefined && words.some((w) => COUNT_WORDS.has(w)) ? 'count' : 'number';
    const bad = detected.numeric < n ? `; ${n - detected.numeric} ${n - detected.numeric === 1 ? 'does' : 'do'} not (e.g. '${detected.firstBad}') and count as missing` : '';
    return { ...base, kind, reason: `${describeNumberFormat(format)}, ${fmt(s.min)}–${fmt(s.max)} (${detected.numeric} of ${n} values read${bad})`, numberFormat: format };
  }

  const idWord = words.find((w) => ID_WORDS.has(w));
  if (distinct === n && n >= 20) {
    const compact = shareOfCounted(counts, n, (v) => !/\s/.test(v), 0.95);
    let length = 0;
    for (const [v, c] of counts) length += v.length * c;
    const avgLen = length / n;
    if (idWord || (compact >= 0.95 && avgLen <= 64)) {
      return { ...base, kind: 'id', reason: idWord ? `the name says '${idWord}' and all ${n} values are distinct` : `all ${n} values are distinct short codes without spaces` };
    }
  }
  if (idWord && distinct >= ID_SHARE * n && n >= 20) {
    return { ...base, kind: 'id', reason: `the name says '${idWord}' and ${distinct} of ${n} values are distinct` };
  }

  for (const sep of [',', ';', '|']) {
    let withSep = 0;
    for (const [v, c] of counts) if (v.includes(sep)) withSep += c;
    if (withSep < LIST_SHARE * n) continue;
    const items = new Map<string, number>();
    let itemCount = 0;
    let itemLen = 0;
    for (const [v, c] of counts) {
      for (const part of v.split(sep)) {
        const item = part.trim();
        if (!item) continue;
        items.set(item, (items.get(item) ?? 0) + c);
        itemCount += c;
        itemLen += item.length * c;
      }
    }
    if (items.size <= MAX_LIST_ITEMS && items.size < 0.5 * distinct && itemLen / itemCount <= 40) {
      return {
        ...base,
        kind: 'list',
        reason: `${Math.round((100 * withSep) / n)} % of the values hold several items separated by '${sep}', ${items.size} distinct items in all`,
        separator: sep,
        distinct: items.size,
      };
    }
  }

  if (distinct > 20 && distinct > 0.5 * n) return { ...base, kind: 'text', reason: `${distinct} distinct values in ${n}: free text` };
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 4).map(([v]) => v);
  return { ...base, kind: 'category', reason: `${distinct} distinct label${distinct === 1 ? '' : 's'} (${top.join(', ')}${distinct > 4 ? ', …' : ''})` };
}

const USED: Record<ColumnKind, boolean> = {
  number: true,
  count: true,
  flag: true,
  category: true,
  range: true,
  list: true,
  id: false,
  text: false,
  url: false,
  datetime: false,
  empty: false,
};

/** Non-missing values of a column in its first `rows` rows, and the number of missing ones. */
function columnValues(col: Vector, rows: number): { values: unknown[]; missing: number } {
  const values: unknown[] = [];
  let missing = 0;
  let i = 0;
  for (const v of col) {
    if (i++ >= rows) break;
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || v === '') missing++;
    else values.push(v);
  }
  return { values, missing };
}

/** The numbers of a numeric column in its first `rows` rows (null and NaN are missing), read from its typed arrays. */
function columnNumbers(col: Vector, rows: number): { values: Float64Array; missing: number } {
  const values = new Float64Array(Math.min(rows, col.length));
  let count = 0;
  let missing = 0;
  let seen = 0;
  for (const data of col.data as Data[]) {
    const m = Math.min(data.length, rows - seen);
    const typed = data.values as ArrayLike<number | bigint> | undefined;
    if (DataType.isDecimal(data.type) || typed === undefined) {
      const chunk = new Vector([data]);
      for (let i = 0; i < m; i++) {
        const v: unknown = chunk.get(i);
        const x = v === null || v === undefined ? NaN : Number(v);
        if (Number.isNaN(x)) missing++;
        else values[count++] = x;
      }
    } else if (data.nullCount === 0 && !(typed instanceof BigInt64Array || typed instanceof BigUint64Array)) {
      const numbers = typed as ArrayLike<number>;
      for (let i = 0; i < m; i++) {
        const x = numbers[i];
        if (Number.isNaN(x)) missing++;
        else values[count++] = x;
      }
    } else {
      const valid = validityOf(data);
      for (let i = 0; i < m; i++) {
        const x = valid(i) ? Number(typed[i]) : NaN;
        if (Number.isNaN(x)) missing++;
        else values[count++] = x;
      }
    }
    seen += m;
    if (seen >= rows) break;
  }
  return { values: values.subarray(0, count), missing };
}

/**
 * The trimmed values of a text column in its first `rows` rows, counted: each distinct text is
 * decoded once (from its UTF-8 bytes, or its dictionary entry), not each cell. An empty cell is
 * missing, as a null is.
 */
function columnTexts(col: Vector, rows: number): { counts: Map<string, number>; n: number; first: string; missing: number } {
  const interner = new Interner();
  const ids = new Int32Array(Math.min(rows, col.length));
  let seen = 0;
  for (const data of col.data as Data[]) {
    const m = Math.min(data.length, rows - seen);
    internChunk(m < data.length ? data.slice(0, m) : data, interner, ids, seen);
    seen += m;
    if (seen >= rows) break;
  }
  // Cells per label id; an empty text is missing, as a null is.
  const cells = new Float64Array(interner.labels.length);
  let missing = 0;
  let firstId = -1;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < 0 || interner.labels[id] === '') {
      missing++;
      continue;
    }
    cells[id]++;
    if (firstId < 0) firstId = id;
  }
  const counts = new Map<string, number>();
  let n = 0;
  interner.labels.forEach((label, id) => {
    const c = cells[id];
    if (c === 0) return;
    const key = label.trim();
    counts.set(key, (counts.get(key) ?? 0) + c);
    n += c;
  });
  return { counts, n, first: firstId < 0 ? '' : interner.labels[firstId].trim(), missing };
}

/**
 * Infers the kind of every column of an Arrow table (see the module comment for the rules and
 * thresholds). Looks at the first `maxRows` rows (default 200,000). O(rows × columns).
 * @returns the {@link Schema}, one {@link ColumnInfo} per column in table order.
 * @example
 * const { table } = await readTable('user_profiles_for_ads.csv');
 * const schema = inferKinds(table);
 * const age = schema.columns.find((c) => c.name === 'Age');
 * age; // { name: 'Age', kind: 'range', use: true, … }
 * age?.levels?.map((l) => l.text); // ['18-24', '25-34', '35-44', '45-54', '55-64', '65+']
 */
export function inferKinds(table: Table, options: InferOptions = {}): Schema {
  const maxRows = options.maxRows ?? 200_000;
  checkValue('inferKinds', 'maxRows', maxRows, integer({ min: 1 }));
  if (options.decimal !== undefined && options.decimal !== '.' && options.decimal !== ',') {
    throw new ParameterError('inferKinds', 'decimal', `decimal must be '.' or ',', got ${JSON.stringify(options.decimal)}`);
  }
  const maxCategories = options.maxCategories ?? MAX_CATEGORIES;
  checkValue('inferKinds', 'maxCategories', maxCategories, integer({ min: 2 }));
  const rows = Math.min(table.numRows, maxRows);
  const columns: ColumnInfo[] = table.schema.fields.map((field, j) => {
    const col = table.getChildAt(j)!;
    const name = field.name;
    const t = field.type;
    const empty = (missing: number): Omit<ColumnInfo, 'use'> => ({ name, kind: 'empty', reason: rows === 0 ? 'the table has no rows' : `all ${rows} values are missing`, missing, distinct: 0 });
    let info: Omit<ColumnInfo, 'use'>;
    if (isNumericType(t)) {
      const { values, missing } = columnNumbers(col, rows);
      info = values.length === 0 ? empty(missing) : inferNumeric(name, values, missing);
      if (options.decimal === ',' && (info.kind === 'number' || info.kind === 'count')) {
        info = { ...info, reason: `${info.reason}, read with decimal commas`, numberFormat: { decimal: ',' } };
      }
    } else if (DataType.isUtf8(t) || (DataType.isDictionary(t) && DataType.isUtf8(t.dictionary))) {
      const { counts, n, first, missing } = columnTexts(col, rows);
      info = n === 0 ? empty(missing) : inferText(name, counts, n, first, missing, options.decimal);
    } else {
      const { values, missing } = columnValues(col, rows);
      if (values.length === 0) info = empty(missing);
      else if (DataType.isBool(t)) info = { name, kind: 'flag', reason: 'true/false values', missing, distinct: new Set(values).size };
      else if (DataType.isDate(t) || DataType.isTimestamp(t) || DataType.isTime(t)) info = { name, kind: 'datetime', reason: `stored as ${t}`, missing, distinct: new Set(values.map(String)).size };
      else if (DataType.isLargeUtf8(t)) {
        const counts = new Map<string, number>();
        for (const v of values) counts.set(String(v).trim(), (counts.get(String(v).trim()) ?? 0) + 1);
        info = inferText(name, counts, values.length, String(values[0]).trim(), missing, options.decimal);
      } else info = { name, kind: 'text', reason: `stored as ${t}, not a kind that makes features`, missing, distinct: new Set(values.map(String)).size };
    }
    info = tooManyCategories(info, maxCategories);
    return { ...info, use: USED[info.kind] };
  });
  return { columns, rowsSeen: rows };
}
