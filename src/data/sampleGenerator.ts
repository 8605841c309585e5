// SPDX-License-Identifier: MIT
/**
 * A deterministic generator of realistic user data with planted segments, in the columns of the
 * ads-audience file (user_profiles_for_ads.csv: age and income ranges, gender, location,
 * language, education, device, an interests list, time online, likes, CTR, conversion, ad time)
 * plus two heavy-tailed engagement counts (Followers: log-normal; Likes Received: Pareto).
 *
 * Rows come as Arrow RecordBatches of `chunkSize` rows, each with the planted segment of its
 * rows, so that 10^7 rows stream to a writer without being held. One random stream is consumed
 * row after row, so a seed gives the same rows whatever the chunk size. Categories are
 * dictionary-encoded (one shared dictionary per column), the interests list is UTF-8 text
 * (`Gaming, DIY Crafts`) as in the file.
 */
import * as arrow from 'apache-arrow';
import { ParameterError } from '../errors.js';
import { Random } from '../random.js';
import type { ColumnInfo, ColumnKind, RangeLevel, Schema } from './schema.js';
import { checkValue, integer } from '../constraints.js';

export interface SampleOptions {
  /** Rows to generate, ≥ 1. */
  rows: number;
  /** Default 42. */
  seed?: number;
  /** Rows per RecordBatch. Default 65,536. */
  chunkSize?: number;
  /** Planted segments, 1..6. Default 5. */
  segments?: number;
  /** Fraction (0..0.5) of cells left empty in the columns that take missing values. Default 0. */
  missing?: number;
  /** Add the planted segment as a last Int32 column `Segment`. Default false. */
  segmentColumn?: boolean;
}

/** One generated chunk: its batch, the planted segment of each row, and its first row. */
export interface SampleChunk {
  batch: arrow.RecordBatch;
  segment: Int32Array;
  start: number;
}

const AGE = ['18-24', '25-34', '35-44', '45-54', '55-64', '65+'];
const GENDER = ['Female', 'Male'];
const LOCATION = ['Urban', 'Suburban', 'Rural'];
const LANGUAGE = ['English', 'Spanish', 'Mandarin', 'Hindi'];
const EDUCATION = ['High School', 'Bachelor', 'Master', 'PhD', 'Technical'];
const DEVICE = ['Mobile Only', 'Desktop Only', 'Mobile + Desktop', 'Tablet'];
const INCOME = ['0-20k', '20k-40k', '40k-60k', '60k-80k', '80k-100k', '100k+'];
const INTERESTS = [
  'Digital Marketing', 'Investing and Finance', 'Music Production', 'Fitness and Wellness',
  'Eco-Friendly Living', 'Fashion Modelling', 'Gourmet Cooking', 'Reading and Literature',
  'Gaming', 'Pet Care', 'Travel and Adventure', 'Software Engineering',
  'DIY Crafts', 'Photography', 'Data Science', 'Gardening',
];

/** The value sets of the generated category and range columns (those of the ads-audience file). */
export const SAMPLE_VALUES = {
  Age: AGE,
  Gender: GENDER,
  Location: LOCATION,
  Language: LANGUAGE,
  'Education Level': EDUCATION,
  'Device Usage': DEVICE,
  'Income Level': INCOME,
  'Top Interests': INTERESTS,
} as const;

/** [column, low, high, decimals] for the numeric columns, the ranges of the ads-audience file. */
const NUMERIC: Array<[string, number, number, number]> = [
  ['Likes and Reactions', 101, 9973, 0],
  ['Followed Accounts', 10, 498, 0],
  ['Time Spent Online (hrs/weekday)', 0.5, 5, 1],
  ['Time Spent Online (hrs/weekend)', 1, 8, 1],
  ['Click-Through Rates (CTR)', 0, 0.25, 3],
  ['Conversion Rates', 0, 0.1, 3],
  ['Ad Interaction Time (sec)', 5, 179, 0],
];

interface Profile {
  name: string;
  share: number;
  age: number[];
  gender: number[];
  location: number[];
  language: number[];
  education: number[];
  device: number[];
  income: number[];
  /** Weight of each interest. */
  interests: number[];
  /** Mean and standard deviation of each NUMERIC column. */
  numeric: Array<[number, number]>;
  /** Followers ~ exp(N(mu, sigma)). */
  followers: [number, number];
  /** Likes Received ~ Pareto(scale, alpha). */
  likesReceived: [number, number];
}

const flat = (k: number): number[] => new Array<number>(k).fill(1);
const favour = (k: number, picks: number[], weight: number): number[] => flat(k).map((w, i) => (picks.includes(i) ? weight : w));

const PROFILES: Profile[] = [
  {
    name: 'young gamers',
    share: 0.3,
    age: [6, 4, 1, 0.3, 0.1, 0.05],
    gender: [0.35, 0.65],
    location: [5, 3, 1],
    language: flat(4),
    education: [4, 3, 1, 0.3, 2],
    device: [8, 0.5, 1.5, 0.5],
    income: [4, 4, 2, 1, 0.5, 0.3],
    interests: favour(16, [8, 2, 13, 10], 12),
    numeric: [[8200, 900], [420, 40], [4.2, 0.4], [7.0, 0.5], [0.05, 0.02], [0.02, 0.008], [35, 12]],
    followers: [Math.log(300), 0.8],
    likesReceived: [40, 2.2],
  },
  {
    name: 'career investors',
    share: 0.2,
    age: [0.2, 2, 5, 4, 1, 0.2],
    gender: [0.45, 0.55],
    location: [5, 4, 0.5],
    language: [3, 1, 2, 2],
    education: [0.3, 3, 5, 3, 1],
    device: [0.5, 8, 2, 0.5],
    income: [0.1, 0.3, 1, 3, 5, 6],
    interests: favour(16, [1, 14, 11, 0], 12),
    numeric: [[2500, 700], [140, 35], [3.6, 0.4], [1.8, 0.4], [0.2, 0.02], [0.08, 0.008], [120, 15]],
    followers: [Math.log(150), 0.6],
    likesReceived: [20, 2.5],
  },
  {
    name: 'lifestyle creators',
    share: 0.15,
    age: [2, 6, 2, 0.5, 0.1, 0.05],
    gender: [0.7, 0.3],
    location: [7, 2, 0.5],
    language: [3, 2, 1, 1],
    education: [1, 4, 2, 0.3, 1],
    device: [2, 0.3, 8, 0.5],
    income: [0.5, 1, 3, 3, 2, 1],
    interests: favour(16, [5, 13, 10, 3], 12),
    numeric: [[9300, 450], [300, 50], [2.6, 0.4], [5.6, 0.5], [0.13, 0.02], [0.05, 0.01], [90, 15]],
    followers: [Math.log(8000), 1.3],
    likesReceived: [2000, 1.3],
  },
  {
    name: 'retired readers',
    share: 0.2,
    age: [0.05, 0.1, 0.3, 1, 5, 4],
    gender: [0.55, 0.45],
    location: [1, 4, 5],
    language: flat(4),
    education: [3, 3, 1, 0.5, 2],
    device: [0.5, 2, 0.5, 8],
    income: [1, 3, 4, 2, 1, 0.5],
    interests: favour(16, [7, 15, 6, 9], 12),
    numeric: [[1300, 600], [60, 25], [1.0, 0.3], [3.0, 0.5], [0.1, 0.025], [0.03, 0.01], [155, 12]],
    followers: [Math.log(60), 0.7],
    likesReceived: [10, 2.8],
  },
  {
    name: 'eco bargain hunters',
    share: 0.15,
    age: [1, 3, 4, 3, 1, 0.3],
    gender: [0.6, 0.4],
    location: [2, 3, 4],
    language: [1, 3, 1, 3],
    education: [2, 3, 2, 0.5, 3],
    device: [3, 2, 3, 1],
    income: [2, 5, 4, 1, 0.3, 0.1],
    interests: favour(16, [4, 12, 15, 6], 12),
    numeric: [[5200, 800], [240, 40], [2.0, 0.35], [4.6, 0.5], [0.22, 0.015], [0.015, 0.006], [70, 15]],
    followers: [Math.log(400), 0.9],
    likesReceived: [60, 2.0],
  },
  {
    name: 'night streamers',
    share: 0.1,
    age: [4, 4, 1, 0.2, 0.05, 0.02],
    gender: [0.4, 0.6],
    location: [6, 2, 1],
    language: [1, 1, 3, 3],
    education: [2, 2, 1, 0.5, 4],
    device: [1, 5, 4, 0.3],
    income: [2, 3, 3, 2, 1, 0.5],
    interests: favour(16, [2, 8, 11, 0], 12),
    numeric: [[6500, 700], [470, 20], [4.8, 0.15], [4.0, 0.5], [0.03, 0.01], [0.09, 0.006], [15, 6]],
    followers: [Math.log(1500), 1.0],
    likesReceived: [300, 1.6],
  },
];

/** The names of the planted segments, in the order of their labels. */
export const SAMPLE_SEGMENT_NAMES: readonly string[] = PROFILES.map((p) => p.name);

/** Columns that receive missing cells when `missing` > 0. */
const MISSING_COLUMNS = new Set(['Age', 'Education Level', 'Income Level', 'Time Spent Online (hrs/weekday)', 'Click-Through Rates (CTR)', 'Followers', 'Top Interests']);

const CATEGORIES: Array<[string, readonly string[], keyof Pick<Profile, 'age' | 'gender' | 'location' | 'language' | 'education' | 'device' | 'income'>]> = [
  ['Age', AGE, 'age'],
  ['Gender', GENDER, 'gender'],
  ['Location', LOCATION, 'location'],
  ['Language', LANGUAGE, 'language'],
  ['Education Level', EDUCATION, 'education'],
  ['Device Usage', DEVICE, 'device'],
  ['Income Level', INCOME, 'income'],
];

/** The column names in order, as in the ads-audience file, then the heavy-tailed counts. */
export const SAMPLE_COLUMNS: readonly string[] = [
  'User ID', 'Age', 'Gender', 'Location', 'Language', 'Education Level', 'Likes and Reactions',
  'Followed Accounts', 'Device Usage', 'Time Spent Online (hrs/weekday)', 'Time Spent Online (hrs/weekend)',
  'Click-Through Rates (CTR)', 'Conversion Rates', 'Ad Interaction Time (sec)', 'Income Level', 'Top Interests',
  'Followers', 'Likes Received',
];

/** The kind of each generated column, as the Schema contract names them. */
export const SAMPLE_KINDS: Readonly<Record<string, ColumnKind>> = {
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
  'Ad Interaction Time (sec)': 'count',
  'Income Level': 'range',
  'Top Interests': 'list',
  Followers: 'count',
  'Likes Received': 'count',
  Segment: 'id',
};

function rangeLevels(texts: readonly string[]): RangeLevel[] {
  return texts.map((text) => {
    const m = /^(\d+)(k?)(?:-(\d+)(k?)|\+)$/.exec(text);
    const unit = (k: string | undefined): number => (k === 'k' ? 1000 : 1);
    if (m === null) return { text, low: NaN, high: NaN };
    const low = Number(m[1]) * unit(m[2] || m[4]);
    const high = m[3] === undefined ? Infinity : Number(m[3]) * unit(m[4]);
    return { text, low, high };
  });
}

/**
 * The Schema of a generated table as the generator knows it (the kinds it plants), with the
 * missing and distinct counts measured on `table`. Lets tests and demos run the Pipeline without
 * inference.
 */
export function sampleSchema(table: arrow.Table): Schema {
  const columns: ColumnInfo[] = table.schema.fields.map((f) => {
    const kind = SAMPLE_KINDS[f.name] ?? 'number';
    const vector = table.getChild(f.name) as arrow.Vector;
    const values = SAMPLE_VALUES[f.name as keyof typeof SAMPLE_VALUES] as readonly string[] | undefined;
    const info: ColumnInfo = {
      name: f.name,
      kind,
      reason: 'declared by the sample generator',
      use: kind !== 'id',
      missing: vector.nullCount,
      distinct: values?.length ?? distinctCount(vector),
    };
    if (kind === 'range') info.levels = rangeLevels(values ?? []);
    if (kind === 'list') info.separator = ',';
    return info;
  });
  return { columns, rowsSeen: table.numRows };
}

function distinctCount(vector: arrow.Vector): number {
  const seen = new Set<unknown>();
  for (let i = 0; i < vector.length; i++) {
    const v: unknown = vector.get(i);
    if (v !== null) seen.add(v);
  }
  return seen.size;
}

/** Cumulative, normalised weights. */
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w / total;
    out[i] = acc;
  });
  out[weights.length - 1] = 1;
  return out;
}

function pick(cum: Float64Array, u: number): number {
  let i = 0;
  while (i < cum.length - 1 && u >= cum[i]) i++;
  return i;
}

function validate(options: SampleOptions): Required<SampleOptions> {
  const fn = 'generateSample';
  const o = { seed: 42, chunkSize: 65_536, segments: 5, missing: 0, segmentColumn: false, ...options };
  checkValue(fn, 'rows', o.rows, integer({ min: 1 }));
  checkValue(fn, 'chunkSize', o.chunkSize, integer({ min: 1 }));
  if (!Number.isInteger(o.segments) || o.segments < 1 || o.segments > PROFILES.length) {
    throw new ParameterError(fn, 'segments', `segments=${o.segments} must be an integer from 1 to ${PROFILES.length}`);
  }
  if (!(o.missing >= 0 && o.missing <= 0.5)) throw new ParameterError(fn, 'missing', `missing=${o.missing} must be a fraction from 0 to 0.5`);
  if (!Number.isFinite(o.seed)) throw new ParameterError(fn, 'seed', `seed=${o.seed} must be a number`);
  if (o.rows > 2 ** 31 - 2) throw new ParameterError(fn, 'rows', `rows=${o.rows} is more than the Int32 User ID holds`);
  return o;
}

/**
 * Generates `rows` users in chunks: each chunk's RecordBatch (the SAMPLE_COLUMNS, plus `Segment`
 * on request) and the planted segment of its rows. Segment shares are 30/20/15/20/15/10 %
 * renormalised over the segments asked for. O(rows) time; memory of one chunk.
 * @example
 * for (const { batch, segment } of generateSample({ rows: 1000, seed: 1, chunkSize: 500 })) {
 *   batch.numRows; // 500
 * }
 */
export function* generateSample(options: SampleOptions): Generator<SampleChunk> {
  const o = validate(options);
  const rng = new Random(o.seed);
  const profiles = PROFILES.slice(0, o.segments);
  const shareCum = cumulative(profiles.map((p) => p.share));
  const catCum = profiles.map((p) => CATEGORIES.map(([, , key]) => cumulative(p[key])));
  const interestWeights = profiles.map((p) => p.interests);

  // Shared dictionaries (one Data per column, so Arrow IPC writes each once) with fixed ids.
  const dictTypes = CATEGORIES.map(([, values], k) => {
    const dictionary = arrow.vectorFromArray([...values], new arrow.Utf8());
    return { type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int8(), k, false), dictionary };
  });
  const encoder = new TextEncoder();
  const itemBytes = INTERESTS.map((s) => encoder.encode(s));
  const sepBytes = encoder.encode(', ');

  const fields: arrow.Field[] = [];
  const nullable = (name: string): boolean => o.missing > 0 && MISSING_COLUMNS.has(name);
  for (const name of SAMPLE_COLUMNS) {
    const c = CATEGORIES.findIndex(([n]) => n === name);
    let type: arrow.DataType;
    if (c >= 0) type = dictTypes[c].type;
    else if (name === 'Top Interests') type = new arrow.Utf8();
    else if (name === 'User ID' || name === 'Followers' || name === 'Likes Received') type = new arrow.Int32();
    else {
      const spec = NUMERIC.find(([n]) => n === name) as [string, number, number, number];
      type = spec[3] === 0 ? new arrow.Int32() : new arrow.Float64();
    }
    fields.push(new arrow.Field(name, type, nullable(name)));
  }
  if (o.segmentColumn) fields.push(new arrow.Field('Segment', new arrow.Int32(), false));
  const schema = new arrow.Schema(fields);

  let spare = NaN;
  const gaussian = (): number => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = NaN;
      return s;
    }
    const u = 1 - rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * rng.next();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };

  const nCat = CATEGORIES.length;
  const nNum = NUMERIC.length;
  const numIsInt = NUMERIC.map(([, , , dec]) => dec === 0);
  const numScale = NUMERIC.map(([, , , dec]) => 10 ** dec);
  const catMissing = CATEGORIES.map(([name]) => nullable(name));
  const numMissing = NUMERIC.map(([name]) => nullable(name));
  const weights = new Float64Array(INTERESTS.length);

  for (let start = 0; start < o.rows; start += o.chunkSize) {
    const n = Math.min(o.chunkSize, o.rows - start);
    const bitmapBytes = (n + 7) >> 3;
    const segment = new Int32Array(n);
    const userId = new Int32Array(n);
    const cats = CATEGORIES.map(() => new Int8Array(n));
    const catValid = CATEGORIES.map(() => new Uint8Array(bitmapBytes).fill(255));
    const catNulls = new Int32Array(nCat);
    const nums = NUMERIC.map((_, j) => (numIsInt[j] ? new Int32Array(n) : new Float64Array(n)));
    const numValid = NUMERIC.map(() => new Uint8Array(bitmapBytes).fill(255));
    const numNulls = new Int32Array(nNum);
    const followers = new Int32Array(n);
    const followersValid = new Uint8Array(bitmapBytes).fill(255);
    let followersNulls = 0;
    const likesReceived = new Int32Array(n);
    const listOffsets = new Int32Array(n + 1);
    let listBytes = new Uint8Array(n * 48 + 64);
    let listEnd = 0;
    const listValid = new Uint8Array(bitmapBytes).fill(255);
    let listNulls = 0;
    const clearBit = (bitmap: Uint8Array, i: number): void => {
      bitmap[i >> 3] &= ~(1 << (i & 7));
    };
    const missing = o.missing;

    for (let i = 0; i < n; i++) {
      const s = pick(shareCum, rng.next());
      const p = profiles[s];
      segment[i] = s;
      userId[i] = start + i + 1;
      for (let c = 0; c < nCat; c++) {
        cats[c][i] = pick(catCum[s][c], rng.next());
        if (catMissing[c] && rng.next() < missing) {
          clearBit(catValid[c], i);
          catNulls[c]++;
        }
      }
      for (let j = 0; j < nNum; j++) {
        const [, lo, hi] = NUMERIC[j];
        const [mean, sd] = p.numeric[j];
        const v = Math.min(hi, Math.max(lo, mean + sd * gaussian()));
        nums[j][i] = Math.round(v * numScale[j]) / (numIsInt[j] ? 1 : numScale[j]);
        if (numMissing[j] && rng.next() < missing) {
          clearBit(numValid[j], i);
          numNulls[j]++;
          nums[j][i] = 0;
        }
      }
      followers[i] = Math.min(2 ** 31 - 1, Math.round(Math.exp(p.followers[0] + p.followers[1] * gaussian())));
      if (o.missing > 0 && rng.next() < missing) {
        clearBit(followersValid, i);
        followersNulls++;
        followers[i] = 0;
      }
      likesReceived[i] = Math.min(2 ** 31 - 1, Math.round(p.likesReceived[0] * (1 - rng.next()) ** (-1 / p.likesReceived[1])));
      // 1 to 4 distinct interests, drawn without replacement by the segment's weights.
      const count = 1 + rng.int(4);
      weights.set(interestWeights[s]);
      if (listEnd + 100 > listBytes.length) {
        const bigger = new Uint8Array(listBytes.length * 2);
        bigger.set(listBytes.subarray(0, listEnd));
        listBytes = bigger;
      }
      let total = 0;
      for (let k = 0; k < weights.length; k++) total += weights[k];
      for (let t = 0; t < count; t++) {
        let u = rng.next() * total;
        let k = 0;
        while (k < weights.length - 1 && (weights[k] === 0 || u >= weights[k])) {
          u -= weights[k];
          k++;
        }
        while (weights[k] === 0 && k > 0) k--; // rounding at the end of the scan
        total -= weights[k];
        weights[k] = 0;
        if (t > 0) {
          listBytes.set(sepBytes, listEnd);
          listEnd += sepBytes.length;
        }
        listBytes.set(itemBytes[k], listEnd);
        listEnd += itemBytes[k].length;
      }
      if (o.missing > 0 && rng.next() < missing) {
        clearBit(listValid, i);
        listNulls++;
        listEnd = listOffsets[i];
      }
      listOffsets[i + 1] = listEnd;
    }

    const children: arrow.Data[] = [];
    for (const f of fields) {
      const name = f.name;
      const c = CATEGORIES.findIndex(([cn]) => cn === name);
      const j = NUMERIC.findIndex(([nn]) => nn === name);
      if (c >= 0) {
        children.push(arrow.makeData({ type: dictTypes[c].type, length: n, nullCount: catNulls[c], nullBitmap: catNulls[c] > 0 ? catValid[c] : null, data: cats[c], dictionary: dictTypes[c].dictionary }));
      } else if (j >= 0) {
        const common = { length: n, nullCount: numNulls[j], nullBitmap: numNulls[j] > 0 ? numValid[j] : null };
        const values = nums[j];
        children.push(
          values instanceof Int32Array
            ? arrow.makeData({ type: new arrow.Int32(), data: values, ...common })
            : arrow.makeData({ type: new arrow.Float64(), data: values, ...common }),
        );
      } else if (name === 'User ID') {
        children.push(arrow.makeData({ type: new arrow.Int32(), length: n, nullCount: 0, data: userId }));
      } else if (name === 'Followers') {
        children.push(arrow.makeData({ type: new arrow.Int32(), length: n, nullCount: followersNulls, nullBitmap: followersNulls > 0 ? followersValid : null, data: followers }));
      } else if (name === 'Likes Received') {
        children.push(arrow.makeData({ type: new arrow.Int32(), length: n, nullCount: 0, data: likesReceived }));
      } else if (name === 'Top Interests') {
        children.push(arrow.makeData({ type: new arrow.Utf8(), length: n, nullCount: listNulls, nullBitmap: listNulls > 0 ? listValid : null, valueOffsets: listOffsets, data: listBytes.slice(0, listEnd) }));
      } else if (name === 'Segment') {
        children.push(arrow.makeData({ type: new arrow.Int32(), length: n, nullCount: 0, data: segment.slice() }));
      }
    }
    const struct = arrow.makeData({ type: new arrow.Struct(fields), length: n, nullCount: 0, children });
    yield { batch: new arrow.RecordBatch(schema, struct), segment, start };
  }
}

/** The RecordBatches of `generateSample`, for the writers. */
export function* sampleBatches(options: SampleOptions): Generator<arrow.RecordBatch> {
  for (const chunk of generateSample(options)) yield chunk.batch;
}

/** A whole generated table and the planted segment of each row (for tests and small demos). */
export function sampleTable(options: SampleOptions): { table: arrow.Table; segment: Int32Array } {
  const batches: arrow.RecordBatch[] = [];
  const segment = new Int32Array(options.rows);
  for (const chunk of generateSample(options)) {
    batches.push(chunk.batch);
    segment.set(chunk.segment, chunk.start);
  }
  return { table: new arrow.Table(batches), segment };
}
