// SPDX-License-Identifier: MIT
/** Where the tests find the real datasets: byte-for-byte copies of ../shared/data in the repo. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder, with a trailing slash. */
export const DATA_DIR = fileURLToPath(new URL('../fixtures/data/', import.meta.url));

/** The real data files, as named in ../shared/data/SOURCES.md. */
export const DATA_FILES = [
  'Mall_Customers.csv',
  'social_media_wellbeing_test.csv',
  'social_media_wellbeing_train.csv',
  'tiktok_profilesData.csv',
  'user_profiles_for_ads.csv',
] as const;

/** The path of one real data file. */
export function dataPath(name: (typeof DATA_FILES)[number]): string {
  return DATA_DIR + name;
}

/**
 * A tiny RFC 4180 reader for tests that must not depend on src/data/csv.ts (whose own tests
 * compare it with pandas): quoted fields, doubled quotes, CRLF, a BOM; one record per row.
 */
export function readCsvRecords(path: string): Array<Record<string, string>> {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]])));
}
