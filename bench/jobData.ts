// SPDX-License-Identifier: MIT
/**
 * The data of the job bench: users from the sample generator (src/data/sampleGenerator.ts) written
 * once as CSV under bench/.cache/ (gitignored), with the planted segment of each user in a
 * separate file (`User ID,planted_segment`), so that neither side can read the answer as a
 * column. Both files are written under temporary names and renamed, so an interrupted run leaves
 * no half file in the cache.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateSample, SAMPLE_SEGMENT_NAMES } from '../src/data/sampleGenerator.js';
import { writeTable } from '../src/data/writers.js';
import { CACHE_DIR, type IngestSpec } from './ingestData.js';

export { CACHE_DIR };

/** The generated users of a run: as many rows, the generator's seed and share of missing cells as the ingest bench's. */
export type JobSpec = IngestSpec;

/** The name stem of a dataset; `v1` changes when the generator's output would. */
export function jobStem(spec: JobSpec): string {
  return `job-v1-n${spec.rows}-seed${spec.seed}-missing${spec.missing}`;
}

export interface JobFiles {
  /** The users, the file both sides read. */
  csv: string;
  /** `User ID,planted_segment` (the segment's name), one row per user. */
  truth: string;
}

export function jobFiles(spec: JobSpec): JobFiles {
  const stem = join(CACHE_DIR, jobStem(spec));
  return { csv: `${stem}.csv`, truth: `${stem}.truth.csv` };
}

/** Writes the users and their planted segments unless both are cached; says whether it wrote them. */
export async function ensureJobData(spec: JobSpec): Promise<{ files: JobFiles; generated: boolean }> {
  const files = jobFiles(spec);
  if (existsSync(files.csv) && existsSync(files.truth)) return { files, generated: false };
  mkdirSync(CACHE_DIR, { recursive: true });
  const truth = createWriteStream(`${files.truth}.tmp`);
  const write = (text: string): Promise<void> => new Promise((resolve) => (truth.write(text) ? resolve() : truth.once('drain', () => resolve())));
  await write('User ID,planted_segment\n');
  async function* batches(): AsyncGenerator<import('apache-arrow').RecordBatch> {
    for (const { batch, segment, start } of generateSample({ rows: spec.rows, seed: spec.seed, missing: spec.missing })) {
      const lines: string[] = [];
      for (let i = 0; i < segment.length; i++) lines.push(`${start + i + 1},${SAMPLE_SEGMENT_NAMES[segment[i]]}\n`);
      await write(lines.join(''));
      yield batch;
    }
  }
  await writeTable(batches(), `${files.csv}.tmp`, { format: 'csv', newline: '\n' });
  await new Promise<void>((resolve, reject) => truth.end((err?: Error | null) => (err ? reject(err) : resolve())));
  renameSync(`${files.csv}.tmp`, files.csv);
  renameSync(`${files.truth}.tmp`, files.truth);
  return { files, generated: true };
}
