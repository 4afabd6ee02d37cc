import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPricingStore } from '../../tasks/pricing/test-pricing-store.js';
import { openWarehouse } from '../../warehouse/open.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-price-'));
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
  await seedPricingStore(wh);
  await wh.close();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shopsight price', () => {
  it('--json: own, category and used elasticity, bounds, suggestion and curve', async () => {
    const a = JSON.parse((await cli('price', '--product', 't3', '--json')).stdout) as {
      own: { status: string; elasticity: number };
      category: { category: string; estimated: number };
      elasticity: { source: string };
      bounds: [number, number];
      suggestion: { objective: string; price: number };
      curve: unknown[];
    };
    expect(a.own.status).toBe('estimated');
    expect(Math.abs(a.own.elasticity - -1.5)).toBeLessThan(0.15);
    expect(a.category).toMatchObject({ category: 'toys', estimated: 5 });
    expect(a.elasticity.source).toBe('shrunk');
    expect(a.suggestion).toMatchObject({ objective: 'revenue', price: a.bounds[0] });
    expect(a.curve).toHaveLength(11);
  }, 60_000);

  it('text: the estimates, the curve and the suggestion; the no-variation answer', async () => {
    const { stdout } = await cli('price', '--product', 't3', '--cost', '3');
    expect(stdout).toMatch(/^t3 \(Ball\): 112 days with sales/);
    expect(stdout).toMatch(/elasticity used: -1\.\d\d \(95% .*; shrunk, \d+% own\)/);
    expect(stdout).toMatch(/suggested price \d+\.\d\d within .* \(best expected margin\)/);
    const flat = (await cli('price', '--product', 'flat')).stdout;
    expect(flat).toContain(
      'own elasticity: not enough price variation: the price was 5 on all 112 days with sales',
    );
    expect(flat).toContain('no price suggestion: not enough price variation');
  }, 60_000);

  it('errors: an unknown product, bounds outside the observed range, a bad number', async () => {
    expect(await failure('price', '--product', 'zz')).toContain(
      'no product "zz" in the catalogue or the order lines',
    );
    expect(await failure('price', '--product', 't3', '--min-price', '100')).toMatch(
      /outside the observed price range/,
    );
    expect(await failure('price', '--product', 't3', '--cost', 'x')).toContain(
      "--cost must be a number, got 'x'",
    );
  }, 60_000);
});
