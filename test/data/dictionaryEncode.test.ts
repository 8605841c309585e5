import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dictionaryEncode } from '../../src/data/dictionaryEncode.js';
import { readTable } from '../../src/data/readTable.js';
import { writeTable } from '../../src/data/writers.js';

const cells = (t: arrow.Table, name: string): unknown[] => Array.from(t.getChild(name) as arrow.Vector, (v) => v);

describe('dictionaryEncode', () => {
  it('encodes text columns of few labels, keeps every cell and null, leaves other columns as they are', async () => {
    const csv = 'city,note,n\nOslo,a1,1\n,a2,2\nRome,a3,3\nOslo,,4\n"Rome",a5,5\n';
    const { table } = await readTable(new TextEncoder().encode(csv), { format: 'csv' });
    const t = dictionaryEncode(table, { maxDistinct: 3 });
    expect(String(t.getChild('city')?.type)).toBe('Dictionary<Int32, Utf8>');
    expect(String(t.getChild('note')?.type)).toBe('Utf8'); // 4 distinct labels > 3
    expect(cells(t, 'city')).toEqual(['Oslo', null, 'Rome', 'Oslo', 'Rome']);
    expect(cells(t, 'note')).toEqual(cells(table, 'note'));
    expect(cells(t, 'n')).toEqual(cells(table, 'n'));
    expect(t.getChild('city')?.nullCount).toBe(1);
  });

  it('shares one dictionary across batches, with an id no other column uses, so Arrow IPC writes it', async () => {
    const a = new arrow.Table({ x: arrow.vectorFromArray(['p', 'q'], new arrow.Utf8()) });
    const b = new arrow.Table({ x: arrow.vectorFromArray(['q', 'r', 'p'], new arrow.Utf8()) });
    const two = new arrow.Table([...a.batches, ...b.batches]);
    const given = new arrow.Table({ kind: arrow.vectorFromArray(['u', 'v', 'u', 'v', 'u'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), 0)) });
    const t = dictionaryEncode(two.assign(given));
    expect(t.batches.length).toBe(2);
    expect(cells(t, 'x')).toEqual(['p', 'q', 'q', 'r', 'p']);
    const type = t.getChild('x')?.type as arrow.Dictionary;
    expect(type.id).toBe(1);
    const { data } = await writeTable(t, null, { format: 'arrow' });
    const back = arrow.tableFromIPC(data);
    expect(cells(back, 'x')).toEqual(['p', 'q', 'q', 'r', 'p']);
    expect(cells(back, 'kind')).toEqual(['u', 'v', 'u', 'v', 'u']);
  });

  it('returns the table itself when no column changes', () => {
    const t = new arrow.Table({ n: arrow.makeVector(Float64Array.of(1, 2)) });
    expect(dictionaryEncode(t)).toBe(t);
  });
});
