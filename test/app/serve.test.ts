// SPDX-License-Identifier: MIT
/** serveApp: the static server of the built app (src/cli/serve.ts), over real HTTP on 127.0.0.1. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { isLoopbackHost, serveApp, type AppServer } from '../../src/cli/serve.js';

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

  describe('inside the root only, no dotfiles', () => {
    let outside: string;
    let linked: AppServer;
    let linkedRoot: string;

    beforeAll(async () => {
      outside = mkdtempSync(join(tmpdir(), 'segments-serve-outside-'));
      writeFileSync(join(outside, 'secret.txt'), 'outside the root');
      mkdirSync(join(outside, 'dir'));
      writeFileSync(join(outside, 'dir', 'index.html'), 'outside index');
      linkedRoot = mkdtempSync(join(tmpdir(), 'segments-serve-links-'));
      writeFileSync(join(linkedRoot, 'index.html'), '<!doctype html><title>app</title>');
      writeFileSync(join(linkedRoot, 'inside.txt'), 'inside the root');
      writeFileSync(join(linkedRoot, '.env'), 'TOKEN=hidden');
      mkdirSync(join(linkedRoot, '.git'));
      writeFileSync(join(linkedRoot, '.git', 'config'), 'hidden config');
      symlinkSync(join(outside, 'secret.txt'), join(linkedRoot, 'passwd.txt'));
      symlinkSync('/etc/passwd', join(linkedRoot, 'etc-passwd'));
      symlinkSync(join(outside, 'dir'), join(linkedRoot, 'out'));
      symlinkSync(join(linkedRoot, 'inside.txt'), join(linkedRoot, 'alias.txt'));
      // The root itself reached through a link: its real path is what "inside" means.
      symlinkSync(linkedRoot, `${linkedRoot}-via-link`);
      linked = await serveApp({ port: 0, host: '127.0.0.1', root: `${linkedRoot}-via-link` });
    });

    afterAll(async () => {
      await linked?.close();
      rmSync(`${linkedRoot}-via-link`, { force: true });
      rmSync(linkedRoot, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });

    it('does not follow a symlink inside the root to a file or a folder outside it (404, nothing of it sent)', async () => {
      for (const path of ['passwd.txt', 'etc-passwd', 'out/', 'out/index.html']) {
        const res = await fetch(`${linked.url}${path}`);
        expect(res.status, path).toBe(404);
        const body = await res.text();
        expect(body, path).not.toContain('outside');
        expect(body, path).not.toContain('root:');
      }
    });

    it('follows a symlink that stays inside the root, and serves a root reached through a link', async () => {
      const res = await fetch(`${linked.url}alias.txt`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('inside the root');
      expect(await (await fetch(linked.url)).text()).toBe('<!doctype html><title>app</title>');
    });

    it('never serves a dotfile or a file in a dot folder, however the path is spelt', async () => {
      for (const path of ['.env', '.git/config', '%2eenv', '.git%2fconfig', 'assets/../.env']) {
        const res = await fetch(`${linked.url}${path}`);
        expect([403, 404], path).toContain(res.status);
        const body = await res.text();
        expect(body, path).not.toContain('hidden');
        expect(body, path).not.toContain('TOKEN');
      }
    });
  });

  it('tells loopback hosts from the others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses to listen on every interface unless allowRemote is given, and listens there when it is', async () => {
    await expect(serveApp({ port: 0, host: '0.0.0.0', root })).rejects.toThrow(ParameterError);
    await expect(serveApp({ port: 0, host: '0.0.0.0', root })).rejects.toThrow(/not loopback.*--allow-remote/);
    const open = await serveApp({ port: 0, host: '0.0.0.0', root, allowRemote: true });
    try {
      expect(open.url).toBe(`http://0.0.0.0:${open.port}/`);
      const res = await fetch(`http://127.0.0.1:${open.port}/`);
      expect(res.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
