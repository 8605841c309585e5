// SPDX-License-Identifier: MIT
/**
 * The user's changes to the inferred column kinds: kinds forced by name, columns excluded. A
 * forced range takes its levels from the column's values; a forced list splits on commas.
 */
import type * as arrow from 'apache-arrow';
import { orderLevels, parseRange } from '../data/ranges.js';
import { COLUMN_KINDS, type ColumnKind, type RangeLevel, type Schema } from '../data/schema.js';
import { ParameterError } from '../errors.js';

/** Kinds that never become features: a column forced to one of them is not used. */
const UNUSED_KINDS: ReadonlySet<ColumnKind> = new Set(['id', 'text', 'url', 'datetime', 'empty']);

const FN = 'segment';

/**
 * Applies `kinds` (column → kind) and `exclude` (column names) to `schema`, in place.
 * @throws ParameterError naming the option for an unknown column or kind, or values that are not ranges.
 */
export function applyOverrides(schema: Schema, table: arrow.Table, kinds: Readonly<Record<string, ColumnKind>>, exclude: readonly string[]): void {
  const byName = new Map(schema.columns.map((c) => [c.name, c]));
  const known = (option: string, name: string): void => {
    if (!byName.has(name)) throw new ParameterError(FN, option, `${option}: no column '${name}' (columns: ${schema.columns.map((c) => c.name).join(', ')})`);
  };
  for (const [name, kind] of Object.entries(kinds)) {
    known('kinds', name);
    if (!COLUMN_KINDS.includes(kind)) throw new ParameterError(FN, 'kinds', `kinds: '${kind}' (column '${name}') is not one of ${COLUMN_KINDS.join(', ')}`);
    const info = byName.get(name)!;
    info.reason = `set by the user (inferred ${info.kind}: ${info.reason})`;
    info.kind = kind;
    info.use = !UNUSED_KINDS.has(kind);
    if (kind === 'range') info.levels = rangeLevelsOf(table, name);
    if (kind === 'list') info.separator ??= ',';
    if (kind !== 'number' && kind !== 'count') delete info.numberFormat;
  }
  for (const name of exclude) {
    known('exclude', name);
    const info = byName.get(name)!;
    info.use = false;
    info.reason = `excluded by the user (${info.reason})`;
  }
}

function rangeLevelsOf(table: arrow.Table, name: string): RangeLevel[] {
  const vector = table.getChild(name);
  const texts = new Set<string>();
  for (let i = 0; vector !== null && i < vector.length; i++) {
    const v: unknown = vector.get(i);
    if (v !== null && v !== undefined && String(v).trim() !== '') texts.add(String(v));
  }
  const levels: RangeLevel[] = [];
  for (const t of texts) {
    const level = parseRange(t);
    if (level === undefined) throw new ParameterError(FN, 'kinds', `kinds: column '${name}' as a range: the value '${t}' is not a range such as 25-34 or 65+`);
    levels.push(level);
  }
  return orderLevels(levels);
}
