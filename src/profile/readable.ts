// SPDX-License-Identifier: MIT
/**
 * Words for people: a column name made readable (`Click-Through Rates (CTR)` → `CTR`,
 * `Time Spent Online (hrs/weekend)` → `time spent online (weekend)`) and the phrase that says
 * what sets a segment apart on one feature (`high CTR`, `mostly Urban`, `into Gaming`).
 */
import { assertUnreachable } from '../errors.js';
import type { DistinctiveFeature } from './feature.js';

/** Units and scales in parentheses that a name can do without. */
const UNIT = /^(hrs?|hours?|h|mins?|minutes?|secs?|seconds?|s|ms|days?|weeks?|years?|yrs?|k?\$|\$k|%|usd|eur|€|£|k|m|[\d.]+\s*[-–]\s*[\d.]+)$/i;

/** Whether a word is an acronym to keep in capitals (CTR, ID, URL). */
function isAcronym(word: string): boolean {
  return /^[A-Z][A-Z0-9]+s?$/.test(word) && /[A-Z].*[A-Z]/.test(word);
}

/** Acronyms kept in capitals in a name written all in capitals (where every word would look like one). */
const KNOWN_ACRONYMS = new Set(['ID', 'URL', 'CTR', 'ROI', 'LTV', 'CLV', 'ARPU', 'KPI', 'GDP', 'USD', 'EUR', 'GBP', 'SMS', 'IP', 'OS', 'UI', 'VIP', 'NPS', 'AOV', 'RFM']);

/** Leading abbreviations that say "the number of" (NumStorePurchases, n_orders, nb_visits, cnt_logins): dropped. */
const COUNT_PREFIX = /^(?:num|nb|cnt|n|no of|number of|count of) (?=\S)/;
/** A trailing "count" after what is counted (followerCount, videos_count): the plural says it. */
const COUNT_SUFFIX = / (?:count|cnt|num)$/;

function words(text: string): string {
  const allCaps = !/[a-z]/.test(text) && /[A-Z]{2}/.test(text);
  const split = text
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => (allCaps ? (KNOWN_ACRONYMS.has(w) ? w : w.toLowerCase()) : isAcronym(w) ? w : w.toLowerCase()))
    .join(' ');
  return plainWords(split);
}

/**
 * Abbreviations of the usual exports read as words: `num store purchases` → `store purchases`,
 * `follower count` → `followers`, `mnt wines` (the amount spent on wines, as in the
 * marketing-campaign data) → `spending on wines`. Only whole words at the start or the end.
 */
function plainWords(text: string): string {
  let t = text;
  if (COUNT_PREFIX.test(t)) t = t.replace(COUNT_PREFIX, '');
  else if (COUNT_SUFFIX.test(t) && t.split(' ').length > 1) {
    t = t.replace(COUNT_SUFFIX, '');
    if (!/s$/.test(t)) t += 's';
  } else if (/^mnt (?=\S)/.test(t)) t = t.replace(/^mnt /, 'spending on ');
  return t;
}

/**
 * A column name as words in a sentence: underscores and camelCase split, lower case except
 * acronyms; an acronym in parentheses replaces the name; units in parentheses are dropped.
 *
 * Examples (checked in test/profile/readable.test.ts): `Click-Through Rates (CTR)` → `CTR`,
 * `Annual Income (k$)` → `annual income`.
 */
export function readableColumn(name: string): string {
  const paren = /\(([^)]*)\)/g;
  const inside = [...name.matchAll(paren)].map((m) => m[1].trim());
  const base = words(name.replace(paren, ' ').trim());
  for (const p of inside) if (isAcronym(p)) return p;
  const kept = inside.flatMap((p) => p.split('/').map((s) => s.trim())).filter((s) => s.length > 0 && !UNIT.test(s));
  const text = kept.length > 0 ? `${base} (${kept.map(words).join('/')})` : base;
  return text.length > 0 ? text : name;
}

const TRUE = /^(true|t|yes|y|1|on)$/i;
const FALSE = /^(false|f|no|n|0|off)$/i;

/** A value that says little without its column's name: numbers, ranges, one or two letters. */
function needsColumn(value: string): boolean {
  return value.length <= 2 || /^[\d\s.,+\-–<>%$k]+$/i.test(value);
}

/**
 * The phrase for one distinctive feature:
 * - number: `high <column>` / `low <column>`, `very …` when |standardised difference| ≥ 1;
 * - count: `many <column>` / `few <column>` (`very …` likewise);
 * - flag: `<column>` for a true/yes value, `not <column>` for a false/no value;
 * - category or range value: `mostly <value>` when its share is at least 1/2, else
 *   `often <value>`, with the column's name before a value that needs it (`mostly age 25-34`);
 * - list item: `into <item>`.
 */
export function featurePhrase(f: DistinctiveFeature): string {
  const column = readableColumn(f.column);
  switch (f.type) {
    case 'numeric': {
      const up = f.stdDiff > 0;
      const word = f.kind === 'count' ? (up ? 'many' : 'few') : up ? 'high' : 'low';
      return `${Math.abs(f.stdDiff) >= 1 ? 'very ' : ''}${word} ${column}`;
    }
    case 'value': {
      if (f.kind === 'flag' && TRUE.test(f.value.trim())) return column;
      if (f.kind === 'flag' && FALSE.test(f.value.trim())) return `not ${column}`;
      const how = f.share >= 0.5 ? 'mostly' : 'often';
      const what = f.kind === 'range' || f.kind === 'flag' || needsColumn(f.value) ? `${column} ${f.value}` : f.value;
      return `${how} ${what}`;
    }
    case 'item':
      return `into ${f.value}`;
    default:
      return assertUnreachable(f);
  }
}
