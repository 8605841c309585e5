// SPDX-License-Identifier: MIT
/**
 * Constraints on options, declared once per public function as a table (scikit-learn's
 * `_parameter_constraints`), and `validateOptions`, which checks a set of options against its
 * table and throws a ParameterError naming the function, the option and its value:
 * `kmeans: k=0 must be an integer >= 1`. What depends on the data (k ≤ n, finite values) or on
 * two options together (kMin ≤ kMax) is checked next to the table, by hand.
 *
 * A table must name every option of its type (`ConstraintTable<O>` makes a missing or extra
 * entry a type error), so it is also the list of what a function accepts. Names the table does
 * not hold are not rejected at run time: no estimator rejected them before the tables existed.
 */
import { ParameterError, assertUnreachable } from './errors.js';

/** What one option may be; build with the functions below. */
export type Constraint =
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly bounds: NumberBounds }
  | { readonly kind: 'literal'; readonly values: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'function' }
  | { readonly kind: 'array'; readonly of: Constraint }
  | { readonly kind: 'options'; readonly table: Readonly<Record<string, Constraint>> }
  | { readonly kind: 'anyOf'; readonly members: readonly Constraint[] }
  | { readonly kind: 'optional'; readonly of: Constraint }
  | { readonly kind: 'nullable'; readonly of: Constraint }
  | { readonly kind: 'custom'; readonly description: string; readonly test: (value: unknown) => boolean };

/** Bounds of a number: `min`/`max` closed, `above`/`below` open (give one of each pair at most). */
export interface NumberBounds {
  readonly min?: number;
  readonly above?: number;
  readonly max?: number;
  readonly below?: number;
  /** Whether ±Infinity is refused. Default true. NaN is always refused. */
  readonly finite?: boolean;
  /** What a number of both bounds is called in messages, e.g. 'a fraction' (`a fraction in (0, 1)`). */
  readonly noun?: string;
}

/** One constraint for each option of `O`, in the order they are checked. */
export type ConstraintTable<O> = { readonly [K in keyof O]-?: Constraint };

/** An integer, within `[min, max]` where given. */
export function integer(bounds: { min?: number; max?: number } = {}): Constraint {
  return { kind: 'integer', ...bounds };
}

/** A number (finite unless `finite: false`), within the bounds given. */
export function number(bounds: NumberBounds = {}): Constraint {
  return { kind: 'number', bounds };
}

/** One of the given strings. */
export function oneOf(...values: string[]): Constraint {
  return { kind: 'literal', values };
}

/** true or false. */
export function boolean(): Constraint {
  return { kind: 'boolean' };
}

/** A function (a callback). */
export function func(): Constraint {
  return { kind: 'function' };
}

/** An array whose every item meets `of`; an item that does not is named by its index: `seeds[2]`. */
export function arrayOf(of: Constraint): Constraint {
  return { kind: 'array', of };
}

/** An object of options with its own table; a bad one is named by its path: `kmeans.nInit`. */
export function options<O>(table: ConstraintTable<O>): Constraint {
  return { kind: 'options', table: table as Readonly<Record<string, Constraint>> };
}

/** A value that meets any one of `members`. */
export function anyOf(...members: Constraint[]): Constraint {
  return { kind: 'anyOf', members };
}

/** `of`, or undefined (the option not given). */
export function optional(of: Constraint): Constraint {
  return { kind: 'optional', of };
}

/** `of`, or null. */
export function nullable(of: Constraint): Constraint {
  return { kind: 'nullable', of };
}

/** A value that passes `test`, described in messages as `description` (e.g. 'an AbortSignal'). */
export function custom(description: string, test: (value: unknown) => boolean): Constraint {
  return { kind: 'custom', description, test };
}

/** Any object (a matrix, a tensor), described as `description`; its contents are checked where it is used. */
export function object(description: string): Constraint {
  return custom(description, (v) => typeof v === 'object' && v !== null);
}

/** An AbortSignal (anything with an `aborted` flag, so a signal from another realm passes too). */
export function abortSignal(): Constraint {
  return custom('an AbortSignal', (v) => typeof v === 'object' && v !== null && typeof (v as { aborted?: unknown }).aborted === 'boolean');
}

/** Every entry of `table` made optional: the same options, where none has to be given. */
export function partial<O>(table: ConstraintTable<O>): ConstraintTable<Partial<O>> {
  const out: Record<string, Constraint> = {};
  for (const [name, c] of Object.entries(table as Record<string, Constraint>)) out[name] = c.kind === 'optional' ? c : optional(c);
  return out as ConstraintTable<Partial<O>>;
}

/**
 * Old option names still accepted, each mapped to the name that replaced it: `{ nClusters: 'k' }`.
 * Declare them on the options type with `@deprecated`, and leave them out of the constraint table
 * (`ConstraintTable<Omit<O, 'nClusters'>>`): resolveAliases removes them before validation.
 */
export type Aliases = Readonly<Record<string, string>>;

/**
 * `values` with every deprecated name of `aliases` given replaced by its new name, before the
 * defaults are merged and the table is checked. Giving an old name and its new one together is a
 * ParameterError naming the old one: `agglomerative: give k or its deprecated alias nClusters, not both`.
 */
export function resolveAliases<O extends object>(fn: string, values: O, aliases: Aliases): O {
  const given = values as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const [old, name] of Object.entries(aliases)) {
    if (given[old] === undefined) continue;
    if (given[name] !== undefined) throw new ParameterError(fn, old, `give ${name} or its deprecated alias ${old}, not both`);
    out ??= { ...given };
    out[name] = given[old];
    delete out[old];
  }
  return (out ?? values) as O;
}

/**
 * Checks `values` against `table`, entry by entry in the table's order, and throws a
 * ParameterError for the first that fails: `<fn>: <name>=<value> must be <what the constraint
 * says>`, with `argument` the option's name (for a nested option, the outer one): e.g.
 * `validateOptions('kmeans', { k: 0 }, { k: integer({ min: 1 }) })` throws
 * `kmeans: k=0 must be an integer >= 1` (test/constraints.test.ts checks it; not an `@example`,
 * as the doc tests run examples with the package's exports only and this module is internal).
 */
export function validateOptions<O>(fn: string, values: O, table: ConstraintTable<O>): void {
  for (const [name, c] of Object.entries(table as Record<string, Constraint>)) {
    const failure = check((values as Record<string, unknown>)[name], c, name);
    if (failure !== null) {
      throw new ParameterError(fn, name, `${failure.path}=${show(failure.value)} must be ${describeConstraint(failure.constraint)}`);
    }
  }
}

/**
 * One value checked as {@link validateOptions} checks an option, with its message:
 * `histogramBySegment: bins=0 must be an integer >= 1`.
 */
export function checkValue(fn: string, name: string, value: unknown, constraint: Constraint): void {
  validateOptions(fn, { [name]: value }, { [name]: constraint });
}

/**
 * The data-dependent check every estimator makes of a count against the rows given, as one
 * message: `kmeans: k=12 is more than the 10 rows given`.
 */
export function checkAtMostRows(fn: string, name: string, value: number, rows: number): void {
  if (value > rows) throw new ParameterError(fn, name, `${name}=${value} is more than the ${rows} rows given`);
}

/** What `c` allows, as a message says it: `an integer >= 1`, `'flat' or 'gaussian'`. */
export function describeConstraint(c: Constraint): string {
  const parts = alternatives(c);
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

interface Failure {
  path: string;
  value: unknown;
  constraint: Constraint;
}

function check(value: unknown, c: Constraint, path: string): Failure | null {
  switch (c.kind) {
    case 'optional':
      return value === undefined ? null : check(value, c.of, path);
    case 'nullable': {
      if (value === null) return null;
      const f = check(value, c.of, path);
      // Said of the value itself, the message names null among what it may be.
      return f !== null && f.path === path ? { ...f, constraint: c } : f;
    }
    case 'anyOf':
      return c.members.some((m) => check(value, m, path) === null) ? null : { path, value, constraint: c };
    case 'array': {
      if (!Array.isArray(value)) return { path, value, constraint: c };
      for (let i = 0; i < value.length; i++) {
        const f = check(value[i], c.of, `${path}[${i}]`);
        if (f !== null) return f;
      }
      return null;
    }
    case 'options': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { path, value, constraint: c };
      for (const [name, inner] of Object.entries(c.table)) {
        const f = check((value as Record<string, unknown>)[name], inner, `${path}.${name}`);
        if (f !== null) return f;
      }
      return null;
    }
    default:
      return meets(value, c) ? null : { path, value, constraint: c };
  }
}

/** The kinds that hold no other constraint. */
type Leaf = Exclude<Constraint, { kind: 'optional' | 'nullable' | 'anyOf' | 'array' | 'options' }>;

function meets(value: unknown, c: Leaf): boolean {
  switch (c.kind) {
    case 'integer':
      return Number.isInteger(value) && !((value as number) < (c.min ?? -Infinity)) && !((value as number) > (c.max ?? Infinity));
    case 'number': {
      if (typeof value !== 'number' || Number.isNaN(value)) return false;
      const b = c.bounds;
      if ((b.finite ?? true) && !Number.isFinite(value)) return false;
      return (
        (b.min === undefined || value >= b.min) &&
        (b.above === undefined || value > b.above) &&
        (b.max === undefined || value <= b.max) &&
        (b.below === undefined || value < b.below)
      );
    }
    case 'literal':
      return typeof value === 'string' && c.values.includes(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'function':
      return typeof value === 'function';
    case 'custom':
      return c.test(value);
    default:
      return assertUnreachable(c);
  }
}

/** The alternatives `c` allows, each as a message says it; describeConstraint() joins them with "or". */
function alternatives(c: Constraint): string[] {
  switch (c.kind) {
    case 'integer':
      if (c.min !== undefined && c.max !== undefined) return [`an integer from ${c.min} to ${c.max}`];
      if (c.min !== undefined) return [`an integer >= ${c.min}`];
      if (c.max !== undefined) return [`an integer <= ${c.max}`];
      return ['an integer'];
    case 'number':
      return [describeNumber(c.bounds)];
    case 'literal':
      return c.values.map((v) => `'${v}'`);
    case 'boolean':
      return ['true', 'false'];
    case 'function':
      return ['a function'];
    case 'array':
      return ['an array'];
    case 'options':
      return ['an object of options'];
    case 'anyOf':
      return c.members.flatMap(alternatives);
    case 'optional':
      return alternatives(c.of);
    case 'nullable':
      return [...alternatives(c.of), 'null'];
    case 'custom':
      return [c.description];
    default:
      return assertUnreachable(c);
  }
}

function describeNumber(b: NumberBounds): string {
  const finite = b.finite ?? true;
  const low = b.min !== undefined ? `>= ${b.min}` : b.above !== undefined ? `> ${b.above}` : null;
  const high = b.max !== undefined ? `<= ${b.max}` : b.below !== undefined ? `< ${b.below}` : null;
  const noun = b.noun ?? (finite ? 'a finite number' : 'a number');
  if (low !== null && high !== null) {
    const interval = `${b.min !== undefined ? '[' : '('}${b.min ?? b.above}, ${b.max ?? b.below}${b.max !== undefined ? ']' : ')'}`;
    return b.noun === undefined ? `in ${interval}` : `${b.noun} in ${interval}`;
  }
  // "finite and > 0" is the wording the positive quantities (eps, bandwidth) have always had.
  if (finite && b.noun === undefined && b.above !== undefined && high === null) return `finite and ${low}`;
  const bound = low ?? high;
  return bound === null ? noun : `${noun} ${bound}`;
}

/** A value as a message shows it: strings quoted, numbers as JavaScript prints them. */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) return String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
