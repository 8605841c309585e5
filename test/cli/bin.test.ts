// SPDX-License-Identifier: MIT
/**
 * The real `bin/segments.js` in a child process, on a fresh build of src/ (into a temporary folder,
 * so that the shared dist/ is left alone): exit codes, one-line errors, and a fit then predict.
 * Also `segments bench` from this checkout and from an installation without bench/.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInstall } from '../../bench/install.js';
import { benchCommand, packageRoot } from '../../src/cli/commands/bench.js';
import { parseArgs } from '../../src/cli/args.js';
import { BENCH_SPEC } from '../../src/cli/commands/bench.js';
import { makeContext } from '../../src/cli/context.js';
import { tempDir } from '../helpers/tempDir.js';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'test', 'fixtures', 'data');
let install = '';

function segments(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [join(install, 'bin', 'segments.js'), ...args], { cwd: install, timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1;
      done({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  install = tempDir('segments-bin-');
  // tsc, the tfjs shims and the CLI's bundle, as `npm ci` (prepare) lays them out; types are
  // checked by `npm test` itself (scripts/test.mjs), not again here
  const note = buildInstall(install, () => {}, { typeCheck: false });
  expect(note).toMatch(/: ok; scripts\/nodeShims\.mjs; scripts\/bundleCli\.mjs$/);
}, 300_000);

describe('bin/segments.js in a child process', () => {
  it('exit 2 and one line for an unknown flag; exit 1 and one line for a missing file', async () => {
    const flag = await segments(['fit', join(DATA, 'Mall_Customers.csv'), '--nope']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe("segments: unknown flag --nope for 'fit' (see 'segments fit --help')");
    const missing = await segments(['predict', 'absent-model.json', join(DATA, 'Mall_Customers.csv'), '--backend', 'cpu']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^segments: cannot read 'absent-model.json'/);
  });

  it('fit writes its files and predict on the same rows gives the same segments; stderr (not a tty) has no progress', async () => {
    const out = join(install, 'mall-out');
    const fit = await segments(['fit', join(DATA, 'Mall_Customers.csv'), '--k', '5', '--n-init', '2', '--backend', 'cpu', '--out', out]);
    expect(fit.code).toBe(0);
    expect(fit.stdout).toMatch(/CustomerID\s+id\s+no/);
    expect(fit.stderr).not.toContain('\r');
    const predict = await segments(['predict', join(out, 'model.json'), join(DATA, 'Mall_Customers.csv'), '--backend', 'cpu']);
    expect(predict.code).toBe(0);
    const column = (csv: string, name: string): string[] => {
      const lines = csv.trim().split(/\r?\n/);
      const j = lines[0].split(',').indexOf(name);
      return lines.slice(1).map((l) => l.split(',')[j]);
    };
    const fitted = column(readFileSync(join(out, 'segments.csv'), 'utf8'), 'segment');
    expect(fitted).toHaveLength(200);
    expect(column(predict.stdout, 'segment')).toEqual(fitted);
    expect(predict.stdout.split('\n')[0]).toMatch(/,segment,segment_name,segment_distance$/);
    // --quiet: nothing on stderr when nothing failed (tfjs's cpu backend printed an npm hint).
    const quiet = await segments(['fit', join(DATA, 'Mall_Customers.csv'), '--k', '3', '--n-init', '1', '--backend', 'cpu', '--out', join(install, 'quiet-out'), '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });
});

describe('segments bench', () => {
  it('runs bench/run.ts from this checkout, passing the flags after --', async () => {
    let out = '';
    const io = { out: (l: string) => (out += `${l}\n`), err: () => {}, writeOut: (c: string | Uint8Array) => (out += typeof c === 'string' ? c : new TextDecoder().decode(c)), writeErr: () => {}, isTTY: false };
    const code = await benchCommand(makeContext(io, parseArgs(BENCH_SPEC, ['--', '--help'])), packageRoot());
    expect(code).toBe(0);
    expect(out).toMatch(/npm run bench -- \[options\]/);
  });

  it('says how to run it from a checkout where there is no bench/, exit 1', async () => {
    let out = '';
    const errs: string[] = [];
    const io = { out: (l: string) => (out += `${l}\n`), err: (l: string) => errs.push(l), writeOut: () => {}, writeErr: () => {}, isTTY: false };
    const code = await benchCommand(makeContext(io, parseArgs(BENCH_SPEC, [])), tempDir('segments-nobench-'));
    expect(code).toBe(1);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^segments: bench: .*bench\/run\.ts not found$/);
    expect(out).toMatch(/npm run bench -- --quick/);
  });
});
