// SPDX-License-Identifier: MIT
/** Helpers for the profile tests: hand-written schema columns and a minimal CSV split. */
import type { ColumnInfo, ColumnKind, RangeLevel } from '../../src/data/schema.js';

/** A ColumnInfo written by hand (reason, missing and distinct do not matter to profiles). */
export function column(name: string, kind: ColumnKind, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  const use = !['id', 'text', 'url', 'datetime', 'empty'].includes(kind);
  return { name, kind, reason: 'written by hand for a test', use, missing: 0, distinct: 0, ...extra };
}

/** Range levels from their texts (the profile orders by the texts' order). */
export function levels(...texts: string[]): RangeLevel[] {
  return texts.map((text) => {
    const m = /^(\d+)k?(?:-(\d+)k?|\+)$/.exec(text);
    return { text, low: m === null ? NaN : Number(m[1]), high: m === null || m[2] === undefined ? Infinity : Number(m[2]) };
  });
}

/**
 * Splits a CSV file with a header into columns of strings. Handles quoted fields with commas
 * and doubled quotes and CRLF line ends; not embedded newlines (the two files used have none).
 */
export function splitCsv(text: string): { header: string[]; columns: string[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const rows = lines.map((line) => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') {
          quoted = false;
        } else {
          cell += ch;
        }
      } else if (ch === '"') {
        quoted = true;
      } else if (ch === ',') {
        cells.push(cell);
        cell = '';
      } else {
        cell += ch;
      }
    }
    cells.push(cell);
    return cells;
  });
  const header = rows[0];
  const body = rows.slice(1);
  for (const r of body) if (r.length !== header.length) throw new Error(`row has ${r.length} cells, header ${header.length}`);
  return { header, columns: header.map((_, c) => body.map((r) => r[c])) };
}

/** |got − want| ≤ tol·max(1, |want|). */
export function close(got: number | null | undefined, want: number, tol = 1e-9): boolean {
  return typeof got === 'number' && Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}
