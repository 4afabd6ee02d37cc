import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainAndRegister } from '../registry/training.js';
import { openSyntheticStore } from '../tasks/customers/test-synthetic-store.js';
import { holderFile } from '../warehouse/holder.js';
import { openWarehouse } from '../warehouse/open.js';

const run = promisify(execFile);
const cliMain = join(import.meta.dirname, '..', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'shopsight-one-process-'));
const db = join(dir, 'store.duckdb');
let server: ChildProcess;
let url = '';

/** What the store holds: changed by any write a refused command might have made. */
async function fingerprint(): Promise<unknown> {
  const wh = await openWarehouse(db, { create: false });
  try {
    return await wh.rows(
      `SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM models) AS models,
              (SELECT string_agg(model_id || ' ' || status, ', ' ORDER BY model_id) FROM models) AS statuses,
              (SELECT count(*) FROM imports) AS imports`,
    );
  } finally {
    await wh.close();
  }
}

let before: unknown;
beforeAll(async () => {
  const wh = await openSyntheticStore(db);
  await trainAndRegister(wh, 'recommend', { model: 'popularity' });
  await wh.close();
  before = await fingerprint();
  server = spawn(
    process.execPath,
    ['--import', 'tsx', cliMain, 'serve', '--db', db, '--port', '0', '--log-level', 'silent'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  url = await new Promise<string>((resolve, reject) => {
    let err = '';
    server.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /listening on (\S+) \(pid (\d+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the server exited (${code}): ${err}`)));
  });
}, 120_000);
afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function refused(...args: string[]): Promise<{ code: number; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', cliMain, ...args, '--db', db], { timeout: 120_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

describe('one process owns the database', () => {
  it('stops CLI commands that need the database at once, naming the server and the API call that does the same', async () => {
    const csv = join(dir, 'orders.csv');
    writeFileSync(
      csv,
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
        '900001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n',
    );
    const cases = [
      [['train', 'customers'], 'POST /v1/admin/train/customers'],
      [['train', 'recommend', '--model', 'popularity'], 'POST /v1/admin/train/recommend'],
      [['import', csv, '--preset', 'online-retail'], 'POST /v1/admin/import'],
      [['models', 'promote', 'recommend', '1'], 'POST /v1/admin/promote'],
    ] as const;
    for (const [args, endpoint] of cases) {
      const res = await refused(...args);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr).toContain(`is held by the Shopsight server at ${url} (pid ${server.pid}`);
      expect(res.stderr).toContain(`(${endpoint} does the same; see ${url}/docs)`);
      expect(res.stderr).toContain(`or stop the server (kill ${server.pid})`);
    }
    expect(existsSync(holderFile(db))).toBe(true);
    // Stop the server; the store is exactly as it was.
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(holderFile(db))).toBe(false);
    expect(await fingerprint()).toEqual(before);
  }, 300_000);
});
