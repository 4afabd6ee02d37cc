import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from './duckdb-warehouse.js';

let wh: DuckDBWarehouse;
beforeEach(async () => {
  wh = await DuckDBWarehouse.open(':memory:');
  await wh.exec(`CREATE TABLE t (id VARCHAR PRIMARY KEY, x DOUBLE, n INTEGER, ok BOOLEAN, happened TIMESTAMP,
                 doc JSON, note VARCHAR DEFAULT 'none')`);
});
afterEach(async () => {
  await wh.close();
});

describe('Warehouse.append', () => {
  it('appends typed columns, NULLs and defaults, and the rows read back as given', async () => {
    await wh.append('t', {
      id: ['a', 'b'],
      x: Float64Array.of(1.5, NaN),
      n: Int32Array.of(7, -2),
      ok: [true, null],
      happened: [new Date('2024-03-01T10:00:00.123Z'), null],
      doc: ['["r1","r2"]', null],
    });
    const rows = await wh.rows(
      'SELECT id, x, n, ok, happened, doc::VARCHAR AS doc, json_array_length(doc) AS len, note FROM t ORDER BY id',
    );
    expect(rows).toEqual([
      {
        id: 'a',
        x: 1.5,
        n: 7,
        ok: true,
        happened: new Date('2024-03-01T10:00:00.123Z'),
        doc: '["r1","r2"]',
        len: 2,
        note: 'none',
      },
      { id: 'b', x: null, n: -2, ok: null, happened: null, doc: null, len: null, note: 'none' },
    ]);
  });

  it('every column given: goes in data chunks, over several chunks, NULLs and NaN kept as NULL', async () => {
    const n = 5000; // two full chunks of 2,048 rows and a part
    await wh.append('t', {
      id: Array.from({ length: n }, (_, i) => `k${i}`),
      x: Float64Array.from({ length: n }, (_, i) => (i % 1000 === 7 ? NaN : i / 3)),
      n: Int32Array.from({ length: n }, (_, i) => -i),
      ok: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i % 2 === 0)),
      happened: Array.from({ length: n }, (_, i) => (i === 4999 ? null : new Date(Date.UTC(2024, 0, 1) + i))),
      doc: Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : `["r${i}","say \\"hi\\""]`)),
      note: Array.from({ length: n }, () => 'given'),
    });
    const [c] = await wh.rows(
      `SELECT CAST(count(*) AS INTEGER) AS rows, CAST(count(x) AS INTEGER) AS x, CAST(sum(n) AS INTEGER) AS n,
              CAST(count(ok) AS INTEGER) AS ok, CAST(count(*) FILTER (WHERE ok) AS INTEGER) AS yes,
              CAST(count(happened) AS INTEGER) AS happened, CAST(count(doc) AS INTEGER) AS doc,
              CAST(count(*) FILTER (WHERE note = 'given') AS INTEGER) AS note FROM t`,
    );
    // x: 5 NaN (i = 7, 1007, ..., 4007); ok: 1,667 NULL, even i among the rest true;
    // sum of -i over 0..4999 = -12,497,500; doc: 1,250 NULL.
    expect(c).toEqual({
      rows: 5000,
      x: 4995,
      n: -12497500,
      ok: 3333,
      yes: 1666,
      happened: 4999,
      doc: 3750,
      note: 5000,
    });
    const rows = await wh.rows(
      `SELECT id, x, n, ok, happened, doc::VARCHAR AS doc FROM t WHERE id IN ('k2049', 'k4999') ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: 'k2049',
        x: 2049 / 3,
        n: -2049,
        ok: null,
        happened: new Date(Date.UTC(2024, 0, 1) + 2049),
        doc: '["r2049","say \\"hi\\""]',
      },
      { id: 'k4999', x: 4999 / 3, n: -4999, ok: false, happened: null, doc: '["r4999","say \\"hi\\""]' },
    ]);
  });

  it('is part of the transaction in progress: a rollback leaves nothing', async () => {
    await expect(
      wh.transaction(async () => {
        await wh.append('t', { id: ['a'], x: Float64Array.of(1) });
        expect(await wh.rows('SELECT id FROM t')).toEqual([{ id: 'a' }]);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await wh.rows('SELECT id FROM t')).toEqual([]);
  });

  it('refuses an unknown column, columns of different lengths, values of the wrong type, a duplicate key', async () => {
    await expect(wh.append('t', { id: ['a'], y: Float64Array.of(1) })).rejects.toThrow(
      "append to t: it has no column 'y'",
    );
    await expect(wh.append('t', { id: ['a', 'b'], x: Float64Array.of(1) })).rejects.toThrow(
      'append to t: the columns differ in length',
    );
    await expect(wh.append('t', { id: ['a'], n: Float64Array.of(1) })).rejects.toThrow(
      /append to t\.n: cannot append these values to a INTEGER/,
    );
    await wh.append('t', { id: ['a'] });
    await expect(wh.append('t', { id: ['a'] })).rejects.toThrow(/[Dd]uplicate key/);
  });
});
