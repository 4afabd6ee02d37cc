import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED_FILES, generateStore, type GenerateOptions } from './index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function hashes(options: Omit<GenerateOptions, 'out'>): Promise<Record<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'shopsight-det-'));
  dirs.push(out);
  await generateStore({ ...options, out });
  return Object.fromEntries(
    Object.values(GENERATED_FILES).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(out, f)))
        .digest('hex'),
    ]),
  );
}

describe('determinism', () => {
  it('writes byte-identical files for the same options and seed', async () => {
    const a = await hashes({ customers: 800, days: 120, seed: 42, start: '2023-10-01' });
    const b = await hashes({ customers: 800, days: 120, seed: 42, start: '2023-10-01' });
    expect(b).toEqual(a);
  });

  it('writes different files for a different seed', async () => {
    const a = await hashes({ customers: 800, days: 120, seed: 42 });
    const b = await hashes({ customers: 800, days: 120, seed: 43 });
    for (const f of ['customers.csv', 'orders.csv', 'order_items.csv', 'events.csv', 'products.csv']) {
      expect(b[f]).not.toBe(a[f]);
    }
  });

  it('accepts seeds beyond 32 bits and tells neighbouring large seeds apart', async () => {
    const a = await hashes({ customers: 200, days: 30, seed: 2 ** 40 });
    const b = await hashes({ customers: 200, days: 30, seed: 2 ** 40 + 1 });
    expect(b['events.csv']).not.toBe(a['events.csv']);
  });
});
