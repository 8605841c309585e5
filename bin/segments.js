#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The CLI bundled by scripts/bundleCli.mjs (`npm run build`): it starts faster than dist/cli/main.js.
import { setFlagsFromString } from 'node:v8';

// A CLI run is short: V8's optimizing compiler, at its defaults, spent about 30 % of the CPU
// time of `segments fit` on 10^5 rows (1.7 of 5.6 s, measured with `perf`, on background threads
// that compete with the kernels and the report's thread for the 2 cores), mostly inlining into
// large functions that run once. Inlining less and optimizing a little later halved that: the
// job's CPU time fell by 6-9 % and its wall time by about 6 % at 10^5 rows (interleaved runs),
// and 10^6 rows took the same (bench/README.md, "The whole job"). Set before any of our code
// loads and before the report's thread starts (the flags are the process's); a value given in
// NODE_OPTIONS or on node's command line is kept.
const given = `${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`;
for (const flag of ['--max-inlined-bytecode-size-cumulative=100', '--interrupt-budget=150000']) {
  if (!given.includes(flag.slice(0, flag.indexOf('=')))) setFlagsFromString(flag);
}

const { main } = await import('../dist/bundle/cli.js');
process.exitCode = await main(process.argv.slice(2));
