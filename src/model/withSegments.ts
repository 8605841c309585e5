// SPDX-License-Identifier: MIT
/** The input rows with their segments, as the CLI writes them out. */
import * as arrow from 'apache-arrow';
import { takeRows } from '../data/takeRows.js';
import { ParameterError } from '../errors.js';
import { UNASSIGNED, type ModelPrediction } from './predict.js';

/** The columns `withSegments` adds; a table's own columns of these names are dropped first. */
export const SEGMENT_COLUMNS: readonly string[] = ['segment', 'segment_name', 'segment_distance'];

/** Options of `withSegments`. */
export interface WithSegmentsOptions {
  /** Also add the distance to the center (or core point) as a float64 column `segment_distance`. Default false. */
  distance?: boolean;
}

/**
 * `table` with the columns `segment` (int32 id, -1 for noise) and `segment_name` (text,
 * dictionary-encoded) added at the end, and `segment_distance` on request. Columns of those three
 * names already in the table (a file that was segmented before) are dropped first, so no stale
 * segment survives. Rows predict refused (`badRows`) are left out when their action is 'skipped'
 * and have null in the three columns when it is 'nulled'. O(n).
 * @throws ParameterError when the prediction is not for a table of this many rows.
 * See the example of SegmentationModel.
 */
export function withSegments(
  table: arrow.Table,
  prediction: Pick<ModelPrediction, 'segments' | 'names' | 'distances'> & Partial<Pick<ModelPrediction, 'badRows'>>,
  options: WithSegmentsOptions = {},
): arrow.Table {
  const n = table.numRows;
  if (prediction.segments.length !== n || prediction.names.length !== n) {
    throw new ParameterError('withSegments', 'prediction', `the prediction has ${prediction.segments.length} rows, the table has ${n}`);
  }
  const bad = prediction.badRows ?? [];
  const segments: Array<number | null> = Array.from(prediction.segments, (s) => (s === UNASSIGNED ? null : s));
  const distances: Array<number | null> = Array.from(prediction.distances, (d, i) => (segments[i] === null ? null : d));
  const columns: Record<string, arrow.Vector> = {
    segment: bad.length === 0 ? arrow.makeVector(Int32Array.from(prediction.segments)) : arrow.vectorFromArray(segments, new arrow.Int32()),
    // A dictionary id of its own: Arrow refuses a schema where two dictionaries share one.
    segment_name: nameColumn(prediction.names, freeDictionaryId(table)),
  };
  if (options.distance) columns.segment_distance = bad.length === 0 ? arrow.makeVector(Float64Array.from(prediction.distances)) : arrow.vectorFromArray(distances, new arrow.Float64());
  const added = new arrow.Table(columns);
  const kept = table.schema.fields.map((f) => f.name).filter((name) => !SEGMENT_COLUMNS.includes(name));
  const whole = table.select(kept).assign(added);
  const skipped = new Set(bad.filter((b) => b.action === 'skipped').map((b) => b.row));
  if (skipped.size === 0) return whole;
  return takeRows(whole, Int32Array.from({ length: n }, (_, i) => i).filter((i) => !skipped.has(i)));
}

/**
 * The names as a dictionary column: each distinct name once, an int32 key per row (null where the
 * name is null). Built from the keys directly: Arrow's builder, fed 10^5 strings, took 70 ms.
 */
function nameColumn(names: ArrayLike<string | null>, id: number): arrow.Vector {
  const n = names.length;
  const keyOf = new Map<string, number>();
  const keys = new Int32Array(n);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const name = names[i];
    if (name === null) {
      nulls++;
      continue;
    }
    let key = keyOf.get(name);
    if (key === undefined) keyOf.set(name, (key = keyOf.size));
    keys[i] = key;
    valid[i >> 3] |= 1 << (i & 7);
  }
  const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), id);
  const dictionary = arrow.vectorFromArray([...keyOf.keys()], new arrow.Utf8());
  return arrow.makeVector(arrow.makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls === 0 ? null : valid, data: keys, dictionary }));
}

function freeDictionaryId(table: arrow.Table): number {
  let max = -1;
  for (const id of table.schema.dictionaries.keys()) max = Math.max(max, id);
  return max + 1;
}
