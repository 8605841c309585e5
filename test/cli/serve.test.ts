// SPDX-License-Identifier: MIT
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';
import { tempDir } from '../helpers/tempDir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('segments serve', () => {
  it('serves a built app on 127.0.0.1, cross-origin isolated, until SIGTERM', async () => {
    const dir = tempDir('segments-serve-');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    const script = `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(['serve', '--root', ${JSON.stringify(dir)}, '--port', '0', '--json']); })`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((ok, fail) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        if (buf.includes('\n')) ok(buf.slice(0, buf.indexOf('\n')));
      });
      child.on('exit', (code) => fail(new Error(`serve exited early with ${code}`)));
    });
    const { url, root } = JSON.parse(first) as { url: string; root: string };
    expect(root).toBe(dir);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await res.text()).toContain('<title>app</title>');
    const exit = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('says how to build the app when the folder has no index.html (exit 2)', async () => {
    const dir = tempDir('segments-serve-empty-');
    const r = await run(['serve', '--root', dir, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('has no index.html: build the app first (npm run app:build)');
  });

  it('refuses --host 0.0.0.0 without --allow-remote, naming the flag (exit 2)', async () => {
    const dir = tempDir('segments-serve-remote-');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    const r = await run(['serve', '--root', dir, '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('host=0.0.0.0 is not loopback');
    expect(r.err).toContain('--allow-remote');
  });

  it('with --allow-remote listens on 0.0.0.0 and warns on stderr, even with --quiet', async () => {
    const dir = tempDir('segments-serve-remote-');
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    const argv = ['serve', '--root', dir, '--host', '0.0.0.0', '--allow-remote', '--port', '0', '--json', '--quiet'];
    const script = `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(${JSON.stringify(argv)}); })`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const first = await new Promise<string>((ok, fail) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        if (buf.includes('\n')) ok(buf.slice(0, buf.indexOf('\n')));
      });
      child.on('exit', (code) => fail(new Error(`serve exited early with ${code}: ${stderr}`)));
    });
    const { url, remote } = JSON.parse(first) as { url: string; remote: boolean };
    expect(remote).toBe(true);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    // stderr is another pipe: give it the moment it may need to arrive.
    for (let i = 0; i < 50 && !stderr.includes('\n'); i++) await new Promise((ok) => setTimeout(ok, 100));
    expect(stderr).toContain('warning: listening on 0.0.0.0, not only on this machine');
    const res = await fetch(url.replace('0.0.0.0', '127.0.0.1'));
    expect(res.status).toBe(200);
    const exit = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
