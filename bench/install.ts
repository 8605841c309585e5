// SPDX-License-Identifier: MIT
/** The build the benches run: src/ compiled into a folder of its own, laid out as `npm ci` lays it out. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './common.js';

/**
 * Builds src/ into INSTALL/dist (bench/.cache/job-install for bench:job) with bin/segments.js beside it, as `npm ci`
 * (prepare) lays it out (tsc, then scripts/nodeShims.mjs and scripts/bundleCli.mjs). tsc emits even when a type check fails (others' work in progress):
 * that is recorded, and the run goes on when the CLI's entry was emitted. `typeCheck: false` emits
 * without checking types (tsc --noCheck: the same files, in less time), for a caller
 * whose types are checked elsewhere (the tests: `npm test` runs tsc --noEmit).
 */
export function buildInstall(INSTALL: string, log: (m: string) => void, options: { typeCheck?: boolean } = {}): string {
  mkdirSync(join(INSTALL, 'bin'), { recursive: true });
  const noCheck = options.typeCheck === false ? ['--noCheck'] : [];
  const compiler = join(ROOT, 'node_modules', 'typescript-native');
  const version = (JSON.parse(readFileSync(join(compiler, 'package.json'), 'utf8')) as { version: string }).version;
  let note = `tsc ${version} -p tsconfig.build.json --outDir ${relative(ROOT, join(INSTALL, 'dist'))}${noCheck.map((f) => ` ${f}`).join('')}`;
  rmSync(join(INSTALL, 'dist'), { recursive: true, force: true });
  log(`building: ${note}`);
  try {
    execFileSync(process.execPath, [join(compiler, 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(INSTALL, 'dist'), ...noCheck], { cwd: ROOT, stdio: 'pipe' });
    note += ': ok';
  } catch (err) {
    const out = String((err as { stdout?: Buffer }).stdout ?? '').trim().split('\n');
    note += `: type errors, emitted anyway (${out.length} lines, first: ${out[0]?.slice(0, 100)} …)`;
    log(`warning: ${note}`);
  }
  if (!existsSync(join(INSTALL, 'dist', 'cli', 'main.js'))) throw new Error(`bench: the build emitted no dist/cli/main.js (${note})`);
  writeFileSync(join(INSTALL, 'package.json'), JSON.stringify({ name: 'segments', type: 'module' }));
  if (!existsSync(join(INSTALL, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(INSTALL, 'node_modules'), 'dir');
  // The rest of `npm run build`: TensorFlow.js by require, and the CLI's bundle that bin/segments.js runs.
  for (const script of ['nodeShims.mjs', 'bundleCli.mjs']) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', script), join(INSTALL, 'dist')], { cwd: ROOT, stdio: 'pipe' });
    note += `; scripts/${script}`;
  }
  copyFileSync(join(ROOT, 'bin', 'segments.js'), join(INSTALL, 'bin', 'segments.js'));
  return note;
}

