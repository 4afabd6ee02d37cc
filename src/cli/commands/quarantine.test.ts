import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-quarantine-'));
const db = join(dir, 'shop.duckdb');
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db]);

beforeAll(async () => {
  // Line 3's quantity is not a number: it is quarantined with its raw text, which names a person.
  writeFileSync(
    join(dir, 'retail.csv'),
    [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
      '536366,22633,call ann@example.com or 13812345678,lots,2010-12-01 08:28:00,1.85,17850,United Kingdom',
    ].join('\n'),
  );
  await cli('import', join(dir, 'retail.csv'), '--preset', 'online-retail');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shopsight quarantine', () => {
  it('prints raw rows with personal data masked, and as stored with --show-personal', async () => {
    type Report = { total: number; rows: { line: number; raw: string }[] };
    const masked = JSON.parse((await cli('quarantine', '--json')).stdout) as Report;
    expect(masked.total).toBe(1);
    expect(masked.rows[0]!.line).toBe(3);
    // The raw row is kept as the record's fields in JSON.
    expect(masked.rows[0]!.raw).toContain('"Description":"call [EMAIL] or [PHONE]","Quantity":"lots"');
    expect(JSON.stringify(masked)).not.toMatch(/ann@example\.com|13812345678/);
    const shown = JSON.parse((await cli('quarantine', '--json', '--show-personal')).stdout) as Report;
    expect(shown.rows[0]!.raw).toContain('"Description":"call ann@example.com or 13812345678"');
  });
});
