// SPDX-License-Identifier: MIT
import { ParameterError } from '../../src/errors.js';

/** The check's command line: `run [--quick] [--out DIR] [--seed N]`. */
export interface CheckArgs {
  quick: boolean;
  /** Where the JSON and markdown go: --out, else $OUT, else null (printed only). */
  out: string | null;
  seed: number;
}

/** Parses argv (without node and the script); throws a ParameterError naming a bad option. */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): CheckArgs {
  const args: CheckArgs = { quick: false, out: env.OUT && env.OUT !== '' ? env.OUT : null, seed: Date.now() % 2 ** 31 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--out' || a === '--seed') {
      const v = argv[++i];
      if (v === undefined) throw new ParameterError('gpu-check', a, `${a} needs a value`);
      if (a === '--out') args.out = v;
      else if (!/^\d+$/.test(v)) throw new ParameterError('gpu-check', a, `--seed=${v} must be a non-negative integer`);
      else args.seed = Number(v);
    } else throw new ParameterError('gpu-check', a, `unknown option '${a}' (use --quick, --out DIR, --seed N)`);
  }
  return args;
}
