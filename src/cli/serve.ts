// SPDX-License-Identifier: MIT
/**
 * A small static server for the built browser app (app/dist): `segments serve`. Every response
 * carries Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
 * require-corp, so the page is cross-origin isolated and the wasm kernels can run on Web Workers
 * sharing one memory; .wasm files go out as application/wasm (needed for streaming compilation).
 * It listens on 127.0.0.1 by default: the app computes in the browser and needs no other host;
 * another interface is refused unless `allowRemote` is set. It serves only regular files whose
 * real path (symlinks resolved) lies under the root's real path, and no dotfile or dot folder.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { ParameterError } from '../errors.js';

export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to listen on. Default '127.0.0.1'. A host that is not loopback needs `allowRemote`. */
  host?: string;
  /**
   * Allow listening on a host that is not loopback (`0.0.0.0`, a LAN address): anyone who can
   * reach the machine can then load the app. Default false.
   */
  allowRemote?: boolean;
  /** The directory of the built app (with index.html). */
  root: string;
}

/** A running server: its address and how to stop it. */
export interface AppServer {
  /** e.g. `http://127.0.0.1:8080/`. */
  url: string;
  port: number;
  server: Server;
  /** Stops listening and resolves once open connections are closed. */
  close(): Promise<void>;
}

/** Content types by extension; anything else is application/octet-stream. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/** Headers every response carries: cross-origin isolation, and no sniffing of content types. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Whether `host` names only this machine: `localhost`, an IPv4 address in 127.0.0.0/8, or `::1`
 * (also as `::ffff:127.x.x.x`). `0.0.0.0` and `::` are every interface, so not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^(0:){7}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The file under `root` a URL path names, or null when it would leave `root` or names a dotfile
 * or a dot folder (`.env`, `.git/config`): those are never part of the built app.
 */
function fileFor(root: string, urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (path.split(/[\\/]/).some((part) => part.startsWith('.'))) return null;
  const file = resolve(join(root, path));
  return isInside(root, file) ? file : null;
}

/**
 * The real path of `file` when it is a regular file whose real path lies under `root` (itself a
 * real path), else null: a symlink inside the root that points outside it is not followed.
 */
async function servable(root: string, file: string): Promise<{ path: string; size: number } | null> {
  const real = await realpath(file).catch(() => null);
  if (real === null || !isInside(root, real)) return null;
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? { path: real, size: info.size } : null;
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'method not allowed');
    return;
  }
  let file = fileFor(root, req.url ?? '/');
  if (file === null) {
    send(res, 403, 'forbidden');
    return;
  }
  const real = await realpath(file).catch(() => null);
  if (real !== null && isInside(root, real) && (await stat(real).catch(() => null))?.isDirectory()) file = join(real, 'index.html');
  const info = await servable(root, file);
  if (info === null) {
    // Outside the root through a link, a folder without index.html, a socket: not found, so the
    // answer says nothing of what lies outside.
    send(res, 404, 'not found');
    return;
  }
  res.writeHead(200, {
    ...ISOLATION_HEADERS,
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Built assets carry a content hash in their names; the page and the service worker do not.
    'Cache-Control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(info.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Serves the built app in `root` until `close()` is called. (Node only, so not in the public
 * index; `segments serve` runs it.) For example:
 *
 * const app = await serveApp({ port: 0, host: '127.0.0.1', root: 'app/dist' });
 * console.log(`open ${app.url}`);
 * await app.close();
 */
export async function serveApp(options: ServeOptions): Promise<AppServer> {
  const port = options.port ?? 8080;
  const host = options.host ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ParameterError('serveApp', 'port', `port=${port} must be an integer in [0, 65535]`);
  if (!isLoopbackHost(host) && options.allowRemote !== true) {
    throw new ParameterError(
      'serveApp',
      'host',
      `host=${host} is not loopback: every machine that can reach this one could load the app; pass --allow-remote (allowRemote: true) to listen there anyway`,
    );
  }
  const root = await realpath(resolve(options.root)).catch(() => resolve(options.root));
  const index = await stat(join(root, 'index.html')).catch(() => null);
  if (index === null) throw new ParameterError('serveApp', 'root', `${root} has no index.html: build the app first (npm run app:build)`);
  const server = createServer((req, res) => {
    handle(root, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
