// SPDX-License-Identifier: MIT
/**
 * Serves a browser probe to headless Chromium from 127.0.0.1: `entry` bundled by esbuild as
 * /probe.js (any path ending so), a page that loads it at every other path, and whatever files
 * `files` answers for. The probe module calls exposeProbe (exposeProbe.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export interface ProbeServerOptions {
  /** Modules left out of the bundle (e.g. Dawn's Node binding). */
  external?: string[];
  /** Extra response headers for a request path (e.g. COOP/COEP on an isolated path). */
  headers?: (url: string) => Record<string, string>;
  /** A file to answer with for a request path, or null. */
  files?: (url: string) => { type: string; body: Buffer } | null;
}

export interface ProbeServer {
  origin: string;
  close(): Promise<void>;
}

export async function serveProbe(entry: string, o: ProbeServerOptions = {}): Promise<ProbeServer> {
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', external: o.external ?? [], write: false, logLevel: 'silent' });
  const js = bundle.outputFiles[0].text;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const headers = o.headers?.(url) ?? {};
    const file = o.files?.(url) ?? null;
    if (url.endsWith('/probe.js')) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
      res.end(js);
    } else if (file !== null) {
      res.writeHead(200, { ...headers, 'Content-Type': file.type });
      res.end(file.body);
    } else {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      res.end('<!doctype html><script src="probe.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
