// SPDX-License-Identifier: MIT
/**
 * Vitest global setup of the Node tests: one PostgreSQL server for the whole run (postgres.ts),
 * its port handed to every file (`inject('postgres')`, read by runPostgres); each file opens a
 * database of its own on it (openTestDatabase). Where the server binaries are missing, the reason
 * is handed on instead and the PostgreSQL specs skip with it. The server is stopped and its
 * folder removed when the run ends, whether the tests passed or not; if the run's process exits
 * without its teardown (killed, crashed), an exit hook stops the server at once.
 */
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { findPostgres, startPostgres } from './postgres.js';

export default async function postgresForTheRun(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const bins = findPostgres();
  if ('missing' in bins) {
    console.warn(`skipping the PostgreSQL tests: ${bins.missing}`);
    project.provide('postgres', { missing: bins.missing });
    return undefined;
  }
  const server = await startPostgres(bins.bin);
  // Immediate shutdown (SIGQUIT) and the folder removed, should the process end without the teardown.
  const onExit = (): void => {
    const pid = server.pid();
    try {
      if (pid !== null && pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // already gone
    }
    rmSync(server.dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  project.provide('postgres', { port: server.port });
  return async () => {
    process.removeListener('exit', onExit);
    await server.stop();
  };
}
