// SPDX-License-Identifier: MIT
/**
 * Reading a number from a cell in SQL as predict's pipeline reads it (readNumberColumn and
 * parseNumber in src/data/numberFormat.ts): the cell as text; text that is a number in the
 * column's format is that number, anything else (blank, words, a number in another format, a
 * number beyond float64's range) is NULL and the median fills it. (predict fills blanks so too,
 * but gives no segment to a row with a cell it cannot read: README, where the SQL and predict
 * can differ.) The same SQL works whether the database stores the column as a
 * number or as text (a CSV loaded as VARCHAR): a number's text form is read back exactly (DuckDB,
 * PostgreSQL ≥ 12 and the others print doubles as the shortest round-trip decimal), except with
 * a decimal comma (`decimal: ','`), whose columns must be stored as text: the text of the double
 * 1.5 is `1.5`, which that format does not read (with `.` thousands separators it is 15).
 *
 * A format is one rule, {@link numberRule}: the regular expression a cell must match in full,
 * the characters removed before the cast, and the decimal mark turned into a point; a matching
 * cell is negative where {@link NEGATIVE} matches it too. This is the one place a new number
 * format is added, mirroring splitParts and parseNumber rule for rule:
 * - the cell is trimmed of JavaScript whitespace (`\s`: ASCII, no-break and Unicode spaces, BOM);
 * - `(…)` around the whole (trimmed again inside) is a negative, where the format has
 *   `parentheses`, and then no minus sign may stand inside;
 * - then a sign (`-`, `−` U+2212 or `+`), the format's currency sign, and after a `+` or no sign
 *   a second sign: `-$5`, `$-5`, `+$-5`, `+-5`; whitespace may follow each;
 * - a `%` (where the format has `percent`) and the currency sign (where none came before) may
 *   follow the number in either order; whitespace may precede each;
 * - the number: digits grouped in threes by the thousands separator (starting with 1-9), or not
 *   grouped, with the decimal mark and a decimal part, and with a decimal point an exponent.
 */
import { CURRENCY_SIGNS } from '../../data/numberFormat.js';
import type { NumberFormat } from '../../data/schema.js';
import { ParameterError } from '../../errors.js';
import type { Dialect, Sql } from './dialects.js';

/** How the cells of a column with one number format are read. */
export interface NumberRule {
  /** What a cell that holds a number matches in full. */
  pattern: string;
  /** Removed everywhere from a matching cell; what is left is the number, signless, with its decimal mark. */
  remove: string;
  /** The decimal mark, replaced by a point before the cast when it is not one. */
  decimal: '.' | ',';
}

/** Escapes a literal for a regular expression (RE2, Java and POSIX ARE read these the same). */
export function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * One character JavaScript's `\s` matches, as predict trims a cell: ASCII whitespace, then the
 * Unicode spaces written as themselves (an alternation, not a class, so that a regex engine that
 * reads bytes matches them whole).
 */
const WS_ONE = `([ \\t\\n\\f\\r\\x0B]|${['\u00a0', '\u1680', ...Array.from({ length: 11 }, (_, k) => String.fromCharCode(0x2000 + k)), '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'].join('|')})`;
const WS = `${WS_ONE}*`;

/** The characters a number's body may hold besides digits (splitParts' check in numberFormat.ts). */
const BODY_MARKS = ".,'’ \u00a0\u202f";

/**
 * What a cell that matches a rule's pattern matches in full when its number is negative: a minus
 * sign or an opening parenthesis before the exponent (no other `e` or `E` stands in such a cell).
 * One pattern for every format: PostgreSQL keeps the last 32 regular expressions compiled, and a
 * query with more recompiles them row by row.
 */
export const NEGATIVE = '[^eE]*(-|−|\\()[^eE]*([eE][^eE]*)?';

/** The fields of a NumberFormat that numberRule reads. */
const RULE_FIELDS: ReadonlySet<string> = new Set(['thousands', 'percent', 'currency', 'decimal', 'parentheses']);

/**
 * The rule for a column's format (none: a plain number), as parseNumber reads one; see the
 * module's comment for the grammar.
 * @throws ParameterError for a format field it does not read (a newer format), or a thousands
 *   separator no reader records that SQL cannot remove as predict does, naming it.
 */
export function numberRule(format: NumberFormat | undefined): NumberRule {
  const f: NumberFormat = format ?? {};
  // A field this rule does not know would be read as if absent, and give other numbers than predict.
  const unknown = Object.keys(f).filter((k) => !RULE_FIELDS.has(k) && (f as Record<string, unknown>)[k] !== undefined);
  if (unknown.length > 0) throw new ParameterError('toSQL', 'model', `numberFormat.${unknown[0]} is not compiled to SQL yet (src/model/sql/numbers.ts reads ${[...RULE_FIELDS].join(', ')})`);
  const decimal = f.decimal ?? '.';
  const D = regexLiteral(decimal);
  // The thousands separator. One of the marks a body may hold: grouped numbers, and removed.
  // One with a character no body holds: no cell is grouped by it, and removing it changes nothing.
  let thousands: string | null = null;
  if (f.thousands !== undefined && f.thousands !== '') {
    if (f.thousands.length === 1 && BODY_MARKS.includes(f.thousands)) thousands = regexLiteral(f.thousands);
    else if ([...f.thousands].every((c) => /[0-9eE+-]/.test(c) || BODY_MARKS.includes(c))) {
      throw new ParameterError('toSQL', 'model', `numberFormat.thousands ${JSON.stringify(f.thousands)} is not a separator SQL reads as predict does (one of ${[...BODY_MARKS].map((c) => JSON.stringify(c)).join(', ')})`);
    }
  }
  // The currency sign: only the signs splitParts recognises stand in a cell.
  const sign = f.currency !== undefined && (CURRENCY_SIGNS as readonly string[]).includes(f.currency) ? f.currency : null;
  const C = sign === null ? null : regexLiteral(sign);
  // splitParts takes the first sign of the list a cell ends with: `5R$` ends with '$' first.
  const suffixSign = sign !== null && !CURRENCY_SIGNS.some((c) => c !== sign && sign.endsWith(c) && CURRENCY_SIGNS.indexOf(c) < CURRENCY_SIGNS.indexOf(sign as (typeof CURRENCY_SIGNS)[number]));

  const exp = decimal === '.' ? '([eE][-+]?[0-9]+)?' : '';
  const grouped = thousands === null ? '' : `[1-9][0-9]{0,2}(${thousands}[0-9]{3})+(${D}[0-9]+)?|`;
  const body = `(${grouped}[0-9]+(${D}[0-9]*)?${exp}|${D}[0-9]+${exp})`;

  const plus = '\\+';
  const minus = '(-|−)';
  const anySign = '(\\+|-|−)';
  const percent = f.percent === true;
  /** After the number: `%` and, where `currency`, the sign, in either order. */
  const suffix = (currency: boolean): string => {
    if (currency && C !== null && suffixSign) return percent ? `(${WS}${C}(${WS}%)?|${WS}%(${WS}${C})?)?` : `(${WS}${C})?`;
    return percent ? `(${WS}%)?` : '';
  };
  /**
   * Before the number, with the currency sign or not: a minus then the sign, or a plus (or
   * nothing) then the sign then any sign; inside parentheses no minus.
   */
  const prefix = (minusAllowed: boolean, currency: boolean): string => {
    const cur = currency ? `${C}${WS}` : '';
    if (!minusAllowed) return `(${plus}${WS})?${cur}(${plus}${WS})?`;
    return `(${minus}${WS}${cur}|(${plus}${WS})?${cur}(${anySign}${WS})?)`;
  };
  const number = (minusAllowed: boolean): string => {
    const forms = [`${prefix(minusAllowed, false)}${body}${suffix(true)}`];
    if (C !== null) forms.push(`${prefix(minusAllowed, true)}${body}${suffix(false)}`);
    return forms.length === 1 ? forms[0] : `(${forms.join('|')})`;
  };
  const pattern = f.parentheses === true ? `${WS}(${number(true)}|\\(${WS}${number(false)}${WS}\\))${WS}` : `${WS}${number(true)}${WS}`;
  // Everything but the number: the signs before it (anchored), whitespace, the currency sign,
  // `%`, parentheses, the thousands separator. None of these stands inside the number but the
  // separator, and whitespace only where it is the separator.
  const remove = [`^(${WS_ONE}|\\(|${anySign}${C === null ? '' : `|${C}`})+`, WS_ONE, ...(C === null ? [] : [C]), '%', '\\)', ...(thousands === null ? [] : [thousands])].join('|');
  return { pattern, remove, decimal };
}

/**
 * The double held by the cell `column` (any type) in `format`, or NULL; NULL too where the number
 * is beyond float64's range (parseNumber gives ±Infinity, which predict reads as missing).
 */
export function readNumber(d: Dialect, column: Sql, format: NumberFormat | undefined): Sql {
  const rule = numberRule(format);
  const text = d.toText(column);
  const stripped = d.removeAll(text, rule.remove);
  const value = d.finiteDouble(rule.decimal === '.' ? stripped : d.replace(stripped, rule.decimal, '.'), text);
  return `(CASE WHEN ${d.matches(text, rule.pattern)} THEN (CASE WHEN ${d.matches(text, NEGATIVE)} THEN -${value} ELSE ${value} END) END)`;
}
