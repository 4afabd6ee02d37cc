import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../ingest/errors.js';
import { inflateAhead } from '../../ingest/inflate-ahead.js';
import { getPreset } from '../../ingest/presets/index.js';
import { importSource } from './import-source.js';
import { freshImportFixture, memoryWarehouse, snapshot } from './test-helpers.js';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const line = (i: number): string =>
  `${600000 + i},2263${i % 7},ITEM ${i % 7},1,2010-12-01 08:26:00,2.50,17850,United Kingdom`;
const retail = getPreset('online-retail');

describe('inflateAhead: a .gz decompressed while the database opens', () => {
  const f = freshImportFixture();

  const text = [HEADER, ...Array.from({ length: 2000 }, (_, i) => line(i))].join('\n') + '\n';

  it('hands the import the checked copy once, and the import equals one that inflates itself', async () => {
    const gz = f.s.writeGz('lines.csv.gz', text);
    const ahead = inflateAhead(gz, retail);
    const taken = ahead.take(gz);
    expect(taken).toBeDefined();
    // 2,001 lines: the header and 2,000 rows; the copy holds the file's bytes exactly.
    expect(await taken!.lines).toBe(2001);
    expect(readFileSync(taken!.copy, 'utf8')).toBe(text);
    expect(ahead.take(gz)).toBeUndefined(); // once only
    await ahead.dispose();
    expect(existsSync(dirname(taken!.copy))).toBe(false);

    const fresh = inflateAhead(gz, retail);
    const viaAhead = await importSource(f.wh, { target: gz, preset: retail, inflated: fresh });
    await fresh.dispose();
    const tablesViaAhead = await snapshot(f.wh);
    const other = await memoryWarehouse();
    try {
      const direct = await importSource(other, { target: gz, preset: retail });
      expect(viaAhead.rowsRead).toBe(2000);
      expect(viaAhead.rowsImported).toBe(2000);
      expect({ ...viaAhead, importId: '', elapsedSeconds: 0, database: '' }).toEqual({
        ...direct,
        importId: '',
        elapsedSeconds: 0,
        database: '',
      });
      expect(tablesViaAhead).toEqual(await snapshot(other));
    } finally {
      await other.close();
    }
  });

  it('a truncated stream started ahead still fails the import, naming the file, and writes nothing', async () => {
    const bytes = readFileSync(f.s.writeGz('full.csv.gz', text));
    const cut = f.s.write('cut.csv.gz', bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = await snapshot(f.wh);
    const ahead = inflateAhead(cut, retail);
    const err = await importSource(f.wh, { target: cut, preset: retail, inflated: ahead }).catch(
      (e: unknown) => e,
    );
    await ahead.dispose();
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/cut\.csv\.gz: the gzip stream is damaged or truncated/);
    expect(await snapshot(f.wh)).toEqual(before);
  });

  it('starts nothing for a plain file or a missing target; dispose removes the copy', async () => {
    const plain = f.s.write('plain.csv', text);
    expect(inflateAhead(plain, retail).take(plain)).toBeUndefined();
    expect(
      inflateAhead(`${f.s.dir}/missing.csv.gz`, retail).take(`${f.s.dir}/missing.csv.gz`),
    ).toBeUndefined();
    const gz = f.s.writeGz('unused.csv.gz', text);
    const ahead = inflateAhead(gz, retail);
    expect(ahead.take(`${f.s.dir}/other.csv.gz`)).toBeUndefined();
    const { copy } = ahead.take(gz)!;
    await ahead.dispose(); // waits for the decompression to end, then removes the copy
    expect(existsSync(copy)).toBe(false);
  });
});
