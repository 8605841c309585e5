// SPDX-License-Identifier: MIT
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { run } from './run.js';
import { tempDir } from '../helpers/tempDir.js';

const DATA = join(__dirname, '..', 'fixtures', 'data');

describe('segments CLI: exit codes and one-line errors', () => {
  const oneLine = (err: string): void => expect(err.split('\n')).toHaveLength(1);

  it('exits 2 on usage errors, naming the command, flag or argument', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.err).toBe("segments: no command given (see 'segments --help')");
    const bad = await run(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^segments: unknown command 'frobnicate' \(commands: fit, predict, profile, sql, sample, bench, serve\)/);
    const flag = await run(['fit', join(DATA, 'Mall_Customers.csv'), '--frob']);
    expect(flag.code).toBe(2);
    expect(flag.err).toBe("segments: unknown flag --frob for 'fit' (see 'segments fit --help')");
    const value = await run(['sample', '--rows']);
    expect(value.code).toBe(2);
    expect(value.err).toMatch(/--rows needs a value/);
    const k = await run(['fit', join(DATA, 'Mall_Customers.csv'), '--k', 'many']);
    expect(k.code).toBe(2);
    expect(k.err).toMatch(/--k: 'many' is not a positive integer or 'auto'/);
    const missing = await run(['predict', 'model.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing argument <file>/);
    const both = await run(['fit']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/missing argument <file> \(or --sample\)/);
    const wrongAlgo = await run(['fit', '--sample', '--algorithm', 'dbscan', '--k', '3']);
    expect(wrongAlgo.code).toBe(2);
    expect(wrongAlgo.err).toMatch(/--k does not apply to DBSCAN \(its own options: --eps, --min-samples, --max-noise-share\)/);
    for (const r of [none, bad, flag, value, k, missing, both, wrongAlgo]) oneLine(r.err);
  });

  it('exits 2 for a library ParameterError (a bad value caught by the library)', async () => {
    const rows = await run(['sample', '--rows', '3000000000', '--out', join(tempDir('segments-cli-'), 'users.csv')]);
    expect(rows.code).toBe(2);
    expect(rows.err).toBe('segments: rows=3000000000 is more than the Int32 User ID holds');
  });

  it('exits 1 with one line for a missing file, naming it', async () => {
    const r = await run(['fit', '/nonexistent/users.csv', '--backend', 'cpu', '--out', tempDir('segments-cli-')]);
    expect(r.code).toBe(1);
    oneLine(r.err);
    expect(r.err).toBe("segments: cannot open '/nonexistent/users.csv': no such file");
  });

  it('exits 1 with the line number for a bad row, and says how to go on', async () => {
    const r = await run(['fit', join(DATA, 'social_media_wellbeing_test.csv'), '--backend', 'cpu', '--out', tempDir('segments-cli-')]);
    expect(r.code).toBe(1);
    oneLine(r.err);
    expect(r.err).toBe(
      `segments: ${join(DATA, 'social_media_wellbeing_test.csv')}: a row does not parse (line 95: column 'Age': 'Male' is not a number); use --bad-rows skip or --bad-rows null to go on`,
    );
  });

  it('exits 1 for a broken model file, and --verbose adds the stack', async () => {
    const dir = tempDir('segments-cli-');
    writeFileSync(join(dir, 'model.json'), '{"format": "segments.model", "formatVersion": 1');
    const r = await run(['predict', join(dir, 'model.json'), join(DATA, 'Mall_Customers.csv'), '--backend', 'cpu']);
    expect(r.code).toBe(1);
    oneLine(r.err);
    expect(r.err).toMatch(/model\.json.*cannot be parsed.*truncated/);
    const v = await run(['predict', join(dir, 'model.json'), join(DATA, 'Mall_Customers.csv'), '--backend', 'cpu', '--verbose']);
    expect(v.code).toBe(1);
    expect(v.err.split('\n').length).toBeGreaterThan(2);
    expect(v.err).toMatch(/\n\s+at /);
  });

  it("exits 1 with one line for a library error ('tensorflow' backend absent)", async () => {
    const r = await run(['fit', '--sample', '--rows', '100', '--backend', 'tensorflow', '--out', tempDir('segments-cli-')]);
    expect(r.code).toBe(1);
    oneLine(r.err);
    expect(r.err).toMatch(/@tensorflow\/tfjs-node is not installed/);
  });


  it('--help shows the usage and a command its flags, exit 0', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['fit', 'predict', 'profile', 'sample', 'bench']) expect(top.out).toContain(`  ${c} `);
    const fit = await run(['fit', '--help']);
    expect(fit.code).toBe(0);
    for (const f of ['--sample', '--algorithm', '--k N|auto', '--eps', '--min-samples', '--bandwidth', '--linkage', '--exclude', '--kind', '--bad-rows', '--out', '--format']) {
      expect(fit.out).toContain(f);
    }
  });
});
