// SPDX-License-Identifier: MIT
/**
 * A real PostgreSQL server for the tests, started by the tests: initdb into a temporary folder,
 * `postgres` on 127.0.0.1 on a free port (its socket in that folder too), stopped by its PID and
 * the folder removed by `stop()`. As root, initdb and postgres run as the `postgres` user
 * (PostgreSQL refuses root). Debian's `postgresql` package provides the binaries (.ci/run
 * installs it); where they are missing, `findPostgres()` says so and the tests skip with that reason.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where the server binaries are, or why there are none. */
export type PostgresBinaries = { bin: string } | { missing: string };

/** The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres (Debian's layout), else PG_BIN. */
export function findPostgres(): PostgresBinaries {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  for (const bin of candidates) if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return { bin };
  return { missing: `PostgreSQL server binaries not found (looked in ${[...candidates, `${root}/<version>/bin`].join(', ')}); install Debian's postgresql package (.ci/run does)` };
}

/** A running server: a client connected to its `postgres` database, and stop(). */
export interface PostgresServer {
  port: number;
  client: pg.Client;
  /** Disconnects, stops the server (fast shutdown) and removes its folder. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** argv to run a server binary, as `postgres` when we are root. */
function command(bin: string, program: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
}

/**
 * Starts a fresh server and connects to it.
 * @throws Error with the server's log when it does not come up within `timeoutMs`.
 */
export async function startPostgres(bin: string, timeoutMs = 30_000): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'segments-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = command(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [cmd, args] = command(bin, 'postgres', ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off']);
  let log = '';
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const serverPid = (): number | null => {
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return null;
    }
  };
  const stopServer = async (): Promise<void> => {
    const pid = serverPid();
    if (pid !== null && pid > 0) {
      try {
        process.kill(pid, 'SIGINT'); // fast shutdown
      } catch {
        // already gone
      }
    } else {
      child.kill('SIGINT');
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      return {
        port,
        client,
        stop: async () => {
          await client.end().catch(() => {});
          await stopServer();
        },
      };
    } catch (err) {
      await client.end().catch(() => {});
      if (Date.now() > deadline || child.exitCode !== null) {
        await stopServer();
        throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}: ${(err as Error).message}\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
