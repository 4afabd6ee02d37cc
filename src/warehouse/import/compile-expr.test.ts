import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import { trimSql } from './compile-expr.js';

describe('trimSql', () => {
  let wh: DuckDBWarehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
  });
  afterAll(async () => {
    await wh.close();
  });

  // Edge spaces of every kind DuckDB's trim strips or keeps: ASCII space; no-break space (U+00A0),
  // ideographic space (U+3000) and em space (U+2003), which it strips; tab, CR and LF, which it keeps;
  // non-ASCII text without edge spaces; inner spaces; empty; NULL.
  const values = [
    'abc',
    ' abc',
    'abc ',
    '  a b  ',
    '\u00a0abc',
    'abc\u00a0',
    '\u3000abc\u3000',
    '\u2003x',
    '\tabc\t',
    '\rabc\n',
    'café',
    ' café ',
    'Ünïcode',
    '',
    ' ',
    null,
  ];

  it('gives exactly what trim gives, value by value', async () => {
    const list = values.map((v) => (v === null ? 'NULL::VARCHAR' : `'${v}'`)).join(', ');
    const rows = await wh.rows<{ v: string | null; fast: string | null; trimmed: string | null }>(
      `SELECT v, ${trimSql('v')} AS fast, trim(v) AS trimmed FROM (SELECT unnest([${list}]) AS v)`,
    );
    expect(rows).toHaveLength(values.length);
    for (const r of rows) expect({ v: r.v, fast: r.fast }).toEqual({ v: r.v, fast: r.trimmed });
    // The hand-known cases: the no-break and ideographic spaces go, the tab stays.
    const fast = new Map(rows.map((r) => [r.v, r.fast]));
    expect(fast.get('\u00a0abc')).toBe('abc');
    expect(fast.get('\u3000abc\u3000')).toBe('abc');
    expect(fast.get('\tabc\t')).toBe('\tabc\t');
    expect(fast.get('  a b  ')).toBe('a b');
  });
});
