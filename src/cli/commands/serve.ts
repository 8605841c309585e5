// SPDX-License-Identifier: MIT
/**
 * `segments serve`: serves the built browser app (app/dist) on 127.0.0.1 with the headers that
 * make the page cross-origin isolated (so the WASM kernels run on Web Workers sharing memory).
 * The data never reaches the server: the page reads the user's file and computes in the browser.
 * Runs until interrupted (Ctrl-C).
 */
import { join } from 'node:path';
import type { CommandSpec } from '../args.js';
import type { Context } from '../context.js';
import { serveApp, type AppServer } from '../serve.js';
import { packageRoot } from './bench.js';

export const SERVE_SPEC: CommandSpec = {
  name: 'serve',
  summary: 'Serves the browser app on 127.0.0.1: segment files in the browser, on the GPU where there is one; nothing is uploaded.',
  positionals: [],
  flags: {
    port: { type: 'integer', value: 'P', min: 0, help: 'port (default 8080; 0 picks a free one)' },
    host: { type: 'string', value: 'ADDR', help: 'interface to listen on (default 127.0.0.1)' },
    root: { type: 'string', value: 'DIR', help: 'the built app (default app/dist of the package; build it with npm run app:build)' },
  },
  notes: ['the page is cross-origin isolated (COOP/COEP), so the WASM kernels use every core.'],
};

/** Starts the server for `segments serve` and says where it is; the caller stops it. */
export async function startServe(ctx: Context): Promise<AppServer> {
  const root = ctx.args.string('root') ?? join(packageRoot(), 'app', 'dist');
  const app = await serveApp({ root, port: ctx.args.number('port') ?? 8080, host: ctx.args.string('host') ?? '127.0.0.1' });
  if (ctx.json) ctx.io.out(JSON.stringify({ url: app.url, root }));
  else ctx.io.out(`serving ${root} at ${app.url} (Ctrl-C to stop)`);
  return app;
}

/** Runs `segments serve` until SIGINT or SIGTERM. */
export async function serveCommand(ctx: Context): Promise<number> {
  const app = await startServe(ctx);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await app.close();
  return 0;
}
