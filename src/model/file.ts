// SPDX-License-Identifier: MIT
/**
 * Models as text and as files. `stringifyModel` / `parseModel` work everywhere; `saveModel` /
 * `loadModel` are for Node and load node:fs with a dynamic import, so that this module bundles
 * for the browser.
 */
import { DataError } from '../errors.js';
import { SegmentationModel } from './model.js';
import { ModelError } from './modelError.js';
import type { ModelJSON } from './serialize.js';

/**
 * The model as JSON text: indented, with each row of numbers on one line. Numbers are written
 * as the shortest decimal that reads back to the same value, so float32 centroids round-trip
 * exactly.
 */
export function stringifyModel(model: SegmentationModel | ModelJSON): string {
  const json = model instanceof SegmentationModel ? model.toJSON() : model;
  // Arrays holding only numbers (centroid rows, core labels) on one line.
  return `${JSON.stringify(json, null, 2).replace(/\[\s*(-?\d[-+.\deE]*(?:,\s*-?\d[-+.\deE]*)*)\s*\]/g, (_, body: string) => `[${body.replace(/,\s*/g, ', ')}]`)}\n`;
}

/**
 * A model from JSON text, checked as `SegmentationModel.fromJSON` does.
 * @param source Where the text came from, for messages. Default `model.json`.
 * @throws ModelError for text that is not JSON (a truncated file) or not a valid model.
 */
export function parseModel(text: string, source = 'model.json'): SegmentationModel {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const hint = text.trim() === '' ? 'the file is empty' : 'the file is truncated or is not a saved model';
    throw new ModelError(source, 'the JSON', `cannot be parsed (${(err as Error).message}): ${hint}`);
  }
  return SegmentationModel.fromJSON(json, source);
}

/**
 * Writes `model` to `path` as JSON (Node). The text goes to a temporary file beside it first,
 * then replaces `path`, so a crash never leaves a half-written model.
 * @throws DataError when the file cannot be written.
 */
export async function saveModel(model: SegmentationModel, path: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await fs.writeFile(temp, stringifyModel(model), 'utf8');
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new DataError('saveModel', 'path', `cannot write '${path}': ${(err as Error).message}`);
  }
}

/**
 * Reads a model saved by `saveModel` (Node), checking every field.
 * @throws DataError when the file cannot be read; ModelError naming the field at fault for a
 *   broken, inconsistent or newer model.
 */
export async function loadModel(path: string): Promise<SegmentationModel> {
  const fs = await import('node:fs/promises');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a folder, not a model file' : code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new DataError('loadModel', 'path', `cannot read '${path}': ${why}`);
  }
  return parseModel(text, path);
}
