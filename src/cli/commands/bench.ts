// SPDX-License-Identifier: MIT
/**
 * `segments bench [-- bench flags]`: the benchmarks against scikit-learn live in `bench/` of a
 * checkout (they need the sources, tsx and a Python with scikit-learn), not in the published
 * package. From a checkout this runs `bench/run.ts` with tsx, passing the flags after `--`;
 * elsewhere it says how to get and run it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandSpec } from '../args.js';
import type { Context } from '../context.js';

export const BENCH_SPEC: CommandSpec = {
  name: 'bench',
  summary: 'Runs the k-means and silhouette benchmarks against scikit-learn (from a checkout of the sources).',
  positionals: [],
  flags: {},
  rest: true,
  notes: ['flags after -- go to the bench, e.g. `segments bench -- --quick` or `segments bench -- --help`.'],
};

/**
 * The package's root: the nearest folder above this module with segments' package.json (this
 * module is src/cli/commands/bench.ts, dist/cli/commands/bench.js, or inside dist/bundle/).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'segments') return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(fileURLToPath(import.meta.url)); // no bench/ there: the command says how to get it
    dir = up;
  }
}

/** How to run the bench from a checkout, for an installation without `bench/`. */
export const BENCH_HOWTO = [
  'the bench is not part of this installation: it needs the sources (bench/), tsx and scikit-learn.',
  'from a checkout of segments:',
  '  npm ci',
  '  apt-get install -y python3-sklearn   # the reference, run by /usr/bin/python3',
  '  npm run bench -- --quick            # or: npx segments bench -- --quick',
  'see bench/README.md for the flags and what is measured.',
];

/** Runs `segments bench`; returns the exit code (the bench's own, or 1 when it is not here). */
export async function benchCommand(ctx: Context, root = packageRoot()): Promise<number> {
  const script = join(root, 'bench', 'run.ts');
  const tsx = join(root, 'node_modules', 'tsx');
  if (!existsSync(script) || !existsSync(tsx)) {
    const missing = !existsSync(script) ? script : `${tsx} (npm ci installs it)`;
    ctx.io.err(`segments: bench: ${missing} not found`);
    for (const line of BENCH_HOWTO) ctx.io.out(line);
    return 1;
  }
  const args = ['--import', 'tsx', script, ...ctx.args.positionals];
  if (!ctx.quiet) ctx.note(`running: node ${args.join(' ')} (in ${root})`);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Uint8Array) => ctx.io.writeOut(chunk));
  child.stderr.on('data', (chunk: Uint8Array) => ctx.io.writeErr(new TextDecoder().decode(chunk)));
  return new Promise<number>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}
