// SPDX-License-Identifier: MIT
/** The member table's rows in the worker (app/src/members.ts), on tables read as the app reads them. */
import { describe, expect, it } from 'vitest';
import { DataError, ParameterError, readTable } from '../../src/index.js';
import { MemberTable } from '../../app/src/members.js';

const CSV = ['id,city,spend,plan', '1,Oslo,12.5,basic', '2,Rome,,pro', '3,oslo,3,pro', '4,Lima,120,', '5,Rome,7,basic', '6,Osaka,-1e-7,team'].join('\n');
/** Segment of each row, as a run gives them (−1: noise). */
const LABELS = Int32Array.from([0, 1, 0, 1, -1, 0]);
const NAMES = new Map([
  [0, 'Savers, "thrifty"'],
  [1, 'Spenders'],
  [-1, 'noise'],
]);

async function members(): Promise<MemberTable> {
  const { table } = await readTable(new Blob([CSV]), { name: 'shop.csv' });
  return new MemberTable(table);
}

describe('MemberTable', () => {
  it('lists a segment\'s rows in row order, and all rows for no segment', async () => {
    const m = await members();
    expect(m.query({ runId: 1, segment: 1, search: '', sort: null }, LABELS, NAMES)).toEqual({ runId: 1, segment: 1, total: 2, count: 2, columns: ['id', 'city', 'spend', 'plan'] });
    expect(m.rows(1, 0, 10)).toEqual({ start: 0, rowNumbers: [2, 4], segments: [1, 1], cells: [['2', 'Rome', '', 'pro'], ['4', 'Lima', '120', '']] });
    expect(m.query({ runId: 1, segment: null, search: '', sort: null }, LABELS, NAMES).count).toBe(6);
    expect(m.rows(1, 4, 10).rowNumbers).toEqual([5, 6]);
    expect(m.rows(1, 6, 10).rowNumbers).toEqual([]);
    expect(m.query({ runId: 1, segment: -1, search: '', sort: null }, LABELS, NAMES).count).toBe(1);
  });

  it('searches every column case-insensitively, numbers as JavaScript writes them, within the segment', async () => {
    const m = await members();
    // 'oslo' is in rows 1 and 3 (Oslo, oslo); row 6 (Osaka) is not.
    expect(m.query({ runId: 1, segment: null, search: ' OSLO ', sort: null }, LABELS, NAMES)).toMatchObject({ total: 6, count: 2 });
    expect(m.rows(1, 0, 10).rowNumbers).toEqual([1, 3]);
    // A number's text: -1e-7 is written '-1e-7'; '12.5' holds '2.5'; blank cells hold nothing.
    expect(m.query({ runId: 1, segment: null, search: 'e-7', sort: null }, LABELS, NAMES).count).toBe(1);
    m.query({ runId: 1, segment: null, search: '2.5', sort: null }, LABELS, NAMES);
    expect(m.rows(1, 0, 10).rowNumbers).toEqual([1]);
    // Within segment 1 (rows 2 and 4), 'pro' is row 2 only.
    expect(m.query({ runId: 1, segment: 1, search: 'pro', sort: null }, LABELS, NAMES)).toMatchObject({ total: 2, count: 1 });
    expect(m.rows(1, 0, 10).rowNumbers).toEqual([2]);
    expect(m.query({ runId: 1, segment: null, search: 'nowhere', sort: null }, LABELS, NAMES).count).toBe(0);
  });

  it('sorts by a number or a text column, blanks last in both directions, ties in row order', async () => {
    const m = await members();
    m.query({ runId: 1, segment: null, search: '', sort: { column: 2, descending: false } }, LABELS, NAMES);
    expect(m.rows(1, 0, 10).rowNumbers).toEqual([6, 3, 5, 1, 4, 2]);
    m.query({ runId: 1, segment: null, search: '', sort: { column: 2, descending: true } }, LABELS, NAMES);
    expect(m.rows(1, 0, 10).rowNumbers).toEqual([4, 1, 5, 3, 6, 2]);
    // Text without regard to case: Lima, Osaka, Oslo = oslo (row order), Rome, Rome.
    m.query({ runId: 1, segment: null, search: '', sort: { column: 1, descending: false } }, LABELS, NAMES);
    expect(m.rows(1, 0, 10).rowNumbers).toEqual([4, 6, 1, 3, 2, 5]);
    m.query({ runId: 1, segment: null, search: '', sort: { column: 3, descending: true } }, LABELS, NAMES);
    expect(m.rows(1, 0, 10).rowNumbers).toEqual([6, 2, 3, 1, 5, 4]);
  });

  it('writes the listed rows as CSV, quoting where RFC 4180 says', async () => {
    const m = await members();
    m.query({ runId: 1, segment: 0, search: 'o', sort: null }, LABELS, NAMES);
    const text = new TextDecoder().decode(m.csv(1));
    expect(text).toBe(['row,segment,segment name,id,city,spend,plan', '1,0,"Savers, ""thrifty""",1,Oslo,12.5,basic', '3,0,"Savers, ""thrifty""",3,oslo,3,pro', '6,0,"Savers, ""thrifty""",6,Osaka,-1e-7,team', ''].join('\r\n'));
  });

  it('names what is wrong: a sort column out of range, labels of another table, rows of a run not listed', async () => {
    const m = await members();
    expect(() => m.query({ runId: 1, segment: null, search: '', sort: { column: 4, descending: false } }, LABELS, NAMES)).toThrow(ParameterError);
    expect(() => m.query({ runId: 1, segment: null, search: '', sort: { column: 4, descending: false } }, LABELS, NAMES)).toThrow(/sort.column=4/);
    expect(() => m.query({ runId: 1, segment: null, search: '', sort: null }, LABELS.subarray(1), NAMES)).toThrow(DataError);
    expect(() => m.rows(1, 0, 5)).toThrow(/no member query of run 1/);
    m.query({ runId: 1, segment: null, search: '', sort: null }, LABELS, NAMES);
    expect(() => m.rows(2, 0, 5)).toThrow(ParameterError);
    expect(() => m.rows(1, -1, 5)).toThrow(/start=-1/);
  });
});
