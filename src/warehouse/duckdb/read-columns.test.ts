import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from './duckdb-warehouse.js';

describe('columns(): typed-array reads', () => {
  let wh: DuckDBWarehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
  });
  afterAll(() => wh.close());

  it('reads every kind, with NULLs as NaN / 0 / null', async () => {
    const c = await wh.columns(
      `SELECT * FROM (VALUES
         ('a', 1.5, 7, TIMESTAMP '2011-01-02 03:04:05', 2.25::DECIMAL(18,4)),
         (NULL, NULL, NULL, NULL, NULL),
         ('c', -3.0, -1, TIMESTAMP '1970-01-01 00:00:01', 0.1::DECIMAL(18,4))) t(s, f, i, ts, d)`,
      { s: 'str', f: 'f64', i: 'i32', ts: 'ts', d: 'f32' },
    );
    expect(c.length).toBe(3);
    expect(c.s).toEqual(['a', null, 'c']);
    expect(Array.from(c.f)).toEqual([1.5, NaN, -3]);
    expect(c.i).toBeInstanceOf(Int32Array);
    expect(Array.from(c.i)).toEqual([7, 0, -1]);
    expect(c.ts[0]).toBe(Date.UTC(2011, 0, 2, 3, 4, 5));
    expect(c.ts[2]).toBe(1000);
    expect(Number.isNaN(c.ts[1])).toBe(true);
    expect(c.d).toBeInstanceOf(Float32Array);
    expect(c.d[0]).toBe(2.25);
  });

  it('streams results longer than one chunk and growth step (10,000 rows), with parameters', async () => {
    const c = await wh.columns('SELECT range AS n FROM range(?)', { n: 'i32' }, [10_000]);
    expect(c.length).toBe(10_000);
    let sum = 0;
    for (const v of c.n) sum += v;
    expect(sum).toBe((9_999 * 10_000) / 2);
  });

  it('returns empty arrays for an empty result', async () => {
    const c = await wh.columns('SELECT 1.0 AS x WHERE false', { x: 'f64' });
    expect(c.length).toBe(0);
    expect(c.x.length).toBe(0);
  });
});
