// SPDX-License-Identifier: MIT
/**
 * The `segments` command line, a thin layer over the library: this file only picks the command,
 * parses its flags (args.ts) and turns errors into exit codes. The commands are in commands/.
 *
 * Exit codes: 0 ok; 130 cancelled (Ctrl-C: nothing written); 2 a usage error (unknown command or flag, missing argument, bad value: the
 * message names it) or a library ParameterError; 1 a data error (unreadable file, a bad row, a
 * broken model) or any other failure. An error is one line on stderr, in a user's words (no function
 * names; a data error names the file's line and column where it has one); `--verbose` adds the stack.
 */
import { commandHelp, parseArgs, UsageError, type CommandSpec } from './args.js';
import { benchCommand, BENCH_SPEC } from './commands/bench.js';
import { firstLine, userMessage } from './commands/common.js';
import { fitCommand, FIT_SPEC } from './commands/fit.js';
import { fitDatabaseCommand } from './commands/fitDatabase.js';
import { isDatabaseAddress } from '../db/open.js';
import { predictCommand, PREDICT_SPEC } from './commands/predict.js';
import { profileCommand, PROFILE_SPEC } from './commands/profile.js';
import { sampleCommand, SAMPLE_SPEC } from './commands/sample.js';
import { serveCommand, SERVE_SPEC } from './commands/serve.js';
import { sqlCommand, SQL_SPEC } from './commands/sql.js';
import { makeContext, processIo, type CliIo, type Context } from './context.js';
import { CancelledError, ParameterError } from '../errors.js';

/** One command: its flags and what runs it (returning an exit code, or nothing for 0). */
export interface Command {
  spec: CommandSpec;
  /** Resolves to the exit code when it returns a number, else 0. */
  run(ctx: Context): Promise<unknown>;
}

/** The commands, in the order the usage lists them. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['fit', { spec: FIT_SPEC, run: (ctx) => (isDatabaseAddress(ctx.args.positionals[0] ?? '') && !ctx.args.bool('pull') ? fitDatabaseCommand(ctx) : fitCommand(ctx)) }],
  ['predict', { spec: PREDICT_SPEC, run: predictCommand }],
  ['profile', { spec: PROFILE_SPEC, run: profileCommand }],
  ['sql', { spec: SQL_SPEC, run: sqlCommand }],
  ['sample', { spec: SAMPLE_SPEC, run: sampleCommand }],
  ['bench', { spec: BENCH_SPEC, run: (ctx) => benchCommand(ctx) }],
  ['serve', { spec: SERVE_SPEC, run: serveCommand }],
]);

/** The top-level usage. */
export function usage(): string {
  const lines = ['usage: segments <command> [arguments] [flags]', '', 'commands:'];
  for (const [name, c] of COMMANDS) lines.push(`  ${name.padEnd(9)} ${c.spec.summary}`);
  lines.push('', "run 'segments <command> --help' for its flags.");
  return lines.join('\n');
}

/**
 * Runs the CLI with `argv` (the arguments after the program name); returns the exit code.
 * `io` replaces the process's streams (tests capture output with it).
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const base = processIo();
  const streams: CliIo = { ...base, ...io, isTTY: io.isTTY ?? (io.err === undefined ? base.isTTY : false) };
  let verbose = argv.includes('--verbose');
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      if (name === undefined) throw new UsageError('no command given');
      streams.out(usage());
      return 0;
    }
    if (name === '--version') {
      const { LIBRARY_VERSION } = await import('../model/version.js');
      streams.out(LIBRARY_VERSION);
      return 0;
    }
    const command = COMMANDS.get(name);
    if (command === undefined) throw new UsageError(`unknown command '${name}' (commands: ${[...COMMANDS.keys()].join(', ')})`);
    const args = parseArgs(command.spec, rest);
    verbose = args.bool('verbose');
    if (args.bool('help')) {
      streams.out(commandHelp(command.spec));
      return 0;
    }
    const ctx = makeContext(streams, args);
    try {
      const code = await command.run(ctx);
      return typeof code === 'number' ? code : 0;
    } finally {
      ctx.progress.clear();
    }
  } catch (e) {
    if (e instanceof UsageError) {
      const help = e.command ? `segments ${e.command} --help` : 'segments --help';
      streams.err(`segments: ${e.message} (see '${help}')`);
      return 2;
    }
    if (e instanceof CancelledError) {
      streams.err('segments: cancelled; nothing was written');
      return 130;
    }
    const message = userMessage(e);
    streams.err(`segments: ${verbose ? message : firstLine(message)}`);
    if (verbose && e instanceof Error && e.stack) streams.err(e.stack);
    return e instanceof ParameterError ? 2 : 1;
  }
}
