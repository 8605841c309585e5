// SPDX-License-Identifier: MIT
/**
 * Runs one worker process with a time limit, reads its `BENCH_RESULT {json}` line, and polls
 * its peak RSS (VmHWM in /proc/<pid>/status) so that a task that is killed at its time limit
 * still has a memory figure.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const RESULT_PREFIX = 'BENCH_RESULT ';

export interface ChildOutcome {
  /** The worker's JSON result, or null when it printed none (crash, timeout). */
  result: Record<string, unknown> | null;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Wall time of the whole process (start-up and data loading included), ms. */
  processMs: number;
  /** Largest VmHWM seen while polling, bytes; null where /proc is not available. */
  polledPeakRssBytes: number | null;
  /** User + system CPU time of the process (all its threads) at the last poll, ms; null without /proc. */
  cpuMs: number | null;
  /** Everything it printed on stdout. */
  stdout: string;
  /** The last lines of stderr, for the record when something failed. */
  stderrTail: string;
}

export interface ChildOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** Prefix for the worker's stderr lines echoed to ours. */
  label: string;
  /** How often /proc is read for the peak RSS and the CPU time. Default 250 ms. */
  pollMs?: number;
}

/** Clock ticks per second of /proc/PID/stat's CPU times (USER_HZ, 100 on Linux). */
const CLOCK_TICKS = 100;

export function runChild(command: string, args: string[], o: ChildOptions): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polled: number | null = null;
    let cpuMs: number | null = null;
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      for (const line of s.split('\n')) {
        // Minified library code in a stack trace can be one 100 kB line: echo a bounded part.
        if (line.trim() !== '') process.stderr.write(`  [${o.label}] ${line.length > 300 ? `${line.slice(0, 300)} …` : line}\n`);
      }
    });
    const poll = (): void => {
      const hwm = readVmHwm(child.pid);
      if (hwm !== null) polled = Math.max(polled ?? 0, hwm);
      cpuMs = readCpuMs(child.pid) ?? cpuMs;
    };
    const poller = setInterval(poll, o.pollMs ?? 250);
    const killer = setTimeout(() => {
      timedOut = true;
      poll();
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.on('close', (exitCode, signal) => {
      clearInterval(poller);
      clearTimeout(killer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      let result: Record<string, unknown> | null = null;
      if (line !== undefined) {
        try {
          result = JSON.parse(line.slice(RESULT_PREFIX.length)) as Record<string, unknown>;
        } catch {
          result = null;
        }
      }
      resolve({
        result,
        exitCode,
        signal,
        timedOut,
        processMs: performance.now() - start,
        polledPeakRssBytes: polled,
        cpuMs,
        stdout,
        stderrTail: stderr
          .split('\n')
          .slice(-15)
          .map((l) => (l.length > 300 ? `${l.slice(0, 300)} …` : l))
          .join('\n'),
      });
    });
  });
}

/** User + system CPU time of a live process and all its threads, from /proc (Linux), ms; null elsewhere. */
function readCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name: utime, stime in clock ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Peak resident set size of a live process, from /proc (Linux); null elsewhere. */
function readVmHwm(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? null : Number(m[1]) * 1024;
  } catch {
    return null;
  }
}
