import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), ...args], {
    env: { ...process.env, SHOPSIGHT_DB: join(dir, 'env.duckdb') },
  });

const csv = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,HEART HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
  '536366,22633,HAND WARMER,12,2010-12-02 08:28:00,1.85,12583,France',
  'C536379,22633,HAND WARMER,-2,2010-12-03 09:41:00,1.85,12583,France',
  '536380,22633,HAND WARMER,0,2010-12-04 09:45:00,1.85,12583,France',
].join('\n');

describe('shopsight CLI', () => {
  it('import --json prints exactly one JSON summary on stdout', async () => {
    const file = join(dir, 'retail.csv');
    writeFileSync(file, csv);
    const db = join(dir, 'a.duckdb');
    const { stdout } = await cli('import', file, '--preset', 'online-retail', '--db', db, '--json');
    const summary = JSON.parse(stdout) as {
      rowsRead: number;
      rowsImported: number;
      quarantinedByReason: object;
    };
    expect([summary.rowsRead, summary.rowsImported]).toEqual([4, 3]);
    expect(summary.quarantinedByReason).toEqual({ non_positive_quantity: 1 });

    const q = JSON.parse((await cli('quarantine', '--db', db, '--json')).stdout) as {
      total: number;
      rows: { line: number }[];
    };
    expect(q.total).toBe(1);
    expect(q.rows[0]!.line).toBe(5);
    expect((await cli('quarantine', '--db', db, '--reason', 'zero_price')).stdout).toBe(
      '0 quarantined rows match\n',
    );

    const a = JSON.parse((await cli('analyze', '--db', db, '--json', '--section', 'kpis')).stdout) as {
      kpis: { orders: number; cancelledOrders: number };
    };
    // Sales orders: 536365, 536366 and 536380 (an order whose only line was quarantined); one cancellation.
    expect(a.kpis.cancelledOrders).toBe(1);
  });

  it('analyze on a clickhouse:// location runs every section there: an unreachable cluster is a clear error', async () => {
    // Port 1: nothing listens. No section is refused any more (all run on ClickHouse); the command
    // goes to the cluster and says it cannot reach it.
    const url = 'clickhouse://127.0.0.1:1/shop?cluster=c&timeout=2';
    const failed = await cli('analyze', '--db', url, '--section', 'kpis,rfm,funnel').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in failed && failed.code).toBe(1);
    expect(failed.stderr).toMatch(/cannot reach ClickHouse at http:\/\/127\.0\.0\.1:1: ECONNREFUSED/);
    expect(failed.stderr).not.toMatch(/not run on ClickHouse/);
  });

  it('uses SHOPSIGHT_DB when --db is not given', async () => {
    const file = join(dir, 'retail2.csv');
    writeFileSync(file, csv);
    await cli('import', file, '--preset', 'online-retail', '--json');
    const status = JSON.parse((await cli('status', '--json')).stdout) as {
      location: string;
      tables: { orders: number };
    };
    expect(status.location).toBe(join(dir, 'env.duckdb'));
    expect(status.tables.orders).toBe(4);
  });

  it('fails with exit code 1 and the file and reason on stderr', async () => {
    await expect(
      cli('import', join(dir, 'missing.csv'), '--preset', 'online-retail', '--db', join(dir, 'b.duckdb')),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/shopsight: .*missing\.csv: no such file or folder/),
    });
    await expect(cli('import', join(dir, 'retail.csv'), '--preset', 'nope')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("argument 'nope' is invalid"),
    });
  });

  it('exits 1 on a file whose every row is quarantined, naming file, column, count and format:', async () => {
    const file = join(dir, 'day-first.csv');
    writeFileSync(file, csv.replaceAll(/2010-12-0(\d) /g, '0$1/12/2010 '));
    const run = cli(
      'import',
      file,
      '--preset',
      'generic',
      '--mapping',
      mapping(),
      '--db',
      join(dir, 'c.duckdb'),
    );
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /day-first\.csv:column InvoiceDate: 4 of 4 rows \(100%\) have no usable ordered_at .*Formats tried: ISO 8601 only.*format: "%d\/%m\/%Y %H:%M:%S" \} \(these fit every value checked: "%d\/%m\/%Y %H:%M:%S", "%m\/%d\/%Y %H:%M:%S"/,
      ),
    });
  });

  it('refuses a database that does not exist in every command that reads, and does not create it', async () => {
    const missing = join(dir, 'typo.duckdb');
    // Every command opens its store through withWarehouse (context.ts); three of them end to end.
    const commands = [['status'], ['train', 'customers'], ['recommend', '--user', 'c1']];
    const failures = await Promise.all(
      commands.map((args) =>
        cli(...args, '--db', missing).then(
          () => 'exit 0',
          (err: unknown) => err,
        ),
      ),
    );
    for (const err of failures) {
      expect(err).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(
          `shopsight: no database at ${missing}. Import a store into it first (\`npx shopsight import <file-or-folder> --preset <name> --db ${missing}\`) or load the sample store (\`npx shopsight demo --db ${missing}\`)\n`,
        ),
      });
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(`${missing}.wal`)).toBe(false);
  });

  it('says in its own words when the folder of --db does not exist, or --db is a folder', async () => {
    const file = join(dir, 'retail3.csv');
    writeFileSync(file, csv);
    const inMissingFolder = join(dir, 'no-such-folder', 'x.duckdb');
    await expect(
      cli('import', file, '--preset', 'online-retail', '--db', inMissingFolder),
    ).rejects.toMatchObject({
      stderr: `shopsight: cannot create the database ${inMissingFolder}: the folder ${join(dir, 'no-such-folder')} does not exist\n`,
    });
    await expect(cli('status', '--db', inMissingFolder)).rejects.toMatchObject({
      stderr: expect.stringContaining(
        `no database at ${inMissingFolder} (the folder ${join(dir, 'no-such-folder')} does not exist either)`,
      ),
    });
    await expect(cli('status', '--db', dir)).rejects.toMatchObject({
      stderr: expect.stringContaining(
        `${dir} is a folder, not a database file: name a file, e.g. ${join(dir, 'shopsight.duckdb')}`,
      ),
    });
  });
});

/** A generic mapping of the Online Retail layout without a date format. */
function mapping(): string {
  const path = join(dir, 'mapping.yaml');
  writeFileSync(
    path,
    [
      'frame: order_lines',
      'format: { kind: csv, delimiter: "," }',
      'columns:',
      '  order_id: InvoiceNo',
      '  ordered_at: InvoiceDate',
      '  product_id: StockCode',
      '  quantity: Quantity',
      '  unit_price: UnitPrice',
    ].join('\n'),
  );
  return path;
}
