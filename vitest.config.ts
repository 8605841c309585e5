import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One process per file, files one at a time: WebGPU on SwiftShader and the wasm backend
    // each want the whole machine, and tfjs keeps one global engine per process.
    pool: 'forks',
    fileParallelism: false,
  },
});
