// SPDX-License-Identifier: MIT
/**
 * The data of the ingest bench: a CSV written by the sample generator (src/data/sampleGenerator.ts)
 * with a seed and a share of missing cells, cached under bench/.cache/ (gitignored) by its
 * parameters, so that every run and both sides read the same bytes.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const CACHE_DIR = join(BENCH_DIR, '.cache');

export interface IngestSpec {
  rows: number;
  seed: number;
  /** Share of missing cells in the columns that take them (see MISSING_COLUMNS of the generator). */
  missing: number;
}

/** The name stem of a dataset; `v1` changes when the generator's output would. */
export function ingestStem(spec: IngestSpec): string {
  return `ingest-v1-n${spec.rows}-seed${spec.seed}-missing${spec.missing}`;
}

/** The cached CSV of a spec (may not exist yet). */
export function ingestCsvPath(spec: IngestSpec): string {
  return join(CACHE_DIR, `${ingestStem(spec)}.csv`);
}

export function ingestCsvExists(spec: IngestSpec): boolean {
  return existsSync(ingestCsvPath(spec));
}

/** Where the write task puts its files (deleted after the read tasks). */
export function ingestWritePath(spec: IngestSpec, format: 'csv' | 'arrow' | 'parquet'): string {
  return join(CACHE_DIR, `${ingestStem(spec)}.written.${format}`);
}
