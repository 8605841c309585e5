// SPDX-License-Identifier: MIT
/**
 * Reading a number from a cell in SQL as predict's pipeline reads it (readNumbers in
 * src/data/pipeline.ts): the cell as text, trimmed; text that is a number in the column's
 * format is that number, anything else (empty, words, a number in another format) is NULL and
 * the median fills it. The same SQL works whether the database stores the column as a number
 * or as text (a CSV loaded as VARCHAR): a number's text form is read back exactly (DuckDB,
 * PostgreSQL ≥ 12 and the others print doubles as the shortest round-trip decimal).
 *
 * A format is one rule, {@link numberRule}: the regular expression a cell must match in full,
 * and the characters removed before the cast. This is the one place a new number format
 * (a decimal comma, another currency position) is added.
 */
import type { NumberFormat } from '../../data/schema.js';
import { ParameterError } from '../../errors.js';
import type { Dialect, Sql } from './dialects.js';

/** How the cells of a column with one number format are read. */
export interface NumberRule {
  /** What a cell that holds a number matches in full (surrounding whitespace included). */
  pattern: string;
  /** Removed everywhere from a matching cell before it is cast to double. */
  remove: string;
}

/** Escapes a literal for a regular expression (RE2, Java and POSIX ARE read these the same). */
export function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Without a format, what `Number(text.trim())` reads as a finite decimal: `12`, `-3.5`, `.5`,
 * `5.`, `1e-5`. (Number also reads `0x1A` and `Infinity`; those are NULL here.)
 */
const PLAIN = '[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?';

/** The fields of a NumberFormat that numberRule reads. */
const RULE_FIELDS: ReadonlySet<string> = new Set(['thousands', 'percent', 'currency']);

/**
 * The rule for a column's format, as parseFormattedNumber (src/data/inferKinds.ts) reads one:
 * an optional sign, then the currency sign, then digits grouped by the thousands separator (or
 * not grouped) with an optional decimal part, then `%`.
 * @throws ParameterError for a format field it does not read (a newer format), naming it.
 */
export function numberRule(format: NumberFormat | undefined): NumberRule {
  const space = '\\s*';
  if (format === undefined) return { pattern: `${space}${PLAIN}${space}`, remove: '\\s' };
  // A field this rule does not know would be read as if absent, and give other numbers than predict.
  const unknown = Object.keys(format).filter((k) => !RULE_FIELDS.has(k) && (format as Record<string, unknown>)[k] !== undefined);
  if (unknown.length > 0) throw new ParameterError('toSQL', 'model', `numberFormat.${unknown[0]} is not compiled to SQL yet (src/model/sql/numbers.ts reads ${[...RULE_FIELDS].join(', ')})`);
  const currency = format.currency !== undefined && format.currency !== '' ? regexLiteral(format.currency) : null;
  const thousands = format.thousands !== undefined && format.thousands !== '' ? regexLiteral(format.thousands) : null;
  // parseFormattedNumber checks the grouping after turning the separator into ','; with '.' as the
  // separator no decimal point is left, so no decimals are read.
  const decimals = format.thousands === '.' ? '' : '(\\.[0-9]+)?';
  const digits = thousands === null ? `[0-9]+${decimals}` : `([0-9]{1,3}(${thousands}[0-9]{3})*${decimals}|[0-9]+${decimals})`;
  const pattern = `${space}[-+]?${currency === null ? '' : `(${currency}${space})?`}${digits}${format.percent === true ? `(${space}%)?` : ''}${space}`;
  const remove = ['\\s', ...(currency === null ? [] : [currency]), ...(thousands === null ? [] : [thousands]), ...(format.percent === true ? ['%'] : [])].join('|');
  return { pattern, remove };
}

/** The double held by the cell `column` (any type) in `format`, or NULL. */
export function readNumber(d: Dialect, column: Sql, format: NumberFormat | undefined): Sql {
  const rule = numberRule(format);
  const text = d.toText(column);
  return `(CASE WHEN ${d.matches(text, rule.pattern)} THEN ${d.toDouble(d.removeAll(text, rule.remove))} END)`;
}
