// SPDX-License-Identifier: MIT
/**
 * A real PostgreSQL server for the tests: one per run, started by the global setup
 * (postgres.globalSetup.ts) with `startPostgres`: initdb into a temporary folder, `postgres` on
 * 127.0.0.1 on a free port (its socket in that folder too), stopped by its PID and the folder
 * removed when the run ends. Each test file takes a database of its own on it
 * (`openTestDatabase`), so files still run side by side and see only their own tables. As root,
 * initdb and postgres run as the `postgres` user (PostgreSQL refuses root). Debian's `postgresql`
 * package provides the binaries (.ci/run installs it); where they are missing, `findPostgres()`
 * says so, the setup hands that reason on, and the tests skip with it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

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
  /** The server's PID and folder, for a last-resort stop when the process exits (see the global setup). */
  pid(): number | null;
  dir: string;
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
    // The timer is cleared once the server has exited: left pending, it kept the test run's
    // process alive for its 10 s after the last test.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
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
        pid: serverPid,
        dir,
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

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL server (its port on 127.0.0.1), or why there is none. */
    postgres: { port: number } | { missing: string };
  }
}

/** The run's server as the global setup started it: its port, or why there is none (the tests skip with it). */
export function runPostgres(): { port: number } | { missing: string } {
  const provided = inject('postgres');
  if (provided === undefined) throw new Error('no PostgreSQL server was handed to this file: run it through vitest.config.ts, whose node project starts one (test/helpers/postgres.globalSetup.ts)');
  return provided;
}

/** A database of one test file's own on the run's server. */
export interface PostgresDatabase {
  port: number;
  /** Its name: `segments_test_<pid>_<random>`. */
  database: string;
  /** Connected to it. */
  client: pg.Client;
  /** `postgresql://postgres@127.0.0.1:PORT/DATABASE?table=TABLE`, as `segments fit` and openPostgres take it. */
  address(table: string): string;
  /** Disconnects and drops the database (ending any connection a test left open on it). */
  close(): Promise<void>;
}

/** Creates a fresh database on the run's server (at `port`) and connects to it. */
export async function openTestDatabase(port: number): Promise<PostgresDatabase> {
  const database = `segments_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
  await client.connect();
  return {
    port,
    database,
    client,
    address: (table) => `postgresql://postgres@127.0.0.1:${port}/${database}?table=${table}`,
    close: async () => {
      await client.end().catch(() => {});
      const drop = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await drop.connect();
      try {
        // https://www.postgresql.org/docs/15/sql-dropdatabase.html (FORCE: since 13)
        await drop.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await drop.end();
      }
    },
  };
}
