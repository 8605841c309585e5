// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { commandHelp, parseArgs, UsageError, type CommandSpec } from '../../src/cli/args.js';

const SPEC: CommandSpec = {
  name: 'demo',
  summary: 'A command for the tests.',
  positionals: [{ name: 'file', help: 'a file' }],
  flags: {
    k: { type: 'integer', value: 'N', min: 1, help: 'k' },
    eps: { type: 'number', min: 0, minInclusive: false, help: 'eps' },
    mode: { type: 'string', choices: ['a', 'b'], help: 'mode' },
    exclude: { type: 'list', help: 'columns' },
    sample: { type: 'boolean', help: 'sample' },
  },
};

function usageError(argv: string[]): string {
  try {
    parseArgs(SPEC, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('no UsageError');
}

describe('parseArgs', () => {
  it('reads --flag value, --flag=value, booleans, lists given twice and the common flags', () => {
    const p = parseArgs(SPEC, ['f.csv', '--k', '3', '--eps=0.25', '--mode', 'b', '--exclude', 'x,y', '--exclude=z', '--sample', '--json', '--seed', '-7']);
    expect(p.positionals).toEqual(['f.csv']);
    expect(p.number('k')).toBe(3);
    expect(p.number('eps')).toBe(0.25);
    expect(p.string('mode')).toBe('b');
    expect(p.list('exclude')).toEqual(['x', 'y', 'z']);
    expect(p.bool('sample')).toBe(true);
    expect(p.bool('json')).toBe(true);
    expect(p.number('seed')).toBe(-7);
    expect(p.has('backend')).toBe(false);
  });

  it('names the flag in every usage error', () => {
    expect(usageError(['f.csv', '--frob'])).toBe("unknown flag --frob for 'demo'");
    expect(usageError(['f.csv', '--k'])).toBe('--k needs a value (N)');
    expect(usageError(['f.csv', '--k', '--sample'])).toBe('--k needs a value (N)');
    expect(usageError(['f.csv', '--k', '2.5'])).toBe("--k: '2.5' is not an integer");
    expect(usageError(['f.csv', '--k', '0'])).toBe('--k: 0 must be >= 1');
    expect(usageError(['f.csv', '--eps', '0'])).toBe('--eps: 0 must be > 0');
    expect(usageError(['f.csv', '--eps', 'abc'])).toBe("--eps: 'abc' is not a number");
    expect(usageError(['f.csv', '--mode', 'c'])).toBe("--mode: 'c' is not one of a, b");
    expect(usageError(['f.csv', '--backend', 'gpu'])).toMatch(/^--backend: 'gpu' is not one of auto, /);
    expect(usageError(['f.csv', '--sample=yes'])).toBe('--sample takes no value');
    expect(usageError(['f.csv', '-x'])).toBe('unknown flag -x');
  });

  it('checks the positionals, unless --help is asked for', () => {
    expect(usageError([])).toBe('missing argument <file>');
    expect(usageError(['a', 'b'])).toBe("unexpected argument 'b'");
    expect(parseArgs(SPEC, ['--help']).bool('help')).toBe(true);
  });

  it('help lists the command, its flags and the common flags', () => {
    const help = commandHelp(SPEC);
    expect(help).toMatch(/^usage: segments demo <file> \[flags\]/);
    for (const flag of ['--k N', '--eps', '--mode a|b', '--exclude', '--backend', '--seed S', '--json', '--verbose', '--quiet']) expect(help).toContain(flag);
  });
});
