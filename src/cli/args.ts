// SPDX-License-Identifier: MIT
/**
 * Command-line arguments: each command declares its positionals and flags in a table, and one
 * parser reads `--flag value`, `--flag=value` and boolean `--flag` against it. Every mistake is a
 * UsageError that names the flag (unknown flag, missing value, a value of the wrong type or out of
 * its choices), which the CLI turns into exit code 2.
 */
import { BACKEND_NAMES } from '../backend/backend.js';
import { SegmentsError } from '../errors.js';

/** A mistake on the command line: exit code 2. `command` says whose help to point at. */
export class UsageError extends SegmentsError {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** What a flag takes: nothing (boolean), text, an integer, a number, or a comma-separated list. */
export type FlagType = 'boolean' | 'string' | 'integer' | 'number' | 'list';

export interface FlagSpec {
  type: FlagType;
  /** One line for the help. */
  help: string;
  /** The value's placeholder in the help, e.g. `N`. */
  value?: string;
  /** For a string flag: the values allowed. */
  choices?: readonly string[];
  /** For integer and number flags: the least value allowed. */
  min?: number;
  /** Whether the least value is itself allowed (default true). */
  minInclusive?: boolean;
}

export interface PositionalSpec {
  name: string;
  help: string;
  /** The command checks it itself (e.g. `fit` takes a file or `--sample`). Default false. */
  optional?: boolean;
}

/** One command: its name, one-line summary, positionals (all required) and flags. */
export interface CommandSpec {
  name: string;
  summary: string;
  positionals: readonly PositionalSpec[];
  flags: Readonly<Record<string, FlagSpec>>;
  /** Lines shown after the flags in `--help`. */
  notes?: readonly string[];
  /** Arguments after `--` are kept, in order, after the positionals (passed on to another program). */
  rest?: boolean;
}

/** The flags every command takes. */
export const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  backend: { type: 'string', value: 'NAME', choices: ['auto', ...BACKEND_NAMES], help: 'compute backend (default auto)' },
  seed: { type: 'integer', value: 'S', help: 'random seed (default 42)' },
  json: { type: 'boolean', help: 'machine-readable output on stdout' },
  verbose: { type: 'boolean', help: 'stack traces on errors; progress as plain lines when stderr is not a terminal' },
  quiet: { type: 'boolean', help: 'no progress and no notes on stderr' },
  help: { type: 'boolean', help: 'this help' },
};

type FlagValue = string | number | boolean | string[];

/** The parsed arguments of one command, with typed getters. */
export class ParsedArgs {
  constructor(
    readonly command: string,
    readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, FlagValue>,
  ) {}

  has(flag: string): boolean {
    return this.values.has(flag);
  }

  bool(flag: string): boolean {
    return this.values.get(flag) === true;
  }

  string(flag: string): string | undefined {
    const v = this.values.get(flag);
    return typeof v === 'string' ? v : undefined;
  }

  number(flag: string): number | undefined {
    const v = this.values.get(flag);
    return typeof v === 'number' ? v : undefined;
  }

  list(flag: string): string[] {
    const v = this.values.get(flag);
    return Array.isArray(v) ? v : [];
  }
}

function parseValue(command: string, flag: string, spec: FlagSpec, raw: string): FlagValue {
  const name = `--${flag}`;
  switch (spec.type) {
    case 'boolean':
      throw new UsageError(`${name} takes no value`, command);
    case 'string':
      if (spec.choices !== undefined && !spec.choices.includes(raw)) {
        throw new UsageError(`${name}: '${raw}' is not one of ${spec.choices.join(', ')}`, command);
      }
      return raw;
    case 'integer':
    case 'number': {
      const v = raw.trim() === '' ? NaN : Number(raw);
      if (spec.type === 'integer' ? !Number.isInteger(v) : !Number.isFinite(v)) {
        throw new UsageError(`${name}: '${raw}' is not ${spec.type === 'integer' ? 'an integer' : 'a number'}`, command);
      }
      if (spec.min !== undefined && (v < spec.min || (spec.minInclusive === false && v === spec.min))) {
        throw new UsageError(`${name}: ${raw} must be ${spec.minInclusive === false ? '>' : '>='} ${spec.min}`, command);
      }
      return v;
    }
    case 'list': {
      const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (items.length === 0) throw new UsageError(`${name} needs at least one item`, command);
      return items;
    }
  }
}

/**
 * Parses `argv` (the arguments after the command name) against `spec` and the common flags.
 * A list flag given twice collects both; any other flag given twice keeps the last value.
 * @throws UsageError naming the flag or argument at fault.
 */
export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const flags: Record<string, FlagSpec> = { ...COMMON_FLAGS, ...spec.flags };
  const values = new Map<string, FlagValue>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h') {
      values.set('help', true);
      continue;
    }
    if (!a.startsWith('--') || a === '--') {
      if (a.startsWith('-') && a !== '-' && a !== '--') throw new UsageError(`unknown flag ${a}`, spec.name);
      if (a === '--') {
        if (spec.rest !== true && i + 1 < argv.length) throw new UsageError(`unexpected argument '${argv[i + 1]}'`, spec.name);
        positionals.push(...argv.slice(i + 1));
        break;
      }
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq < 0 ? a.slice(2) : a.slice(2, eq);
    const f = flags[flag];
    if (f === undefined) throw new UsageError(`unknown flag --${flag} for '${spec.name}'`, spec.name);
    if (f.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${flag} takes no value`, spec.name);
      values.set(flag, true);
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = a.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // A negative number is a value; another flag is not.
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${flag} needs a value${f.value ? ` (${f.value})` : ''}`, spec.name);
      raw = next;
      i++;
    }
    const v = parseValue(spec.name, flag, f, raw);
    const before = values.get(flag);
    values.set(flag, f.type === 'list' && Array.isArray(before) ? [...before, ...(v as string[])] : v);
  }
  if (values.get('help') !== true) {
    const required = spec.positionals.filter((p) => p.optional !== true).length;
    if (positionals.length < required) {
      throw new UsageError(`missing argument <${spec.positionals[positionals.length].name}>`, spec.name);
    }
    if (positionals.length > spec.positionals.length && spec.rest !== true) throw new UsageError(`unexpected argument '${positionals[spec.positionals.length]}'`, spec.name);
  }
  return new ParsedArgs(spec.name, positionals, values);
}

/** The `--help` text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: segments ${spec.name}${spec.positionals.map((p) => ` <${p.name}>`).join('')} [flags]`, '', spec.summary, ''];
  for (const p of spec.positionals) lines.push(`  <${p.name}>`.padEnd(30) + p.help);
  if (spec.positionals.length > 0) lines.push('');
  const row = (flag: string, f: FlagSpec): string => {
    const left = `  --${flag}${f.type === 'boolean' ? '' : ` ${f.value ?? (f.choices ? f.choices.join('|') : 'VALUE')}`}`;
    return left.length < 30 ? left.padEnd(30) + f.help : `${left}\n${' '.repeat(30)}${f.help}`;
  };
  for (const [flag, f] of Object.entries(spec.flags)) lines.push(row(flag, f));
  lines.push('', 'common flags:');
  for (const [flag, f] of Object.entries(COMMON_FLAGS)) lines.push(row(flag, f));
  if (spec.notes) lines.push('', ...spec.notes);
  return lines.join('\n');
}
