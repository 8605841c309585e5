// SPDX-License-Identifier: MIT
/**
 * The one reader of numbers written as text: `$1,234.56`, `12.5%`, `1,234`, `€1.200,50`,
 * `1 234,5`, `(1,234)`, `0,438`. Kind inference decides a column's {@link NumberFormat} from its
 * values ({@link detectNumberFormat}); the Pipeline, the profiles, the report and predict read the
 * column's cells with that format ({@link parseNumber}, {@link readNumberColumn}), so a column is
 * read the same way everywhere, and a saved model reads new files as it read the first.
 *
 * Decisions:
 * - A percent is read as the number shown: `12.5%` is 12.5 (the figures of the file), not 0.125.
 * - `(1,234)` is −1234 (accounting negatives) where the column writes negatives that way.
 * - The decimal mark is `,` where the file says so (`decimal: ','`) or the values leave no other
 *   reading: `0,438`, `4,5` or `12,3456` (a comma not followed by a group of three digits, or after
 *   a lone 0), or `.` groups of three before a `,` (`2.245,71`). `1,234` alone is a thousands
 *   separator: decimal commas need evidence.
 * - A cell that does not fit its column's format (`lots`, `€5` in a `$` column, `1,23,4`) is not a
 *   number: it is missing, counted as invalid by the readers that use this module.
 */
import * as arrow from 'apache-arrow';
import { Interner, internChunk, validityOf } from './interner.js';
import type { NumberFormat } from './schema.js';

export type { NumberFormat } from './schema.js';

/** Currency signs recognised before or after a number. */
export const CURRENCY_SIGNS = ['$', '€', '£', '¥', '₹', '₩', '₽', 'R$', 'CHF', 'kr'] as const;

/** Thousands separators other than `,` and `.`: space, no-break space, narrow no-break space, apostrophe. */
const SPACE_SEPARATORS = [' ', '\u00a0', '\u202f', "'", '’'];

const PLAIN_RE = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const BLANK_RE = /^[\s\u00a0\u202f]+|[\s\u00a0\u202f]+$/g;

/** The parts of a cell: sign, currency, the digits with their marks, percent, parentheses. */
interface Parts {
  negative: boolean;
  parens: boolean;
  currency: string | undefined;
  percent: boolean;
  /** Digits with separators and the decimal mark, no sign. */
  body: string;
}

function stripBlank(t: string): string {
  return t.replace(BLANK_RE, '');
}

/** Splits a trimmed cell into its parts, or null when it has no digits or stray characters. */
function splitParts(text: string): Parts | null {
  let t = stripBlank(text);
  if (t === '') return null;
  let parens = false;
  if (t.startsWith('(') && t.endsWith(')')) {
    parens = true;
    t = stripBlank(t.slice(1, -1));
  }
  let negative = false;
  let currency: string | undefined;
  let percent = false;
  const takeSign = (): void => {
    if (t.startsWith('-') || t.startsWith('−') || t.startsWith('+')) {
      negative = t[0] !== '+';
      t = stripBlank(t.slice(1));
    }
  };
  const takeCurrencyPrefix = (): void => {
    if (currency !== undefined) return;
    for (const c of CURRENCY_SIGNS) {
      if (t.startsWith(c)) {
        currency = c;
        t = stripBlank(t.slice(c.length));
        return;
      }
    }
  };
  takeSign();
  takeCurrencyPrefix();
  if (!negative) takeSign();
  if (t.endsWith('%')) {
    percent = true;
    t = stripBlank(t.slice(0, -1));
  }
  if (currency === undefined) {
    for (const c of CURRENCY_SIGNS) {
      if (t.endsWith(c)) {
        currency = c;
        t = stripBlank(t.slice(0, -c.length));
        break;
      }
    }
  }
  if (!percent && t.endsWith('%')) {
    percent = true;
    t = stripBlank(t.slice(0, -1));
  }
  if (!/^[\d.,'’ \u00a0\u202f]*\d[\d.,'’ \u00a0\u202f]*$/.test(t) && !PLAIN_RE.test(t)) return null;
  if (parens && negative) return null;
  return { negative: negative || parens, parens, currency, percent, body: t };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const bodyCache = new Map<string, RegExp>();

/** The grammar of a number's digits with thousands separator `t` (or none) and decimal mark `d`. */
function bodyRe(t: string | undefined, d: string): RegExp {
  const key = `${t ?? ''}\u0000${d}`;
  let re = bodyCache.get(key);
  if (re === undefined) {
    const D = escapeRe(d);
    const frac = `(?:${D}\\d+)?`;
    // a grouped number starts with 1-9: '0,438' is no thousands form
    const grouped = t === undefined ? '' : `[1-9]\\d{0,2}(?:${escapeRe(t)}\\d{3})+${frac}|`;
    const exp = d === '.' ? '(?:[eE][-+]?\\d+)?' : '';
    re = new RegExp(`^(?:${grouped}\\d+(?:${D}\\d*)?${exp}|${D}\\d+${exp})$`);
    bodyCache.set(key, re);
  }
  return re;
}

/**
 * Reads one cell with a column's format, or NaN when the cell does not fit it (blank cells too).
 * Signs the format has (currency, `%`, thousands separators) may be left out of a cell (`1234` in
 * a `$1,234` column); signs it does not have, or a different currency, make the cell NaN.
 * @example
 * parseNumber('$1,234.5', { thousands: ',', currency: '$' }); // 1234.5
 * parseNumber('2.245,71', { decimal: ',', thousands: '.' }); // 2245.71
 * parseNumber('12.5%', { percent: true }); // 12.5
 */
export function parseNumber(text: string, format: NumberFormat = {}): number {
  const p = splitParts(text);
  if (p === null) return NaN;
  if (p.currency !== undefined && p.currency !== format.currency) return NaN;
  if (p.percent && !format.percent) return NaN;
  if (p.parens && !format.parentheses) return NaN;
  const d = format.decimal ?? '.';
  const t = format.thousands || undefined;
  if (!bodyRe(t, d).test(p.body)) return NaN;
  let body = p.body;
  if (t !== undefined) body = body.split(t).join('');
  if (d !== '.') body = body.replace(d, '.');
  const x = Number(body);
  return p.negative ? -x : x;
}

/** Whether a cell holds something beyond a plain number: a currency, `%`, separators, parentheses, a decimal comma. */
export function isFormattedNumber(text: string): boolean {
  const p = splitParts(text);
  if (p === null) return false;
  if (PLAIN_RE.test(p.body) && p.currency === undefined && !p.percent && !p.parens) return false;
  return /\d/.test(p.body) && /^[\d.,'’ \u00a0\u202f]+$/.test(p.body);
}

/**
 * What a number's marks say about the decimal mark: ',' when only a decimal comma reads it
 * (`0,438`, `4,5`, `2.245,71`, `1.234.567`), '.' when only a decimal point does (`4.5`,
 * `1,234.5`, `1,234,567`), undefined when both could (`1,234`, `1.234`, `42`).
 */
export function decimalEvidence(body: string): ',' | '.' | undefined {
  const commas = body.split(',').length - 1;
  const dots = body.split('.').length - 1;
  if (commas > 0 && dots > 0) return body.lastIndexOf(',') > body.lastIndexOf('.') ? ',' : '.';
  if (commas > 1) return '.';
  if (dots > 1) return ',';
  const onlyOne = (mark: string): boolean => {
    const [head, tail] = body.split(mark);
    return tail.length !== 3 || /^[-+]?0+$/.test(head) || head === '' || head.length > 3;
  };
  if (commas === 1) return onlyOne(',') ? ',' : undefined;
  if (dots === 1) return onlyOne('.') ? '.' : undefined;
  return undefined;
}

/** A column's format and how its values read with it. */
export interface DetectedFormat {
  format: NumberFormat;
  /** Cells that read as numbers with the format. */
  numeric: number;
  /** Of those, cells written with more than a plain number (a sign, separators, a decimal comma). */
  formatted: number;
  /** A cell that does not read, if any, for messages. */
  firstBad?: string;
}

/**
 * The format of a text column from its trimmed values counted (`counts`: value → cells): the
 * currency sign, `%`, parentheses for negatives, the thousands separator, and the decimal mark
 * (`decimal`, when the file says it, else the values' evidence, see {@link decimalEvidence}).
 * Returns null when no value looks like a number.
 */
export function detectNumberFormat(counts: ReadonlyMap<string, number>, decimal?: '.' | ','): DetectedFormat | null {
  let commaVotes = 0;
  let dotVotes = 0;
  const currencies = new Map<string, number>();
  let percent = false;
  let parens = false;
  let any = false;
  const bodies: Array<[string, number]> = [];
  for (const [v, c] of counts) {
    const p = splitParts(v);
    if (p === null) continue;
    any = true;
    if (p.currency !== undefined) currencies.set(p.currency, (currencies.get(p.currency) ?? 0) + c);
    if (p.percent) percent = true;
    if (p.parens) parens = true;
    bodies.push([p.body, c]);
    const ev = decimalEvidence(p.body);
    if (ev === ',') commaVotes += c;
    else if (ev === '.') dotVotes += c;
  }
  if (!any) return null;
  const d: '.' | ',' = decimal ?? (commaVotes > dotVotes ? ',' : '.');
  const format: NumberFormat = {};
  if (d === ',') format.decimal = ',';
  // the thousands separator: the other mark where the values use it between groups of three
  const candidates = d === ',' ? ['.', ...SPACE_SEPARATORS] : [',', ...SPACE_SEPARATORS];
  let best: string | undefined;
  let bestCount = 0;
  for (const t of candidates) {
    const re = bodyRe(t, d);
    let k = 0;
    for (const [b, c] of bodies) if (b.includes(t) && re.test(b)) k += c;
    if (k > bestCount) {
      bestCount = k;
      best = t;
    }
  }
  if (best !== undefined) format.thousands = best;
  if (percent) format.percent = true;
  if (parens) format.parentheses = true;
  let topCurrency: string | undefined;
  let topCount = 0;
  for (const [c, k] of currencies) {
    if (k > topCount) {
      topCount = k;
      topCurrency = c;
    }
  }
  if (topCurrency !== undefined) format.currency = topCurrency;
  let numeric = 0;
  let formatted = 0;
  let firstBad: string | undefined;
  for (const [v, c] of counts) {
    const x = parseNumber(v, format);
    if (Number.isNaN(x)) {
      firstBad ??= v;
      continue;
    }
    numeric += c;
    if (isFormattedNumber(v) || (d === ',' && v.includes(','))) formatted += c;
  }
  const out: DetectedFormat = { format, numeric, formatted };
  if (firstBad !== undefined) out.firstBad = firstBad;
  return out;
}

/** Whether a format asks for anything beyond a plain number with a decimal point. */
export function hasNumberFormat(f: NumberFormat | undefined): f is NumberFormat {
  return f !== undefined && (!!f.thousands || f.percent === true || !!f.currency || f.decimal === ',' || f.parentheses === true);
}

/**
 * How a format writes its numbers, in words for a column's reason: "numbers with '$' and ','
 * thousands separators", "percentages (12.5% read as 12.5)", "numbers with decimal commas".
 */
export function describeNumberFormat(f: NumberFormat): string {
  const parts: string[] = [];
  if (f.currency !== undefined) parts.push(`'${f.currency}'`);
  if (f.thousands !== undefined) parts.push(`'${f.thousands === '\u00a0' || f.thousands === '\u202f' ? 'no-break space' : f.thousands}' thousands separators`);
  if (f.decimal === ',') parts.push('decimal commas');
  if (f.parentheses) parts.push('negatives in parentheses');
  const head = f.percent ? `percentages (12.5% read as 12.5)${parts.length ? ' with ' : ''}` : `numbers with `;
  return `${head}${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts.join('')}`.trimEnd();
}

/** Checks the fields of a saved format; returns the problem, or null. */
export function numberFormatProblem(f: unknown): string | null {
  if (f === null || typeof f !== 'object' || Array.isArray(f)) return 'is not an object';
  const { thousands, percent, currency, decimal, parentheses } = f as Record<string, unknown>;
  if (thousands !== undefined && typeof thousands !== 'string') return '.thousands is not a string';
  if (percent !== undefined && typeof percent !== 'boolean') return '.percent is not a boolean';
  if (currency !== undefined && typeof currency !== 'string') return '.currency is not a string';
  if (decimal !== undefined && decimal !== '.' && decimal !== ',') return ".decimal is not '.' or ','";
  if (parentheses !== undefined && typeof parentheses !== 'boolean') return '.parentheses is not a boolean';
  return null;
}

/**
 * A column as float64, NaN where missing: numeric storage as it is; text (Utf8, LargeUtf8,
 * dictionary) parsed once per distinct label with {@link parseNumber} and `format` (a plain
 * number when none is given). Blank text is missing; other text that does not read is NaN and
 * counted in `invalid`, with the first such text in `firstInvalid`. O(n).
 */
export function readNumberColumn(vector: arrow.Vector, format: NumberFormat = {}): { values: Float64Array; invalid: number; firstInvalid?: string } {
  const out = new Float64Array(vector.length);
  let invalid = 0;
  let firstInvalid: string | undefined;
  let start = 0;
  for (const data of vector.data as arrow.Data[]) {
    const n = data.length;
    const type = data.type;
    if (arrow.DataType.isFloat(type) && type.precision !== arrow.Precision.HALF) {
      const v = data.values as Float32Array | Float64Array;
      for (let i = 0; i < n; i++) out[start + i] = v[i];
    } else if (arrow.DataType.isInt(type)) {
      const v = data.values as ArrayLike<number | bigint>;
      if (type.bitWidth === 64) for (let i = 0; i < n; i++) out[start + i] = Number(v[i]);
      else for (let i = 0; i < n; i++) out[start + i] = v[i] as number;
    } else if (arrow.DataType.isBool(type)) {
      const v = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const b = data.offset + i;
        out[start + i] = (v[b >> 3] >> (b & 7)) & 1;
      }
    } else if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type) || arrow.DataType.isDictionary(type)) {
      const interner = new Interner();
      const ids = new Int32Array(n);
      internChunk(data, interner, ids);
      const parsed = interner.labels.map((l) => (stripBlank(l) === '' ? NaN : parseNumber(l, format)));
      const bad = interner.labels.map((l, id) => stripBlank(l) !== '' && Number.isNaN(parsed[id]));
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        out[start + i] = id < 0 ? NaN : parsed[id];
        if (id >= 0 && bad[id]) {
          invalid++;
          firstInvalid ??= interner.labels[id];
        }
      }
      start += n;
      continue;
    } else {
      const chunk = new arrow.Vector([data]);
      for (let i = 0; i < n; i++) {
        const v: unknown = chunk.get(i);
        const x = v === null || v === undefined ? NaN : typeof v === 'string' ? parseNumber(v, format) : Number(v);
        if (v !== null && v !== undefined && Number.isNaN(x) && !(typeof v === 'string' && stripBlank(v) === '')) {
          invalid++;
          firstInvalid ??= String(v);
        }
        out[start + i] = x;
      }
      start += n;
      continue;
    }
    if (data.nullCount > 0) {
      const valid = validityOf(data);
      for (let i = 0; i < n; i++) if (!valid(i)) out[start + i] = NaN;
    }
    start += n;
  }
  const result: { values: Float64Array; invalid: number; firstInvalid?: string } = { values: out, invalid };
  if (firstInvalid !== undefined) result.firstInvalid = firstInvalid;
  return result;
}

