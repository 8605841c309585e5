// SPDX-License-Identifier: MIT
/**
 * A small deterministic sample of user engagement with planted segments, so the engine can be
 * run and checked without a data file. (The realistic generator with the ads-audience columns,
 * streaming to CSV/Arrow/Parquet, is separate work; this one gives a numeric matrix and the
 * truth.)
 */
import { ParameterError } from '../errors.js';
import type { MatrixF32 } from '../matrix.js';
import { Random } from '../random.js';
import { checkValue, integer } from '../constraints.js';

export interface PlantedSampleOptions {
  /** Rows. Default 20,000. */
  rows?: number;
  /** Planted segments, 1..6. Default 5. */
  segments?: number;
  /** Default 42. */
  seed?: number;
}

export interface PlantedSample {
  /** [rows, 6] standardised features. */
  x: MatrixF32;
  /** Feature names, in column order. */
  features: string[];
  /** The planted segment of each row. */
  truth: Int32Array;
  /** The name of each planted segment. */
  segmentNames: string[];
}

/** Segment profiles in raw units: sessions/week, minutes/session, posts/week, likes/week, CTR %, age. */
const PROFILES: Array<{ name: string; mean: number[]; spread: number[] }> = [
  { name: 'casual browsers', mean: [3, 6, 0.2, 5, 0.8, 41], spread: [1.5, 3, 0.3, 4, 0.4, 12] },
  { name: 'daily scrollers', mean: [18, 14, 1, 60, 1.6, 27], spread: [4, 5, 1, 20, 0.6, 6] },
  { name: 'creators', mean: [25, 35, 12, 900, 2.2, 24], spread: [6, 10, 4, 300, 0.8, 4] },
  { name: 'deal hunters', mean: [8, 9, 0.1, 10, 6.5, 36], spread: [3, 3, 0.2, 6, 1.5, 9] },
  { name: 'lapsed users', mean: [0.5, 2, 0, 1, 0.3, 52], spread: [0.5, 1.5, 0.1, 1, 0.2, 10] },
  { name: 'night owls', mean: [14, 40, 2, 120, 1.1, 21], spread: [4, 12, 1.5, 50, 0.5, 3] },
];

const FEATURES = ['sessions_per_week', 'minutes_per_session', 'posts_per_week', 'likes_per_week', 'ctr_percent', 'age'];

/**
 * Draws `rows` users from `segments` planted profiles (Gaussian around each profile, clipped at
 * zero, segment shares 35/25/10/15/10/5 % renormalised), then standardises each column.
 * @example
 * const { x, truth } = plantedSample({ rows: 1000, segments: 4, seed: 1 });
 * [x.rows, x.cols]; // [1000, 6]
 * new Set(truth).size; // 4
 */
export function plantedSample(options: PlantedSampleOptions = {}): PlantedSample {
  const rows = options.rows ?? 20_000;
  const k = options.segments ?? 5;
  checkValue('plantedSample', 'rows', rows, integer({ min: 1 }));
  if (!Number.isInteger(k) || k < 1 || k > PROFILES.length) {
    throw new ParameterError('plantedSample', 'segments', `segments=${k} must be an integer from 1 to ${PROFILES.length}`);
  }
  const rng = new Random(options.seed ?? 42);
  const shares = [0.35, 0.25, 0.1, 0.15, 0.1, 0.05].slice(0, k);
  const totalShare = shares.reduce((a, b) => a + b, 0);
  const d = FEATURES.length;
  const raw = new Float64Array(rows * d);
  const truth = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let u = rng.next() * totalShare;
    let s = 0;
    while (s < k - 1 && u >= shares[s]) u -= shares[s++];
    truth[i] = s;
    const p = PROFILES[s];
    for (let j = 0; j < d; j++) raw[i * d + j] = Math.max(0, p.mean[j] + p.spread[j] * gaussian(rng));
  }
  const x = new Float32Array(rows * d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += raw[i * d + j] / rows;
    let variance = 0;
    for (let i = 0; i < rows; i++) variance += (raw[i * d + j] - mean) ** 2 / rows;
    const sd = Math.sqrt(variance) || 1;
    for (let i = 0; i < rows; i++) x[i * d + j] = (raw[i * d + j] - mean) / sd;
  }
  return { x: { data: x, rows, cols: d }, features: FEATURES, truth, segmentNames: PROFILES.slice(0, k).map((p) => p.name) };
}

/** A standard normal draw (Box-Muller). */
function gaussian(rng: Random): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
