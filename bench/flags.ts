// SPDX-License-Identifier: MIT
/** A small `--name value` / `--flag` parser for the bench scripts; sizes may be written 1e5. */

export interface Flags {
  has(name: string): boolean;
  str(name: string): string | undefined;
  /** The value of a flag that must be there. */
  req(name: string): string;
  num(name: string, fallback?: number): number;
  int(name: string, fallback?: number): number;
  /** A comma-separated list of integers (`1e4,5e4`); [] for an empty value. */
  ints(name: string, fallback: number[]): number[];
  list(name: string, fallback: string[]): string[];
}

/** Flags that take no value. */
const SWITCHES = new Set(['quick', 'no-sklearn', 'no-lloyd-bounds', 'defaults', 'help']);

export function parseFlags(argv: string[]): Flags {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument '${a}'`);
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) values.set(name, a.slice(eq + 1));
    else if (SWITCHES.has(name)) values.set(name, 'true');
    else if (i + 1 < argv.length) values.set(name, argv[++i]);
    else throw new UsageError(`--${name} needs a value`);
  }
  const num = (name: string, fallback?: number): number => {
    const v = values.get(name);
    if (v === undefined) {
      if (fallback === undefined) throw new UsageError(`--${name} is required`);
      return fallback;
    }
    const x = Number(v);
    if (!Number.isFinite(x)) throw new UsageError(`--${name}=${v} is not a number`);
    return x;
  };
  const int = (name: string, fallback?: number): number => {
    const x = num(name, fallback);
    if (!Number.isInteger(x)) throw new UsageError(`--${name}=${x} is not an integer`);
    return x;
  };
  return {
    has: (name) => values.has(name),
    str: (name) => values.get(name),
    req: (name) => {
      const v = values.get(name);
      if (v === undefined) throw new UsageError(`--${name} is required`);
      return v;
    },
    num,
    int,
    ints: (name, fallback) => {
      const v = values.get(name);
      if (v === undefined) return fallback;
      if (v.trim() === '') return [];
      return v.split(',').map((s) => {
        const x = Number(s);
        if (!Number.isInteger(x) || x < 1) throw new UsageError(`--${name}: '${s}' is not a positive integer`);
        return x;
      });
    },
    list: (name, fallback) => {
      const v = values.get(name);
      return v === undefined ? fallback : v.split(',').filter((s) => s !== '');
    },
  };
}

/** A bad command line: run.ts prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
