import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSalesStore } from '../../tasks/forecast/test-sales-store.js';
import { openWarehouse } from '../../warehouse/open.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-forecast-'));
const db = join(dir, 'store.duckdb');
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db]);
const failure = async (...args: string[]): Promise<string> => {
  try {
    await cli(...args);
  } catch (e) {
    return (e as { stderr: string }).stderr;
  }
  throw new Error('the command succeeded');
};

beforeAll(async () => {
  const wh = await openWarehouse(db, { create: true });
  await seedSalesStore(wh);
  await wh.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shopsight forecast', () => {
  it('--csv: level,id,date,forecast,lo80,hi80,lo95,hi95, one row per series and day from the day after the last order', async () => {
    const { stdout } = await cli('forecast', '--level', 'product', '--horizon', '3', '--csv');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('level,id,date,forecast,lo80,hi80,lo95,hi95');
    expect(lines.length).toBe(1 + 2 * 3);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'product,p1,2024-03-11',
      'product,p1,2024-03-12',
      'product,p1,2024-03-13',
      'product,p2,2024-03-11',
      'product,p2,2024-03-12',
      'product,p2,2024-03-13',
    ]);
    for (const l of lines.slice(1)) {
      const [f, lo80, hi80, lo95, hi95] = l.split(',').slice(3).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      expect(lo95 <= lo80 && lo80 <= f && f <= hi80 && hi80 <= hi95).toBe(true);
    }
  }, 60_000);

  it('--json for one series, --plot writes an SVG, and the run is stored with a version', async () => {
    const svg = join(dir, 'p1.svg');
    const out = JSON.parse(
      (await cli('forecast', '--level', 'country', '--id', 'UK', '--horizon', '2', '--json', '--plot', svg))
        .stdout,
    ) as {
      version: number;
      series: { id: string; model: string; forecast: { date: string }[] }[];
    };
    expect(out.series.map((s) => s.id)).toEqual(['UK']);
    expect(out.series[0]!.forecast.map((p) => p.date)).toEqual(['2024-03-11', '2024-03-12']);
    expect(out.version).toBeGreaterThanOrEqual(1);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[^>]*>\n<title>country UK: units per day/);
  }, 60_000);

  it('bad input is refused by name: horizon 0 and 10,000, an unknown id or model', async () => {
    expect(await failure('forecast', '--horizon', '0')).toContain(
      "--horizon must be a whole number >= 1, got '0'",
    );
    expect(await failure('forecast', '--horizon', '10000')).toContain(
      'horizon must be a whole number from 1 to 3660, got 10000',
    );
    expect(await failure('forecast', '--level', 'product', '--id', 'nope')).toContain(
      'no product "nope" with sales in the store',
    );
    expect(await failure('forecast', '--model', 'magic')).toContain('unknown model "magic"');
  }, 60_000);

  it('--model gbdt: the global model over every product, its training reported', async () => {
    const out = JSON.parse(
      (await cli('forecast', '--level', 'product', '--model', 'gbdt', '--horizon', '2', '--json')).stdout,
    ) as { series: { id: string; model: string }[]; gbdt: { series: number; train_rows: number } };
    expect(out.series.map((s) => [s.id, s.model])).toEqual([
      ['p1', 'gbdt'],
      ['p2', 'gbdt'],
    ]);
    expect(out.gbdt.series).toBe(2);
    expect(out.gbdt.train_rows).toBeGreaterThan(0);
  }, 60_000);
});

describe('shopsight evaluate forecast', () => {
  it('prints every model with MASE, WAPE, sMAPE and coverage', async () => {
    const out = JSON.parse(
      (
        await cli(
          'evaluate',
          'forecast',
          '--level',
          'country',
          '--models',
          'seasonal-naive,ets(A,N,A),auto',
          '--origins',
          '3',
          '--horizon',
          '7',
          '--json',
        )
      ).stdout,
    ) as { series: number; models: Record<string, { windows: number }> };
    expect(out.series).toBe(2);
    expect(Object.keys(out.models)).toEqual(['seasonal-naive', 'ets(A,N,A)', 'auto']);
    expect(out.models['auto']!.windows).toBe(6);
  }, 60_000);

  it('--hierarchy: the total over every country as base, bottom-up and MinT-shrink; the total level refused', async () => {
    const { stdout } = await cli(
      'evaluate',
      'forecast',
      '--level',
      'country',
      '--hierarchy',
      '--origins',
      '2',
    );
    expect(stdout).toMatch(/^level\s+method\s+MASE/);
    for (const row of [
      'total    base',
      'total    bottom-up',
      'total    mint-shrink',
      'country  mint-shrink',
    ]) {
      expect(stdout).toContain(row);
    }
    expect(stdout).toContain('total over 2 country series x 2 origins, horizon 14');
    expect(await failure('evaluate', 'forecast', '--hierarchy')).toContain(
      '--hierarchy needs a --level below the total',
    );
  }, 60_000);
});

describe('shopsight reorder', () => {
  it('plans one product with its stock, and refuses a lead time of -1', async () => {
    const out = JSON.parse((await cli('reorder', '--id', 'p1', '--stock', '50', '--json')).stdout) as {
      rows: { productId: string; stockoutDate: string }[];
    };
    expect(out.rows.map((r) => [r.productId, r.stockoutDate])).toEqual([['p1', '2024-03-17']]);
    expect(await failure('reorder', '--lead-time', '-1')).toContain(
      'lead time must be a whole number of days from 1 to 365, got -1',
    );
  }, 60_000);
});
