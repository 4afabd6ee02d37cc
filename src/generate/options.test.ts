import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateStore, GenerateOptionsError } from './index.js';
import { resolveOptions } from './options.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempOut(): string {
  const d = mkdtempSync(join(tmpdir(), 'shopsight-opt-'));
  dirs.push(d);
  return join(d, 'store');
}

describe('generator options', () => {
  it('fills in defaults', () => {
    expect(resolveOptions({ out: 'x' })).toMatchObject({
      customers: 10_000,
      events: null,
      days: 365,
      seed: 1,
      start: '2024-01-01',
      startMs: Date.UTC(2024, 0, 1),
      currency: 'GBP',
    });
  });

  it.each([
    [{ customers: 0 }, 'customers', 'customers must be a whole number from 1 to 20,000,000 (got 0)'],
    [{ customers: 2.5 }, 'customers', 'got 2.5'],
    [{ days: -3 }, 'days', 'days must be a whole number from 1 to 3,660 (got -3)'],
    [{ days: 0 }, 'days', '(got 0)'],
    [{ seed: -1 }, 'seed', 'seed must be a whole number'],
    [{ events: 0 }, 'events', 'events must be a whole number'],
    [{ customers: 10, events: 1000 }, 'events', 'give customers or events, not both'],
    [{ start: '2024-02-30' }, 'start', 'must be a date YYYY-MM-DD'],
    [{ start: '1/1/2024' }, 'start', 'must be a date YYYY-MM-DD'],
    [{ products: 5 }, 'products', 'products must be a whole number from 30'],
    [{ currency: 'pounds' }, 'currency', 'three-letter ISO 4217 code'],
  ])('rejects %j with a message naming the option', (bad, option, message) => {
    let error: unknown;
    try {
      resolveOptions({ out: 'x', ...bad });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(GenerateOptionsError);
    expect((error as GenerateOptionsError).option).toBe(option);
    expect((error as Error).message).toContain(message);
  });

  it('fails before writing anything', async () => {
    const out = tempOut();
    await expect(generateStore({ out, customers: 0 })).rejects.toThrow(/customers must be/);
    expect(existsSync(out)).toBe(false);
  });

  it('sizes the customer base to reach an --events target', async () => {
    const target = 60_000;
    const summary = await generateStore({ out: tempOut(), events: target, days: 120, seed: 5 });
    expect(Math.abs(summary.files.events.rows - target) / target).toBeLessThan(0.1);
    expect(summary.customers).toBeGreaterThan(100);
  });
});

describe('shopsight generate (CLI)', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(process.execPath, [
      '--import',
      'tsx',
      join(import.meta.dirname, '../cli/main.ts'),
      'generate',
      ...args,
    ]);

  it('exits non-zero with a clear message for --customers 0 and a negative --days', async () => {
    await expect(cli('--customers', '0', '--out', tempOut())).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--customers must be a whole number from 1 to 20,000,000 (got 0)'),
    });
    await expect(cli('--customers', '10', '--days', '-5', '--out', tempOut())).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--days must be a whole number from 1 to 3,660 (got -5)'),
    });
  });

  it('prints one JSON summary with --json', async () => {
    const out = tempOut();
    const { stdout } = await cli('--customers', '50', '--days', '20', '--seed', '3', '--out', out, '--json');
    const summary = JSON.parse(stdout) as { customers: number; files: Record<string, { rows: number }> };
    expect(summary.customers).toBe(50);
    expect(summary.files.customers!.rows).toBe(50);
    expect(existsSync(join(out, 'events.csv'))).toBe(true);
  });
});
