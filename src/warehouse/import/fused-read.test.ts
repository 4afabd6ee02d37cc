import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../../ingest/sources.js';
import { stageSource } from './stage-source.js';
import { stagingNames } from './staging-names.js';
import { freshImportFixture } from './test-helpers.js';

// The fused read (stage-source.ts readInOrder): the raw table's row ids stand for the rows' places in
// the file, so a frame computed while reading is kept only when DuckDB's plan keeps the reader's order.
const CSV = ['code,qty', 'a,1', 'b,2', 'zz,3', 'c,4'].join('\n') + '\n';
// Six constants: DuckDB turns an IN list this long into a join unless its in_clause rewrite is off.
const IN_LIST = `"code" IN ('a', 'b', 'c', 'd', 'e', 'f')`;

function csvFile(path: string): SourceFile {
  const format = { kind: 'csv', delimiter: ',', quote: '"' } as const;
  return {
    path,
    bytes: CSV.length,
    compressed: false,
    format,
    mapping: { frame: 'products', format, columns: {} },
  };
}

describe('fused read', () => {
  const f = freshImportFixture();
  const n = stagingNames(0);
  /** Stages CSV (5 lines: a header and four rows) with `select(reader)` as the fused read. */
  const stage = (select: (reader: string) => string): ReturnType<typeof stageSource> => {
    const path = f.s.write('p.csv', CSV);
    return stageSource(f.wh, csvFile(path), [], n, Promise.resolve(5), path, (_h, _f, reader) =>
      select(reader),
    );
  };

  it('keeps a computed column when the plan only projects (an IN list stays a list), and restores the optimizer setting', async () => {
    const staged = await stage((reader) => `SELECT *, ${IN_LIST} AS __ss_known FROM ${reader}`);
    expect(staged.fused?.raw).toBe(n.raw);
    expect(staged.rows).toBe(4);
    const rows = await f.wh.rows<{ code: string; known: boolean; line: number }>(
      `SELECT r.code, r.__ss_known AS known, ${staged.fused!.line} AS line FROM ${n.raw} r ORDER BY r.rowid`,
    );
    expect(rows.map((r) => [r.code, r.known, Number(r.line)])).toEqual([
      ['a', true, 2],
      ['b', true, 3],
      ['zz', false, 4],
      ['c', true, 5],
    ]);
    const [setting] = await f.wh.rows<{ s: string }>("SELECT current_setting('disabled_optimizers') AS s");
    expect(setting?.s).toBe('');
  });

  it('falls back to the plain read when the plan holds a join, which may reorder rows', async () => {
    const staged = await stage(
      (reader) =>
        `SELECT s.*, k.v AS __ss_v FROM ${reader} s LEFT JOIN (SELECT 'a' AS code, 1 AS v) k USING (code)`,
    );
    expect(staged.fused).toBeUndefined();
    const cols = await f.wh.rows<{ column_name: string }>(`DESCRIBE ${n.raw}`);
    expect(cols.map((c) => c.column_name)).not.toContain('__ss_v');
    const src = await f.wh.rows<{ code: string; _line: number }>(
      `SELECT code, _line FROM ${n.src} ORDER BY _row`,
    );
    expect(src.map((r) => [r.code, Number(r._line)])).toEqual([
      ['a', 2],
      ['b', 3],
      ['zz', 4],
      ['c', 5],
    ]);
  });
});
