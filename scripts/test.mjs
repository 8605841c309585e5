// SPDX-License-Identifier: MIT
/**
 * `npm test`: the type check (tsc --noEmit over src, test, bench, scripts and app) and the
 * vitest run, side by side. The type check is TypeScript's native compiler (7.x, the
 * `typescript-native` alias; the `typescript` package stays 5.9 for its JavaScript API, which the
 * doc-example spec and dependency-cruiser use): about 4 s and 7 s of CPU here, against 24 s of CPU
 * for tsc 5.9, with the same errors. Arguments go to vitest
 * (`npm test -- test/cli`). vitest's output streams as it comes; tsc's is printed when it ends,
 * unless it found nothing. Exits with vitest's status, or tsc's when that failed and vitest's did
 * not; Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tscBin = join(dirname(require.resolve('typescript-native/package.json')), 'bin', 'tsc');
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');

/** Runs `node file args` in the project's folder; resolves with its exit status (and its output, when captured). */
function run(file, args, capture) {
  const child = spawn(process.execPath, [file, ...args], { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  let output = '';
  if (capture) {
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
  }
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output })));
  return { child, done };
}

const tsc = run(tscBin, ['-p', 'tsconfig.json', '--noEmit'], true);
const vitest = run(vitestBin, ['run', ...process.argv.slice(2)], false);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    tsc.child.kill(signal);
    vitest.child.kill(signal);
  });
}

const [types, tests] = await Promise.all([tsc.done, vitest.done]);
if (types.code === 0) {
  console.log('tsc --noEmit: no type errors');
} else {
  process.stdout.write(types.output);
  console.error(`tsc --noEmit: type errors (exit ${types.code})`);
}
process.exit(tests.code !== 0 ? tests.code : types.code);
