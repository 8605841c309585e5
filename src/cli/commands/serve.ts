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
import { isLoopbackHost, serveApp, type AppServer } from '../serve.js';
import { packageRoot } from './bench.js';

export const SERVE_SPEC: CommandSpec = {
  name: 'serve',
  summary: 'Serves the browser app on 127.0.0.1: segment files in the browser, on the GPU where there is one; nothing is uploaded.',
  positionals: [],
  flags: {
    port: { type: 'integer', value: 'P', min: 0, help: 'port (default 8080; 0 picks a free one)' },
    host: { type: 'string', value: 'ADDR', help: 'interface to listen on (default 127.0.0.1; another than loopback needs --allow-remote)' },
    'allow-remote': { type: 'boolean', help: 'allow a --host that is not loopback (0.0.0.0, a LAN address): anyone who can reach this machine can load the app' },
    root: { type: 'string', value: 'DIR', help: 'the built app (default app/dist of the package; build it with npm run app:build)' },
  },
  notes: ['the page is cross-origin isolated (COOP/COEP), so the WASM kernels use every core.'],
};

/** Starts the server for `segments serve` and says where it is; the caller stops it. */
export async function startServe(ctx: Context): Promise<AppServer> {
  const root = ctx.args.string('root') ?? join(packageRoot(), 'app', 'dist');
  const host = ctx.args.string('host') ?? '127.0.0.1';
  const allowRemote = ctx.args.bool('allow-remote');
  const app = await serveApp({ root, port: ctx.args.number('port') ?? 8080, host, allowRemote });
  const remote = !isLoopbackHost(host);
  // Said even with --quiet: it is a warning about who can reach the server, not a progress note.
  if (remote) ctx.io.err(`warning: listening on ${host}, not only on this machine: anyone who can reach it can load the app (the data stays in their browser)`);
  if (ctx.json) ctx.io.out(JSON.stringify({ url: app.url, root, remote }));
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
