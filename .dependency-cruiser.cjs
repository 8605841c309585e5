// SPDX-License-Identifier: MIT
// The layer rules of src/ (README, "What is here"; /work/shared/CONVENTIONS.md, "Layout"), checked by
// `npm run lint:deps` in CI. Imports go one way:
//   cli, app -> workflow -> profile, model, report -> algorithms, metrics, data -> kernels -> backend
// errors.ts, constraints.ts, matrix.ts, random.ts and the other top-level modules of src/ are
// shared leaves. Type-only imports count (tsPreCompilationDeps), and so do dynamic imports.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle is a design question: move the shared piece to its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'backend-imports-nothing-of-ours',
      severity: 'error',
      comment: 'src/backend/ starts tfjs backends; the kernels register with it (onBackendStart), never the other way.',
      from: { path: '^src/backend/' },
      to: { path: '^src/', pathNot: ['^src/backend/', '^src/errors\\.ts$'] },
    },
    {
      name: 'kernels-import-backend-only',
      severity: 'error',
      comment: 'Kernels use backend/ and the shared leaves of src/, nothing above them.',
      from: { path: '^src/kernels/' },
      to: { path: '^src/(algorithms|metrics|data|profile|model|report|workflow|cli|db|index\\.ts)' },
    },
    {
      name: 'shared-leaves-import-no-layer',
      severity: 'error',
      comment: 'errors.ts, constraints.ts, matrix.ts and random.ts are leaves every layer uses: they import no layer (matrix.ts once called the wasm kernels for centering; that is the centerRows kernel now).',
      from: { path: '^src/(errors|constraints|matrix|random)\\.ts$' },
      to: { path: '^src/(kernels|backend|algorithms|metrics|data|profile|model|report|workflow|cli|db|linalg)/' },
    },
    {
      name: 'engine-never-imports-workflow-cli-report',
      severity: 'error',
      comment: 'data, algorithms, metrics, kernels and backend are below the workflow, the CLI and the report.',
      from: { path: '^src/(data|algorithms|metrics|kernels|backend)/' },
      to: { path: '^src/(workflow|cli|report)/' },
    },
    {
      name: 'workflow-never-imports-cli',
      severity: 'error',
      from: { path: '^src/(workflow|profile|model|report)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-never-imports-app',
      severity: 'error',
      comment: 'app/ is a thin layer over workflow/; the library does not know it.',
      from: { path: '^src/' },
      to: { path: '^app/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.as\\.ts$|\\.gen\\.ts$' },
  },
};
