// SPDX-License-Identifier: MIT
/**
 * The pipeline's steps as SQL, in two layers, each value as transformColumn in
 * src/data/pipeline.ts computes it:
 * - the read layer: per used column, its number (numbers.ts), its range level's index, its
 *   label as text, or its list items;
 * - the feature layer: per feature, impute → log1p → scale for numbers and ordinal ranges
 *   (rounded to float32, as predict's Float32Array holds features), 0/1 for one-hot categories
 *   with `<other>` for unseen and missing-without-mode labels, 0/1 for flags, and for lists one
 *   0/1 per kept item plus the count of other items.
 * The fill values of missing cells are computed here in float64 exactly as predict computes
 * them, and written as literals.
 */
import type { ColumnStep } from '../../data/pipeline.js';
import { ParameterError, assertUnreachable } from '../../errors.js';
import type { Dialect, Sql } from './dialects.js';
import { readNumber } from './numbers.js';

/** One select item: an expression and the helper column it is named. */
export interface Item {
  expr: Sql;
  as: string;
}

/** The helper column of step i's read value. */
export const readName = (i: number): string => `__segments_r${i}`;
/** The helper column of feature j. */
export const featureName = (j: number): string => `__segments_f${j}`;

/** The read layer's items: one per step. */
export function readItems(d: Dialect, steps: readonly ColumnStep[], source: string): Item[] {
  return steps.map((step, i) => {
    const cell = `${source}.${d.ident(step.column)}`;
    const enc = step.encoder;
    if (enc === null) {
      try {
        return { expr: readNumber(d, cell, step.numberFormat), as: readName(i) };
      } catch (err) {
        if (err instanceof ParameterError) throw new ParameterError('toSQL', 'model', `column "${step.column}": ${err.message.replace(/^toSQL: /, '')}`);
        throw err;
      }
    }
    switch (enc.type) {
      case 'ordinal':
        // The level's index (NULL when missing or not a level), as OrdinalEncoder.code.
        return { expr: `(CASE ${readLabel(d, cell, enc.levels)} ${enc.levels.map((l, c) => `WHEN ${d.text(l)} THEN ${d.double(c)}`).join(' ')} END)`, as: readName(i) };
      case 'onehot':
        return { expr: readLabel(d, cell, enc.categories), as: readName(i) };
      case 'flag':
        return { expr: readLabel(d, cell, enc.negative === null ? [enc.positive] : [enc.positive, enc.negative]), as: readName(i) };
      case 'multihot':
        // A missing cell has no items, as in predict.
        return { expr: d.splitItems(`COALESCE(${d.toText(cell)}, '')`, enc.separator), as: readName(i) };
      default:
        return assertUnreachable(enc);
    }
  });
}

/**
 * A cell as the label predict reads: its text. The CSV reader stores a column of true/false
 * (any case, spaces or tabs around) as booleans, whose labels are `true` and `false`; where the
 * model's labels include those, the same spellings are read as them here, so that a text
 * column holding `TRUE` and a BOOLEAN column both match.
 */
export function readLabel(d: Dialect, cell: Sql, labels: readonly string[]): Sql {
  const text = d.toText(cell);
  if (!labels.includes('true') && !labels.includes('false')) return text;
  const word = d.lower(d.removeAll(text, '^[ \\t]+|[ \\t]+$'));
  return `(CASE WHEN ${word} = 'true' THEN 'true' WHEN ${word} = 'false' THEN 'false' ELSE ${text} END)`;
}

/** sign(v)·log1p(|v|) as predict computes it, in float64. */
function signedLog1p(v: number): number {
  return v >= 0 ? Math.log1p(v) : -Math.log1p(-v);
}

/** impute → log1p → scale of a nullable double `value`, rounded to float32. */
function scaled(d: Dialect, step: ColumnStep, value: Sql, fill: number): Sql {
  const s = step.scale ?? { center: 0, scale: 1, offset: 0 };
  // predict: the fill goes through scaleOne (a division), a value through a multiplication by 1/scale.
  const w = step.log1p ? signedLog1p(fill) : fill;
  const fillOut = (w - s.center) / s.scale + s.offset;
  const v = step.log1p ? d.signedLog1p(value) : value;
  let expr = `(${v} - ${d.double(s.center)}) * ${d.double(1 / s.scale)}`;
  if (s.offset !== 0) expr = `${expr} + ${d.double(s.offset)}`;
  const filled = Number.isNaN(fillOut) ? 'NULL' : d.double(fillOut);
  return d.roundFloat32(`CASE WHEN ${value} IS NULL THEN ${filled} ELSE ${expr} END`);
}

/** A 0/1 (or small count) integer expression as a double feature. */
function indicator(d: Dialect, e: Sql): Sql {
  return d.toDouble(e);
}

/** The feature layer's items: one per feature, in the pipeline's feature order. */
export function featureItems(d: Dialect, steps: readonly ColumnStep[], source: string): Item[] {
  const out: Item[] = [];
  const push = (expr: Sql): void => {
    out.push({ expr, as: featureName(out.length) });
  };
  steps.forEach((step, i) => {
    const r = `${source}.${d.ident(readName(i))}`;
    const enc = step.encoder;
    if (enc === null) {
      const fill = step.impute !== null && step.impute.strategy === 'median' ? step.impute.value : NaN;
      push(scaled(d, step, r, fill));
      return;
    }
    const fillLabel = step.impute !== null && step.impute.strategy === 'most_frequent' ? step.impute.value : null;
    switch (enc.type) {
      case 'ordinal': {
        // predict fills with the code of the imputed level: -1 when it is not a level, NaN without one.
        const fill = step.impute !== null ? enc.levels.indexOf(fillLabel as string) : NaN;
        push(scaled(d, step, r, fill));
        return;
      }
      case 'onehot': {
        const other = enc.categories.length;
        const found = fillLabel === null ? -1 : enc.categories.indexOf(fillLabel);
        const fillCode = found < 0 ? other : found;
        enc.categories.forEach((c, j) => {
          const hit = j === fillCode ? `${r} IS NULL OR ${r} = ${d.text(c)}` : `${r} = ${d.text(c)}`;
          push(indicator(d, `CASE WHEN ${hit} THEN 1 ELSE 0 END`));
        });
        const missing = fillCode === other ? 1 : 0;
        push(indicator(d, `CASE WHEN ${r} IS NULL THEN ${missing} WHEN ${r} IN (${enc.categories.map((c) => d.text(c)).join(', ')}) THEN 0 ELSE 1 END`));
        return;
      }
      case 'flag': {
        // Missing cells and labels that are neither value take the code of the mode (as predict: 1, 0, or -1).
        const fillCode = fillLabel === enc.positive ? 1 : fillLabel !== null && fillLabel === enc.negative ? 0 : -1;
        const negative = enc.negative === null ? '' : ` WHEN ${r} = ${d.text(enc.negative)} THEN 0`;
        push(indicator(d, `CASE WHEN ${r} = ${d.text(enc.positive)} THEN 1${negative} ELSE ${fillCode} END`));
        return;
      }
      case 'multihot': {
        for (const item of enc.items) push(indicator(d, d.hasItem(r, item)));
        push(indicator(d, d.countOthers(r, enc.items)));
        return;
      }
      default:
        assertUnreachable(enc);
    }
  });
  return out;
}
