// SPDX-License-Identifier: MIT
/**
 * An error's message in a user's words, as the CLI and the app show it: a library error's message
 * starts with the function that raised it (`readCsv: `, `Pipeline.fit: `), which is for
 * programmers (the CLI's `--verbose` shows the stack that names it); a ModelError starts with the
 * model file, which stays.
 */
import { DataError, ParameterError } from '../errors.js';
import { ModelError } from '../model/modelError.js';

export function userMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if ((e instanceof DataError || e instanceof ParameterError) && !(e instanceof ModelError) && message.startsWith(`${e.fn}: `)) {
    return message.slice(e.fn.length + 2);
  }
  return message;
}

/** A warning in a user's words: without the function (`Pipeline.fit: `, `renderReport: `) it starts with. */
export function userWarning(message: string): string {
  return message.replace(/^(?:[A-Z][A-Za-z]*\.)?[a-z][A-Za-z]*: /, '');
}
