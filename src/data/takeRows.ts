// SPDX-License-Identifier: MIT
/** A subset of a table's rows as a table of its own. */
import * as arrow from 'apache-arrow';

/**
 * Rows `rows` of `table`, in that order, as a new table with the same column names and types
 * (dictionaries rebuilt). O(rows · columns).
 * @example
 * const { table } = await readTable('Mall_Customers.csv');
 * const two = takeRows(table, Int32Array.of(199, 0));
 * two.numRows; // 2
 * two.getChild('Age')?.toArray(); // [30, 19]: the last row's, then the first's
 */
export function takeRows(table: arrow.Table, rows: Int32Array): arrow.Table {
  const columns: Record<string, arrow.Vector> = {};
  for (const field of table.schema.fields) {
    const source = table.getChild(field.name) as arrow.Vector;
    columns[field.name] = arrow.vectorFromArray(Array.from(rows, (r) => source.get(r) as unknown), field.type as arrow.DataType);
  }
  return new arrow.Table(columns);
}
