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
