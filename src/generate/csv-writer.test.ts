import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Clock } from './clock.js';
import { csvField } from '../core/csv.js';
import { CsvWriter } from './csv-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CsvWriter', () => {
  it('writes numbers, money, ids, hex and UTF-8 text byte for byte', async () => {
    const path = join(dir, 'fields.csv');
    const w = CsvWriter.open(path);
    w.header(['a', 'b']);
    w.uint(0);
    w.comma();
    w.uint(1234567);
    w.comma();
    w.padded(42, 7);
    w.comma();
    w.padded(123, 2);
    w.comma();
    w.padded(12_345_678_901, 10); // beyond 2^31: the float path
    w.comma();
    w.money(0);
    w.comma();
    w.money(5);
    w.comma();
    w.money(129_999);
    w.comma();
    w.hex32(0xdeadbeef);
    w.comma();
    w.hex32(1);
    w.comma();
    w.text(csvField('Maison Lumière, Nordgård'));
    w.endRow();
    const stats = await w.close();
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(
      'a,b\n0,1234567,0000042,123,12345678901,0.00,0.05,1299.99,deadbeef,00000001,"Maison Lumière, Nordgård"\n',
    );
    expect(stats).toEqual({ path, rows: 1, bytes: Buffer.byteLength(text) });
  });

  it('streams many chunks in order and counts bytes exactly', async () => {
    const path = join(dir, 'many.csv');
    const w = CsvWriter.open(path, 4096); // tiny chunks: many flushes and drains
    w.header(['n']);
    for (let i = 0; i < 50_000; i++) {
      w.padded(i, 6);
      w.endRow();
      if (w.needsDrain) await w.drain();
    }
    const stats = await w.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[0]).toBe('n');
    expect(lines[50_000]).toBe('049999');
    expect(stats.rows).toBe(50_000);
    expect(stats.bytes).toBe(2 + 50_000 * 7);
  });
});

describe('Clock', () => {
  it('formats whole seconds after the start as UTC YYYY-MM-DD HH:MM:SS', async () => {
    const clock = new Clock(Date.UTC(2024, 1, 28), 3);
    const path = join(dir, 'clock.csv');
    const w = CsvWriter.open(path);
    for (const sec of [0, 3661, 86_400 + 86_399, 2 * 86_400 + 45]) {
      clock.write(w, sec);
      w.endRow();
    }
    await w.close();
    expect(readFileSync(path, 'utf8')).toBe(
      '2024-02-28 00:00:00\n2024-02-28 01:01:01\n2024-02-29 23:59:59\n2024-03-01 00:00:45\n',
    );
    expect(clock.format(3661)).toBe('2024-02-28 01:01:01');
  });
});
