// SPDX-License-Identifier: MIT
/** serveApp: the static server of the built app (src/cli/serve.ts), over real HTTP on 127.0.0.1. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { serveApp, type AppServer } from '../../src/cli/serve.js';

describe('serveApp', () => {
  let root: string;
  let app: AppServer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'segments-serve-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'assets', 'k-1a2b.wasm'), Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    writeFileSync(join(root, 'assets', 'main-1a2b.js'), 'export {};');
    writeFileSync(join(tmpdir(), 'segments-serve-secret.txt'), 'outside the root');
    app = await serveApp({ port: 0, host: '127.0.0.1', root });
  });

  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'segments-serve-secret.txt'), { force: true });
  });

  it('listens on 127.0.0.1 and serves index.html for the root, cross-origin isolated', async () => {
    expect(app.url).toBe(`http://127.0.0.1:${app.port}/`);
    const res = await fetch(app.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await res.text()).toBe('<!doctype html><title>app</title>');
  });

  it('serves .wasm as application/wasm and .js as JavaScript, byte for byte, with the same headers', async () => {
    const wasm = await fetch(`${app.url}assets/k-1a2b.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0));
    const js = await fetch(`${app.url}assets/main-1a2b.js?v=1`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export {};');
  });

  it('answers 404 for a missing file, 405 for a POST, and never serves a file outside the root', async () => {
    expect((await fetch(`${app.url}nope.js`)).status).toBe(404);
    expect((await fetch(app.url, { method: 'POST' })).status).toBe(405);
    const escaped = await fetch(`${app.url}..%2fsegments-serve-secret.txt`);
    expect([403, 404]).toContain(escaped.status);
    expect(await escaped.text()).not.toContain('outside the root');
  });

  it('refuses a root without index.html, saying to build the app', async () => {
    await expect(serveApp({ port: 0, root: join(root, 'assets') })).rejects.toThrow(ParameterError);
    await expect(serveApp({ port: 0, root: join(root, 'assets') })).rejects.toThrow(/npm run app:build/);
  });
});
