// SPDX-License-Identifier: MIT
/**
 * Encoders from labels to numbers: one-hot (with an "other" slot for categories not seen when
 * fitting), ordinal (levels in a given order, e.g. ordered ranges), multi-hot for list cells
 * (`Travel, Gaming`: the most frequent items, the rest counted in "other"), and flags as 0/1.
 *
 * Missing cells (null, undefined) are not categories: encoders ignore them when fitting, and the
 * Pipeline imputes before encoding. Given to `transform`, a missing cell goes to the "other" slot
 * (one-hot), NaN (ordinal, flag) or no items (multi-hot).
 *
 * Reference: scikit-learn `OneHotEncoder(handle_unknown='ignore')` (categories sorted; unknowns
 * encode as all zeros in the known columns, here plus a 1 in "other"), `OrdinalEncoder`,
 * `MultiLabelBinarizer`.
 */
import { DataError, ParameterError } from '../errors.js';
import type { Matrix } from '../matrix.js';
import { checkValue, integer } from '../constraints.js';

/** A cell as encoders take it: a label, or missing. */
export type Label = string | null | undefined;

/** The name of the extra slot that receives categories (or list items) not kept when fitting. */
export const OTHER = '<other>';

/** Compares strings by UTF-16 code units, as JavaScript's default sort and Python's (for the BMP). */
export function compareLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function distinctSorted(values: Iterable<Label>): string[] {
  const seen = new Set<string>();
  for (const v of values) if (v !== null && v !== undefined) seen.add(v);
  return [...seen].sort(compareLabels);
}

/**
 * One-hot encoding: one 0/1 column per category (sorted, as scikit-learn), plus a last column
 * `<other>` that is 1 for a category not seen when fitting (or a missing cell).
 * @example
 * const e = OneHotEncoder.fit(['b', 'a', 'b']);
 * e.categories; // ['a', 'b']
 * e.transform(['a', 'z']).data; // [1, 0, 0,  0, 0, 1]
 */
export class OneHotEncoder {
  private readonly index: Map<string, number>;

  constructor(readonly categories: readonly string[]) {
    this.index = new Map(categories.map((c, i) => [c, i]));
    if (this.index.size !== categories.length) throw new ParameterError('OneHotEncoder', 'categories', 'categories must be distinct');
  }

  /** The sorted distinct non-missing labels of `values`. */
  static fit(values: Iterable<Label>): OneHotEncoder {
    return new OneHotEncoder(distinctSorted(values));
  }

  /** Output columns: one per category plus "other". */
  get width(): number {
    return this.categories.length + 1;
  }

  /** The column of `value`: its category's index, or `categories.length` ("other") if unseen or missing. */
  code(value: Label): number {
    if (value === null || value === undefined) return this.categories.length;
    return this.index.get(value) ?? this.categories.length;
  }

  /** [n, width] 0/1 matrix; `unseen` counts the non-missing cells that went to "other". */
  transform(values: ArrayLike<Label>): Matrix & { data: Float64Array; unseen: number } {
    const n = values.length;
    const w = this.width;
    const data = new Float64Array(n * w);
    let unseen = 0;
    for (let i = 0; i < n; i++) {
      const c = this.code(values[i]);
      if (c === this.categories.length && values[i] !== null && values[i] !== undefined) unseen++;
      data[i * w + c] = 1;
    }
    return { data, rows: n, cols: w, unseen };
  }

  /** `column=category` for each output column, the last `column=<other>`. */
  featureNames(column: string): string[] {
    return [...this.categories, OTHER].map((c) => `${column}=${c}`);
  }

  toJSON(): { type: 'onehot'; categories: string[] } {
    return { type: 'onehot', categories: [...this.categories] };
  }

  static fromJSON(json: { categories: string[] }): OneHotEncoder {
    return new OneHotEncoder(json.categories);
  }
}

/**
 * Ordinal encoding: each level's position in `levels` (0, 1, ...). Levels default to the sorted
 * distinct labels (scikit-learn's `categories='auto'`); for ordered ranges pass them in order
 * (ColumnInfo.levels). An unknown or missing label encodes as NaN.
 * @example
 * const e = OrdinalEncoder.fit(['25-34', '18-24'], ['18-24', '25-34', '35-44']);
 * e.transform(['35-44', '18-24', 'x']); // [2, 0, NaN]
 */
export class OrdinalEncoder {
  private readonly index: Map<string, number>;

  constructor(readonly levels: readonly string[]) {
    this.index = new Map(levels.map((c, i) => [c, i]));
    if (this.index.size !== levels.length) throw new ParameterError('OrdinalEncoder', 'levels', 'levels must be distinct');
  }

  static fit(values: Iterable<Label>, levels?: readonly string[]): OrdinalEncoder {
    return new OrdinalEncoder(levels ? [...levels] : distinctSorted(values));
  }

  /** The level's index, or -1 if unknown or missing. */
  code(value: Label): number {
    if (value === null || value === undefined) return -1;
    return this.index.get(value) ?? -1;
  }

  transform(values: ArrayLike<Label>): Float64Array {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const c = this.code(values[i]);
      out[i] = c < 0 ? NaN : c;
    }
    return out;
  }

  /** The label of a (rounded, clamped) ordinal value: the inverse transform. */
  inverse(code: number): string {
    const i = Math.min(this.levels.length - 1, Math.max(0, Math.round(code)));
    return this.levels[i];
  }

  toJSON(): { type: 'ordinal'; levels: string[] } {
    return { type: 'ordinal', levels: [...this.levels] };
  }

  static fromJSON(json: { levels: string[] }): OrdinalEncoder {
    return new OrdinalEncoder(json.levels);
  }
}

/** Labels read as true for a flag column (compared lower-case). */
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1', 'on']);

/**
 * A two-valued column as one 0/1 feature. `positive` is the label that encodes as 1: the one that
 * reads as true (true, yes, y, t, 1, on) if there is one, else the second in sorted order.
 * Any other label (or a missing cell) encodes as NaN.
 * @example
 * FlagEncoder.fit(['no', 'yes']).transform(['yes', 'no']); // [1, 0]
 */
export class FlagEncoder {
  constructor(
    readonly negative: string | null,
    readonly positive: string,
  ) {}

  static fit(values: Iterable<Label>): FlagEncoder {
    const labels = distinctSorted(values);
    if (labels.length === 0 || labels.length > 2) {
      throw new DataError('FlagEncoder.fit', 'values', `a flag needs one or two distinct values, got ${labels.length}${labels.length > 2 ? ` (${labels.slice(0, 4).join(', ')}, ...)` : ''}`);
    }
    const trueIndex = labels.findIndex((l) => TRUE_WORDS.has(l.trim().toLowerCase()));
    const p = trueIndex >= 0 ? trueIndex : labels.length - 1;
    return new FlagEncoder(labels.length === 2 ? labels[1 - p] : null, labels[p]);
  }

  /** 1 for `positive`, 0 for `negative`, -1 for anything else. */
  code(value: Label): number {
    if (value === this.positive) return 1;
    if (value !== null && value !== undefined && value === this.negative) return 0;
    return -1;
  }

  transform(values: ArrayLike<Label>): Float64Array {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const c = this.code(values[i]);
      out[i] = c < 0 ? NaN : c;
    }
    return out;
  }

  /** `column` when the positive label reads as true, else `column=positive`. */
  featureName(column: string): string {
    return TRUE_WORDS.has(this.positive.trim().toLowerCase()) ? column : `${column}=${this.positive}`;
  }

  toJSON(): { type: 'flag'; negative: string | null; positive: string } {
    return { type: 'flag', negative: this.negative, positive: this.positive };
  }

  static fromJSON(json: { negative: string | null; positive: string }): FlagEncoder {
    return new FlagEncoder(json.negative, json.positive);
  }
}

export interface MultiHotOptions {
  /** Between items in a cell. Default ','. Items are trimmed of surrounding whitespace. */
  separator?: string;
  /** Keep the most frequent this many items; the rest count in "other". Default 20. */
  maxItems?: number;
}

/**
 * Multi-hot encoding of list cells (`Gaming, DIY Crafts`): one 0/1 column per kept item (the
 * `maxItems` most frequent when fitting, ties by name, in that order), plus `<other>`, the number
 * of items in the cell that are not kept. An item's frequency is the number of cells holding it.
 * @example
 * const e = MultiHotEncoder.fit(['a, b', 'b', 'c'], { maxItems: 1 });
 * e.items; // ['b']
 * e.transform(['a, b']).data; // [1, 1]
 */
export class MultiHotEncoder {
  private readonly index: Map<string, number>;

  constructor(
    readonly items: readonly string[],
    readonly separator: string,
  ) {
    this.index = new Map(items.map((c, i) => [c, i]));
    if (separator.length === 0) throw new ParameterError('MultiHotEncoder', 'separator', 'separator must not be empty');
  }

  static fit(cells: Iterable<Label>, options: MultiHotOptions = {}): MultiHotEncoder {
    const separator = options.separator ?? ',';
    const maxItems = options.maxItems ?? 20;
    checkValue('MultiHotEncoder.fit', 'maxItems', maxItems, integer({ min: 1 }));
    const counts = new Map<string, number>();
    for (const cell of cells) {
      if (cell === null || cell === undefined) continue;
      for (const item of new Set(splitItems(cell, separator))) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    return new MultiHotEncoder(topItems(counts, maxItems), separator);
  }

  get width(): number {
    return this.items.length + 1;
  }

  /** The item's column, or -1 for an item not kept. */
  code(item: string): number {
    return this.index.get(item) ?? -1;
  }

  transform(cells: ArrayLike<Label>): Matrix & { data: Float64Array } {
    const n = cells.length;
    const w = this.width;
    const data = new Float64Array(n * w);
    for (let i = 0; i < n; i++) {
      const cell = cells[i];
      if (cell === null || cell === undefined) continue;
      for (const item of splitItems(cell, this.separator)) {
        const c = this.code(item);
        if (c >= 0) data[i * w + c] = 1;
        else data[i * w + w - 1] += 1;
      }
    }
    return { data, rows: n, cols: w };
  }

  /** `column:item` for each output column, the last `column:<other>`. */
  featureNames(column: string): string[] {
    return [...this.items, OTHER].map((c) => `${column}:${c}`);
  }

  toJSON(): { type: 'multihot'; items: string[]; separator: string } {
    return { type: 'multihot', items: [...this.items], separator: this.separator };
  }

  static fromJSON(json: { items: string[]; separator: string }): MultiHotEncoder {
    return new MultiHotEncoder(json.items, json.separator);
  }
}

/** The non-empty trimmed items of a list cell. */
export function splitItems(cell: string, separator: string): string[] {
  return cell
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The `max` labels of highest count, ties broken by label, in that order. */
export function topItems(counts: Map<string, number>, max: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || compareLabels(a[0], b[0]))
    .slice(0, max)
    .map(([item]) => item);
}

export type EncoderJSON =
  | ReturnType<OneHotEncoder['toJSON']>
  | ReturnType<OrdinalEncoder['toJSON']>
  | ReturnType<FlagEncoder['toJSON']>
  | ReturnType<MultiHotEncoder['toJSON']>;

export type Encoder = OneHotEncoder | OrdinalEncoder | FlagEncoder | MultiHotEncoder;

/** Rebuilds an encoder from its `toJSON()`. */
export function encoderFromJSON(json: EncoderJSON): Encoder {
  switch (json.type) {
    case 'onehot':
      return OneHotEncoder.fromJSON(json);
    case 'ordinal':
      return OrdinalEncoder.fromJSON(json);
    case 'flag':
      return FlagEncoder.fromJSON(json);
    case 'multihot':
      return MultiHotEncoder.fromJSON(json);
    default:
      throw new DataError('encoderFromJSON', 'json', `unknown encoder type '${String((json as { type: unknown }).type)}'`);
  }
}
