// SPDX-License-Identifier: MIT
/**
 * Ordered ranges written as text, as survey and ads exports write ages and incomes:
 * `25-34`, `65+`, `0-20k`, `20k-40k`, `100k+`, `<18`, `$50,000 - $75,000`, `10 to 20`.
 */
import type { RangeLevel } from './schema.js';

const NUM = String.raw`[$€£]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*([kKmMbB])?`;
const BETWEEN = new RegExp(String.raw`^${NUM}\s*(?:-|–|—|to)\s*${NUM}$`, 'i');
const ABOVE = new RegExp(String.raw`^(?:${NUM}\s*(?:\+|and over|and above|or more|or older)|(?:over|above|>=?|≥)\s*${NUM})$`, 'i');
const BELOW = new RegExp(String.raw`^(?:under|below|less than|up to|<=?|≤)\s*${NUM}$`, 'i');
const MULT: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };

function num(int: string, frac: string | undefined, suffix: string | undefined, inherited = 1): number {
  const v = Number(int.replace(/,/g, '') + (frac ? `.${frac}` : ''));
  return v * (suffix ? MULT[suffix.toLowerCase()] : inherited);
}

/**
 * Parses one range level, or returns undefined when the text is not a range (a plain number is
 * not one). A bare lower bound takes the multiplier of the upper one: `10-20k` is 10,000–20,000,
 * `0-20k` is 0–20,000. `65+` is [65, ∞), `<18` is (−∞, 18). The lower bound must not exceed the upper.
 */
export function parseRange(text: string): RangeLevel | undefined {
  const t = text.trim();
  let m = BETWEEN.exec(t);
  if (m) {
    const high = num(m[4], m[5], m[6]);
    const low = num(m[1], m[2], m[3], m[3] ? 1 : m[6] ? MULT[m[6].toLowerCase()] : 1);
    return low <= high ? { text, low, high } : undefined;
  }
  m = ABOVE.exec(t);
  if (m) {
    const low = m[1] !== undefined ? num(m[1], m[2], m[3]) : num(m[4], m[5], m[6]);
    return { text, low, high: Infinity };
  }
  m = BELOW.exec(t);
  if (m) return { text, low: -Infinity, high: num(m[1], m[2], m[3]) };
  return undefined;
}

/** Orders range levels by their lower, then upper bound. */
export function orderLevels(levels: RangeLevel[]): RangeLevel[] {
  return [...levels].sort((a, b) => a.low - b.low || a.high - b.high || (a.text < b.text ? -1 : 1));
}
