// SPDX-License-Identifier: MIT
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';
import { tempDir } from '../helpers/tempDir.js';

const SQL = join(__dirname, '..', 'fixtures', 'sql');
const MODEL = join(SQL, 'model.json');

describe('segments sql', () => {
  it('prints the model as one SELECT in the dialect asked for, the golden query', async () => {
    for (const dialect of ['trino', 'postgres', 'clickhouse']) {
      const r = await run(['sql', MODEL, '--dialect', dialect, '--table', 'analytics.users', '--key', 'id']);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toBe(readFileSync(join(SQL, `${dialect}.sql`), 'utf8'));
    }
  });

  it('reads the table users and returns every column when no table or key is given', async () => {
    const r = await run(['sql', MODEL, '--dialect', 'duckdb']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('FROM "users" AS __segments_src');
    expect(r.out).toMatch(/^ {2}\* EXCLUDE \("__segments_r0", .*"__segments_least"\),$/m);
  });

  it('with --json prints the query with the dialect, table, key and the columns it reads', async () => {
    const r = await run(['sql', MODEL, '--dialect', 'snowflake', '--table', 'analytics.users', '--key', 'id', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      model: MODEL,
      dialect: 'snowflake',
      table: 'analytics.users',
      key: 'id',
      columns: ['age_band', 'plan', 'verified', 'visits', 'spend', 'share', 'interests', 'balance'],
      sql: readFileSync(join(SQL, 'snowflake.sql'), 'utf8'),
    });
  });

  it('exits 2 naming the flag for a missing or unknown dialect, and for trino without a key', async () => {
    const missing = await run(['sql', MODEL]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe("segments: --dialect is required (one of duckdb, postgres, clickhouse, spark, bigquery, snowflake, trino) (see 'segments sql --help')");
    const unknown = await run(['sql', MODEL, '--dialect', 'oracle']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--dialect.*oracle.*duckdb, postgres, clickhouse, spark, bigquery, snowflake, trino/);
    const trino = await run(['sql', MODEL, '--dialect', 'trino']);
    expect(trino.code).toBe(2);
    expect(trino.err).toBe('segments: trino has no SELECT * EXCEPT to return every column with the segment: name a key column (--key)');
  });

  it('exits 2 for a DBSCAN model, saying it has no centers', async () => {
    const json = JSON.parse(readFileSync(MODEL, 'utf8'));
    json.algorithm = { type: 'dbscan', corePoints: json.algorithm.centroids, coreLabels: [0, 1, 2], eps: 0.5, minSamples: 5 };
    json.segments.push({ id: -1, name: 'Noise', nameSource: 'generated', size: 0 });
    const path = join(tempDir('segments-sql-'), 'dbscan.json');
    writeFileSync(path, JSON.stringify(json));
    const r = await run(['sql', path, '--dialect', 'postgres']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^segments: a dbscan model has no centers: its rows go to the cluster of the nearest of 3 core points within eps, else to noise/);
  });

  it('exits 1 naming the file for a model that cannot be read', async () => {
    const path = join(tempDir('segments-sql-'), 'model.json');
    writeFileSync(path, '{"format": "segments.model"');
    const r = await run(['sql', path, '--dialect', 'duckdb']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/model\.json.*cannot be parsed/);
  });
});
