// SPDX-License-Identifier: MIT
/**
 * Text widths for charts rendered without a canvas. Vega lays out labels (axis padding, legend
 * columns, truncation at `labelLimit`) by measuring text; in Node, with no `canvas` package, it
 * falls back to 0.8 em per character, about a third wider than real sans-serif text, so labels
 * were cut short ("Time Spent Onl…") and margins left empty. This estimate sums per-character
 * advance widths close to DejaVu Sans (the widest of the usual sans-serif fonts, and Debian's
 * default), so the real text fits in the room Vega leaves for it. Vega supports replacing
 * `textMetrics.width` for this purpose; it is replaced only where Vega has no canvas to measure
 * with (never in a browser).
 */
import * as vega from 'vega';

const CLASSES: Array<[string, number]> = [
  ["iljI|.,:;!'", 0.3],
  [' ', 0.32],
  ['ft()[]{}/\\-r', 0.39],
  ['sczJ"*', 0.53],
  ['0123456789$#', 0.64],
  ['w', 0.82],
  ['MW%m', 0.97],
];
const WIDTH = new Map<string, number>(CLASSES.flatMap(([chars, w]) => [...chars].map((c): [string, number] => [c, w])));

/** Estimated width in pixels of one line of `text` at `fontSize` px; bold is 10 % wider. */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) {
    const known = WIDTH.get(c);
    if (known !== undefined) em += known;
    else if (c >= 'a' && c <= 'z') em += 0.61;
    else if (c >= 'A' && c <= 'Z') em += 0.72;
    else em += (c.codePointAt(0) ?? 0) >= 0x2e80 ? 1 : 0.75;
  }
  return em * fontSize * (bold ? 1.1 : 1);
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}
interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
  estimateWidth: (item: TextItem, text?: unknown) => number;
}

function itemWidth(item: TextItem, text?: unknown): number {
  const value = text === undefined ? item.text : text;
  const line = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
  return estimateTextWidth(line, item.fontSize ?? 11, bold);
}

/** Makes Vega use `estimateTextWidth` when it has no canvas to measure text with. Idempotent. */
export function useTextEstimate(): void {
  const metrics = (vega as unknown as { textMetrics: TextMetrics }).textMetrics;
  if (metrics.width === metrics.estimateWidth) metrics.width = itemWidth;
}
