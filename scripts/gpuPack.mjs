// SPDX-License-Identifier: MIT
// `npm run gpu:pack`: builds build/gpu-check/, the GPU check as one folder that runs on a
// linux-x64 machine with a GPU and nothing else (no Node, no npm, no network): this machine's
// node and Dawn's dawn.node compressed with xz, the engine and the check bundled by esbuild into
// check.cjs (our wasm kernels are inlined in it as base64), tfjs's wasm binaries, Debian's
// libvulkan1 unpacked into lib/ for machines without a Vulkan loader, and the `run` launcher.
// Fails when the folder is over 60 MiB (what travels to the GPU machine is 64 MiB in all).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build', 'gpu-check');
const LIMIT = 60 * 2 ** 20;
const modules = join(root, 'node_modules');

function step(what) {
  console.log(`gpu:pack: ${what}`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'lib'), { recursive: true });

if (!existsSync(join(root, 'src/kernels/wasm/kernels.wasm.gen.ts'))) {
  step('building our wasm kernels (asm/build.mjs)');
  execFileSync(process.execPath, [join(root, 'asm/build.mjs')], { cwd: root, stdio: 'inherit' });
}

// The `webgpu` package finds dawn.node next to its own index.js, through import.meta.url; in the
// bundle it takes the path the launcher gives (SEGMENTS_DAWN_NODE: dawn.node unpacked into a
// temporary folder). Each replaced line must be found, so that a new version of the package that
// changes them stops the build instead of making a bundle that cannot load Dawn.
const dawnPath = {
  name: 'dawn-path',
  setup(build) {
    build.onLoad({ filter: /[\\/]webgpu[\\/]index\.js$/ }, (args) => {
      let src = readFileSync(args.path, 'utf8');
      const edits = [
        ['const require = createRequire(import.meta.url);', 'const require = createRequire(__filename);'],
        ['const __dirname = dirname(fileURLToPath(import.meta.url));', ''],
        [
          "const dawnNodePath = join(__dirname, 'dist', `${process.platform}-${arch}`, 'dawn.node');",
          "const dawnNodePath = process.env.SEGMENTS_DAWN_NODE || join(__filename, '..', 'dawn.node');",
        ],
      ];
      for (const [from, to] of edits) {
        if (!src.includes(from)) throw new Error(`gpu:pack: ${args.path} no longer has the line \`${from}\`; update the dawn-path plugin`);
        src = src.replace(from, to);
      }
      return { contents: src, loader: 'js' };
    });
  },
};

step('bundling the engine and the check (esbuild)');
await esbuild.build({
  entryPoints: [join(root, 'scripts/gpuCheck/main.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: join(out, 'check.cjs'),
  plugins: [dawnPath],
  // Optional backends the check never starts.
  external: ['@tensorflow/tfjs-node', '@duckdb/node-api'],
  logLevel: 'warning',
  legalComments: 'none',
});

// tfjs's wasm backend loads its binaries from the bundle's folder (__dirname) in Node.
const tfjsWasm = join(modules, '@tensorflow/tfjs-backend-wasm/dist');
for (const f of readdirSync(tfjsWasm).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(tfjsWasm, f), join(out, f));

step('compressing node and dawn.node (xz -9)');
const xz = (src, dest) => writeFileSync(dest, execFileSync('xz', ['-9', '-T0', '-c', src], { maxBuffer: 1 << 30 }));
xz(process.execPath, join(out, 'node.xz'));
xz(join(modules, 'webgpu/dist/linux-x64/dawn.node'), join(out, 'dawn.node.xz'));

step("adding the Vulkan loader (Debian's libvulkan1)");
const tmp = mkdtempSync(join(tmpdir(), 'gpu-pack-'));
try {
  let from = null;
  try {
    execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
    const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
    execFileSync('dpkg-deb', ['-x', join(tmp, deb), join(tmp, 'x')]);
    from = join(tmp, 'x/usr/lib/x86_64-linux-gnu');
    step(`  from ${deb}`);
  } catch (err) {
    from = '/usr/lib/x86_64-linux-gnu';
    step(`  apt-get download failed (${String(err).split('\n')[0]}); copying this machine's loader instead`);
  }
  const libs = readdirSync(from).filter((f) => f.startsWith('libvulkan.so.1'));
  if (libs.length === 0) throw new Error(`gpu:pack: no libvulkan.so.1 in ${from}`);
  // Copies follow symlinks: the bundle holds plain files only.
  for (const f of libs) copyFileSync(join(from, f), join(out, 'lib', f));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

copyFileSync(join(root, 'scripts/gpuCheck/run.sh'), join(out, 'run'));
chmodSync(join(out, 'run'), 0o755);

function sizeOf(p) {
  const s = statSync(p);
  return s.isDirectory() ? readdirSync(p).reduce((t, f) => t + sizeOf(join(p, f)), 0) : s.size;
}
const total = sizeOf(out);
for (const f of readdirSync(out)) console.log(`  ${f.padEnd(40)} ${(sizeOf(join(out, f)) / 2 ** 20).toFixed(1)} MiB`);
console.log(`gpu:pack: ${out}: ${(total / 2 ** 20).toFixed(1)} MiB (limit ${LIMIT / 2 ** 20} MiB)`);
if (total > LIMIT) {
  console.error(`gpu:pack: the bundle is ${(total / 2 ** 20).toFixed(1)} MiB, over the ${LIMIT / 2 ** 20} MiB limit`);
  process.exit(1);
}
