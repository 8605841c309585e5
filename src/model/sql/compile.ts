// SPDX-License-Identifier: MIT
/**
 * A saved model as one SQL SELECT over a table: each row's key (or every column of the table),
 * `segment`, `segment_name` and `distance`, as `model.predict` gives them. The query is layered
 * (each layer a subquery that the next one reads): the cells read (numbers, labels, list items),
 * the features (the pipeline: impute, log1p, scale, one-hot, flags, multi-hot), the squared
 * distance to each center, their least, and the nearest center. Written through a dialect's
 * primitives (dialects.ts), so that the same compiler serves every dialect.
 *
 * Size O(k·d) for k centers and d features; the database's work is O(n·k·d) for n rows.
 */
import { ParameterError, assertUnreachable } from '../../errors.js';
import type { MatrixF32 } from '../../matrix.js';
import type { ModelView } from '../parts.js';
import { statePoints } from '../state.js';
import { dialectOf, type Dialect, type DialectName, type Sql } from './dialects.js';
import { distanceItems, distanceName, leastItem, LEAST_NAME, segmentItems } from './nearest.js';
import { featureItems, featureName, readItems, readName, type Item } from './pipeline.js';

/** Options of `model.toSQL`. */
export interface ToSQLOptions {
  /** The SQL dialect to write. */
  dialect: DialectName;
  /** The table (or `schema.table`, `dataset.table`: split at dots, each part quoted) to read. Default `users`. */
  table?: string;
  /**
   * A column that identifies rows: the query returns it with the segment. Default: every column
   * of the table is returned (not possible on Trino, which has no `SELECT * EXCEPT`).
   */
  key?: string;
}

/** The table a query reads when none is named. */
export const DEFAULT_TABLE = 'users';

/** The names of the columns the query adds. */
export const SQL_OUTPUT_COLUMNS = { segment: 'segment', name: 'segment_name', distance: 'distance' } as const;

const FN = 'toSQL';
const ROW = '__segments_row';

/** The centers of a model whose rule is "nearest center", or a ParameterError saying why not. */
function centersOf(model: ModelView): MatrixF32 {
  const state = model.state;
  if (state.type === 'dbscan') {
    throw new ParameterError(
      FN,
      'model',
      `a dbscan model has no centers: its rows go to the cluster of the nearest of ${state.corePoints.rows} core points within eps, else to noise, and SQL is written only for models whose segments have centers (kmeans, meanShift)`,
    );
  }
  return statePoints(state);
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

function layer(d: Dialect, items: readonly Sql[], from: string): string {
  return `SELECT\n${items.map((i) => `  ${i}`).join(',\n')}\n${from}${d.fence}`;
}

function named(d: Dialect, items: readonly Item[]): Sql[] {
  return items.map((i) => `${i.expr} AS ${d.ident(i.as)}`);
}

/**
 * The SQL SELECT that segments the rows of a table as `model.predict` does.
 * @throws ParameterError for an unknown dialect, an empty table or key name, a model without
 *   centers (DBSCAN), or no key on a dialect that cannot return every column (Trino).
 */
export function modelToSQL(model: ModelView, options: ToSQLOptions): string {
  const d = dialectOf(String(options.dialect), FN);
  const table = options.table ?? DEFAULT_TABLE;
  if (table.trim() === '' || table.split('.').some((p) => p === '')) throw new ParameterError(FN, 'table', `table='${table}' must be a name, or names joined by dots`);
  const key = options.key;
  if (key !== undefined && key === '') throw new ParameterError(FN, 'key', 'key must be a column name');
  const centers = centersOf(model);
  const steps = model.pipeline.steps;
  const k = centers.rows;
  const nFeatures = centers.cols;
  const names = model.segments.filter((s) => s.id >= 0).map((s) => s.name);

  const mode: 'key' | 'allBut' | 'wholeRow' = key !== undefined ? 'key' : d.allBut !== null ? 'allBut' : d.wholeRow !== undefined ? 'wholeRow' : 'key';
  if (mode === 'key' && key === undefined) {
    throw new ParameterError(FN, 'key', `${d.name} has no SELECT * EXCEPT to return every column with the segment: name a key column (--key)`);
  }
  const carry = (alias: string): Sql[] => {
    switch (mode) {
      case 'key':
        return [`${alias}.${d.ident(key as string)}`];
      case 'allBut':
        return [`${alias}.*`];
      case 'wholeRow':
        return [`${alias}.${d.ident(ROW)}`];
      default:
        return assertUnreachable(mode);
    }
  };
  const source = table
    .split('.')
    .map((p) => d.ident(p))
    .join('.');
  const src = '__segments_src';
  const l1 = layer(d, [...(mode === 'wholeRow' ? [(d.wholeRow as NonNullable<Dialect['wholeRow']>).carry(src, ROW)] : carry(src)), ...named(d, readItems(d, steps, src))], `FROM ${source} AS ${src}`);
  const l2 = layer(d, [...carry('__segments_l1'), ...named(d, featureItems(d, steps, '__segments_l1'))], `FROM (\n${indent(l1)}\n) AS __segments_l1`);
  const l3 = layer(d, [...carry('__segments_l2'), ...named(d, distanceItems(d, centers, '__segments_l2'))], `FROM (\n${indent(l2)}\n) AS __segments_l2`);
  const passDistances = mode === 'allBut' ? [] : Array.from({ length: k }, (_, c) => `__segments_l3.${d.ident(distanceName(c))}`);
  const l4 = layer(d, [...carry('__segments_l3'), ...passDistances, ...named(d, [leastItem(d, k, '__segments_l3')])], `FROM (\n${indent(l3)}\n) AS __segments_l3`);
  const helpers = [
    ...steps.map((_, i) => readName(i)),
    ...Array.from({ length: nFeatures }, (_, j) => featureName(j)),
    ...Array.from({ length: k }, (_, c) => distanceName(c)),
    LEAST_NAME,
  ];
  const out =
    mode === 'key'
      ? carry('__segments_l4')
      : mode === 'allBut'
        ? [(d.allBut as NonNullable<Dialect['allBut']>)(helpers)]
        : [(d.wholeRow as NonNullable<Dialect['wholeRow']>).expand('__segments_l4', ROW)];
  const final = `SELECT\n${[...out, ...named(d, segmentItems(d, names, '__segments_l4', SQL_OUTPUT_COLUMNS))].map((i) => `  ${i}`).join(',\n')}\nFROM (\n${indent(l4)}\n) AS __segments_l4`;
  const header = [
    `-- segments model (${model.state.type}, ${k} segments, ${nFeatures} features from ${steps.length} columns) as ${d.name} SQL.`,
    `-- Columns read: ${steps.map((s) => s.column).join(', ')}.`,
  ].map((l) => l.replaceAll('\n', ' '));
  return `${header.join('\n')}\n${final}\n`;
}
