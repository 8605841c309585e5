// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import {
  abortSignal,
  checkValue,
  anyOf,
  arrayOf,
  boolean,
  custom,
  describeConstraint,
  func,
  integer,
  nullable,
  number,
  oneOf,
  optional,
  options,
  partial,
  resolveAliases,
  validateOptions,
  type Constraint,
} from '../src/constraints.js';
import { ParameterError } from '../src/errors.js';

/** The ParameterError validateOptions throws for `value` under `c` (as option `x` of `f`), or null. */
function refusal(value: unknown, c: Constraint): ParameterError | null {
  try {
    validateOptions('f', { x: value }, { x: c });
    return null;
  } catch (e) {
    if (e instanceof ParameterError) return e;
    throw e;
  }
}

function message(value: unknown, c: Constraint): string | null {
  return refusal(value, c)?.message ?? null;
}

describe('validateOptions', () => {
  it('the docstring example: kmeans k=0', () => {
    expect(() => validateOptions('kmeans', { k: 0 }, { k: integer({ min: 1 }) })).toThrow(new ParameterError('kmeans', 'k', 'k=0 must be an integer >= 1'));
  });

  it('integers: bounds are closed, non-integers and non-numbers are refused', () => {
    const c = integer({ min: 1 });
    expect(message(1, c)).toBeNull();
    expect(message(7, c)).toBeNull();
    expect(message(0, c)).toBe('f: x=0 must be an integer >= 1');
    expect(message(1.5, c)).toBe('f: x=1.5 must be an integer >= 1');
    expect(message(Number.NaN, c)).toBe('f: x=NaN must be an integer >= 1');
    expect(message(Infinity, c)).toBe('f: x=Infinity must be an integer >= 1');
    expect(message('3', c)).toBe("f: x='3' must be an integer >= 1");
    expect(message(undefined, c)).toBe('f: x=undefined must be an integer >= 1');
    expect(message(-3, integer())).toBeNull();
    expect(message(0.5, integer())).toBe('f: x=0.5 must be an integer');
    expect(message(5, integer({ max: 4 }))).toBe('f: x=5 must be an integer <= 4');
    expect(message(2, integer({ min: 2, max: 4 }))).toBeNull();
    expect(message(4, integer({ min: 2, max: 4 }))).toBeNull();
    expect(message(1, integer({ min: 2, max: 4 }))).toBe('f: x=1 must be an integer from 2 to 4');
  });

  it('numbers: closed and open ends, finite by default, NaN always refused', () => {
    expect(message(0, number({ min: 0 }))).toBeNull();
    expect(message(-0.5, number({ min: 0 }))).toBe('f: x=-0.5 must be a finite number >= 0');
    expect(message(Infinity, number({ min: 0 }))).toBe('f: x=Infinity must be a finite number >= 0');
    expect(message(Infinity, number({ min: 0, finite: false }))).toBeNull();
    expect(message(-1, number({ min: 0, finite: false }))).toBe('f: x=-1 must be a number >= 0');
    expect(message(Number.NaN, number({ min: 0, finite: false }))).toBe('f: x=NaN must be a number >= 0');
    expect(message(0, number({ above: 0 }))).toBe('f: x=0 must be finite and > 0');
    expect(message(1e-300, number({ above: 0 }))).toBeNull();
    expect(message(0, number({ above: 0, finite: false }))).toBe('f: x=0 must be a number > 0');
    expect(message(2, number({ max: 1 }))).toBe('f: x=2 must be a finite number <= 1');
    expect(message(1, number({ below: 1 }))).toBe('f: x=1 must be a finite number < 1');
    expect(message(-Infinity, number())).toBe('f: x=-Infinity must be a finite number');
    expect(message(-Infinity, number({ finite: false }))).toBeNull();
    expect(message('1', number())).toBe("f: x='1' must be a finite number");
  });

  it('numbers of two bounds are intervals, closed with [ ], open with ( )', () => {
    const closed = number({ min: 0, max: 1 });
    expect([0, 0.3, 1].map((v) => message(v, closed))).toEqual([null, null, null]);
    expect(message(1.5, closed)).toBe('f: x=1.5 must be in [0, 1]');
    const open = number({ above: 0, below: 1 });
    expect(message(0.5, open)).toBeNull();
    expect(message(0, open)).toBe('f: x=0 must be in (0, 1)');
    expect(message(1, open)).toBe('f: x=1 must be in (0, 1)');
    expect(message(1, number({ above: 0, max: 1 }))).toBeNull();
    expect(message(0, number({ above: 0, max: 1 }))).toBe('f: x=0 must be in (0, 1]');
    expect(message(2, number({ above: 0, below: 1, noun: 'a fraction' }))).toBe('f: x=2 must be a fraction in (0, 1)');
  });

  it('string literals, booleans and functions', () => {
    expect(message('flat', oneOf('flat', 'gaussian'))).toBeNull();
    expect(message('box', oneOf('flat', 'gaussian'))).toBe("f: x='box' must be 'flat' or 'gaussian'");
    expect(message('a', oneOf('ward', 'complete', 'average', 'single'))).toBe("f: x='a' must be 'ward', 'complete', 'average' or 'single'");
    expect(message(1, oneOf('only'))).toBe("f: x=1 must be 'only'");
    expect(message(false, boolean())).toBeNull();
    expect(message('yes', boolean())).toBe("f: x='yes' must be true or false");
    expect(message(0, boolean())).toBe('f: x=0 must be true or false');
    expect(message(() => 1, func())).toBeNull();
    expect(message('log', func())).toBe("f: x='log' must be a function");
  });

  it('an AbortSignal is anything with a boolean aborted flag', () => {
    expect(message(new AbortController().signal, abortSignal())).toBeNull();
    expect(message({ aborted: true }, abortSignal())).toBeNull();
    expect(message({ aborted: 'no' }, abortSignal())).toBe('f: x={"aborted":"no"} must be an AbortSignal');
    expect(message(true, abortSignal())).toBe('f: x=true must be an AbortSignal');
  });

  it('optional takes undefined, nullable takes null, and says so', () => {
    expect(message(undefined, optional(integer({ min: 1 })))).toBeNull();
    expect(message(0, optional(integer({ min: 1 })))).toBe('f: x=0 must be an integer >= 1');
    expect(message(null, optional(integer({ min: 1 })))).toBe('f: x=null must be an integer >= 1');
    expect(message(null, nullable(integer({ min: 1 })))).toBeNull();
    expect(message(0, nullable(integer({ min: 1 })))).toBe('f: x=0 must be an integer >= 1 or null');
    expect(message(undefined, nullable(integer({ min: 1 })))).toBe('f: x=undefined must be an integer >= 1 or null');
  });

  it('anyOf passes a value any member takes, and lists every alternative', () => {
    const init = anyOf(oneOf('k-means++', 'random'), custom('a [k, d] matrix of centers', (v) => Array.isArray(v)));
    expect(message('random', init)).toBeNull();
    expect(message([[0, 1]], init)).toBeNull();
    expect(message('kmeans', init)).toBe("f: x='kmeans' must be 'k-means++', 'random' or a [k, d] matrix of centers");
    const components = anyOf(integer({ min: 1 }), number({ above: 0, below: 1, noun: 'a fraction' }));
    expect([3, 0.95].map((v) => message(v, components))).toEqual([null, null]);
    expect(message(1.5, components)).toBe('f: x=1.5 must be an integer >= 1 or a fraction in (0, 1)');
  });

  it('arrays name the first bad item by its index', () => {
    const c = arrayOf(integer({ min: 0 }));
    expect(message([], c)).toBeNull();
    expect(message([0, 4, 2], c)).toBeNull();
    expect(message([0, -1, -2], c)).toBe('f: x[1]=-1 must be an integer >= 0');
    expect(message(new Int32Array(2), c)).toBe('f: x={"0":0,"1":0} must be an array');
    expect(message('abc', c)).toBe("f: x='abc' must be an array");
    expect(refusal([0, -1], c)?.argument).toBe('x');
  });

  it('nested options name the path, and the outer option as the argument', () => {
    const c = options<{ nInit?: number; init?: string }>({ nInit: optional(integer({ min: 1 })), init: optional(oneOf('random')) });
    expect(message({}, c)).toBeNull();
    expect(message({ nInit: 2, other: 'kept' }, c)).toBeNull();
    expect(message({ nInit: 0 }, c)).toBe('f: x.nInit=0 must be an integer >= 1');
    expect(refusal({ nInit: 0 }, c)?.argument).toBe('x');
    expect(message({ init: 'pp' }, c)).toBe("f: x.init='pp' must be 'random'");
    expect(message(5, c)).toBe('f: x=5 must be an object of options');
    expect(message(null, c)).toBe('f: x=null must be an object of options');
    expect(message([1], c)).toBe('f: x=[1] must be an object of options');
  });

  it('checks in the order of the table and reports the first failure only', () => {
    const table = { a: integer({ min: 1 }), b: integer({ min: 1 }) };
    expect(() => validateOptions('g', { a: 0, b: 0 }, table)).toThrow('g: a=0 must be an integer >= 1');
    expect(() => validateOptions('g', { b: 0, a: 0 }, table)).toThrow('g: a=0 must be an integer >= 1');
    expect(() => validateOptions('g', { a: 1, b: 0 }, table)).toThrow('g: b=0 must be an integer >= 1');
    expect(() => validateOptions('g', { a: 1, b: 1 }, table)).not.toThrow();
  });

  it('leaves names the table does not hold alone (no estimator refused them before)', () => {
    const table = { a: integer() } as { a: Constraint };
    expect(() => validateOptions('g', { a: 1, unknown: 'x' } as { a: number }, table)).not.toThrow();
  });

  it('partial makes every entry optional and keeps what it checks', () => {
    const table = partial<{ a: number; b?: string }>({ a: integer({ min: 1 }), b: optional(oneOf('x')) });
    expect(() => validateOptions('g', {}, table)).not.toThrow();
    expect(() => validateOptions('g', { a: 0 }, table)).toThrow('g: a=0 must be an integer >= 1');
    expect(() => validateOptions('g', { b: 'y' }, table)).toThrow("g: b='y' must be 'x'");
  });

  it('shows long and circular values briefly', () => {
    expect(message('x'.repeat(3), integer())).toBe("f: x='xxx' must be an integer");
    expect(message({ a: 'y'.repeat(60) }, integer())).toBe(`f: x={"a":"${'y'.repeat(33)}… must be an integer`);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(message(circular, integer())).toBe('f: x=[object Object] must be an integer');
    expect(message(() => 0, integer())).toBe('f: x=a function must be an integer');
  });
});

describe('describe', () => {
  it('joins alternatives with commas and a final "or"', () => {
    expect(describeConstraint(oneOf('a'))).toBe("'a'");
    expect(describeConstraint(oneOf('a', 'b'))).toBe("'a' or 'b'");
    expect(describeConstraint(anyOf(oneOf('a', 'b'), boolean()))).toBe("'a', 'b', true or false");
    expect(describeConstraint(optional(arrayOf(integer())))).toBe('an array');
  });
});

describe('resolveAliases', () => {
  const aliases = { nClusters: 'k', chunkRows: 'tileRows' };

  it('maps a deprecated name to its new one, leaving the options given untouched', () => {
    const given = { nClusters: 3, linkage: 'ward' };
    expect(resolveAliases('agglomerative', given, aliases)).toEqual({ k: 3, linkage: 'ward' });
    expect(given).toEqual({ nClusters: 3, linkage: 'ward' });
  });

  it('returns the same object when no deprecated name is given (undefined counts as not given)', () => {
    const given = { k: 3, nClusters: undefined };
    expect(resolveAliases('agglomerative', given, aliases)).toBe(given);
  });

  it('refuses a deprecated name given with its new one, naming the old one', () => {
    let err: unknown;
    try {
      resolveAliases('agglomerative', { k: 2, nClusters: 3 }, aliases);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).message).toBe('agglomerative: give k or its deprecated alias nClusters, not both');
    expect((err as ParameterError).argument).toBe('nClusters');
  });
});

describe('checkValue', () => {
  it('checks one value as validateOptions checks an option, with the same message and argument', () => {
    expect(() => checkValue('histogramBySegment', 'bins', 20, integer({ min: 1 }))).not.toThrow();
    for (const bad of [0, 2.5, Number.NaN, -1]) {
      let err: unknown = null;
      try {
        checkValue('histogramBySegment', 'bins', bad, integer({ min: 1 }));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).message).toBe(`histogramBySegment: bins=${bad} must be an integer >= 1`);
      expect((err as ParameterError).argument).toBe('bins');
    }
  });
});
