import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStore } from '../../generate/index.js';
import { getPreset } from '../../ingest/presets/index.js';
import { importSource } from '../../warehouse/import/import-source.js';
import { openWarehouse } from '../../warehouse/open.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-rec-'));
const db = join(dir, 'store.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args, '--db', db],
    {
      maxBuffer: 1 << 24,
    },
  );

interface Answer {
  model: string;
  source: string;
  coldStart: boolean;
  note?: string;
  items: { rank: number; productId: string; score: number; reason: string }[];
}

describe('shopsight train / recommend / evaluate recommend', () => {
  beforeAll(async () => {
    await generateStore({ out: join(dir, 'store'), customers: 300, days: 90, seed: 7 });
    const wh = await openWarehouse(db);
    await importSource(wh, { target: join(dir, 'store'), preset: getPreset('shopsight') });
    await wh.close();
  }, 60_000);

  it('trains with auto over named candidates, stores and promotes the bundle', async () => {
    const out = JSON.parse(
      (await cli('train', 'recommend', '--candidates', 'popularity,item-knn,transition', '--json')).stdout,
    ) as {
      model: { modelId: string; status: string; params: { model: string } };
      evaluation: {
        best: string;
        candidates: { model: string; status: string; seconds: number }[];
        budget: { seconds: number };
      };
    };
    expect(out.model.modelId).toBe('recommend@1');
    expect(out.evaluation.candidates.map((c) => c.status)).toEqual(['ran', 'ran', 'ran']);
    expect(out.evaluation.candidates.map((c) => c.model).sort()).toEqual([
      'item-knn',
      'popularity',
      'transition',
    ]);
    expect(out.evaluation.budget.seconds).toBe(600);
    expect(out.model.status).toBe('promoted');
    expect(out.model.params.model).toBe(out.evaluation.best);
    expect(['popularity', 'item-knn', 'transition']).toContain(out.evaluation.best);
  }, 120_000);

  it('recommends for a known user, flags an unknown one, and refuses k <= 0', async () => {
    const csv = join(dir, 'recs.csv');
    const batch = JSON.parse(
      (await cli('recommend', '--all-users', '--out', csv, '--k', '3', '--json')).stdout,
    ) as {
      users: number;
      rows: number;
    };
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('user_id,rank,product_id,score');
    expect(lines.length - 1).toBe(batch.rows);
    const [user, rank] = lines[1]!.split(',');
    expect(rank).toBe('1');

    const a = JSON.parse((await cli('recommend', '--user', user!, '--k', '5', '--json')).stdout) as Answer;
    expect(a.model).toBe('recommend@1');
    expect(a.coldStart).toBe(false);
    expect(a.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5]);
    for (const i of a.items) expect(i.reason.length).toBeGreaterThan(5);
    expect(a.items[0]!.productId).toBe(lines[1]!.split(',')[2]);

    const cold = JSON.parse((await cli('recommend', '--user', 'no-such-user', '--json')).stdout) as Answer;
    expect(cold.coldStart).toBe(true);
    expect(cold.source).toBe('popularity');
    expect(cold.items).toHaveLength(10);

    await expect(cli('recommend', '--user', user!, '--k', '0')).rejects.toThrow(
      /--k must be a positive integer, got '0'/,
    );
    await expect(cli('recommend', '--k', '3')).rejects.toThrow(/exactly one of --user, --session, --item/);
  }, 120_000);

  it('evaluates models side by side under a stated protocol', async () => {
    const { stdout, stderr } = await cli(
      'evaluate',
      'recommend',
      '--models',
      'popularity,item-knn',
      '--json',
    );
    const r = JSON.parse(stdout) as {
      protocol: string;
      rows: { model: string; test: { hr: Record<string, number> } }[];
    };
    // Not a terminal: one progress line per model on stderr, stdout is the JSON alone.
    expect(stderr).toMatch(
      /^evaluate recommend \[1\/2\] evaluated popularity, [\d.]+ s\nevaluate recommend \[2\/2\] evaluated item-knn, [\d.]+ s\nevaluate recommend: ended after [\d.]+ s\n$/,
    );
    expect(r.protocol).toMatch(/^leave-last-out/);
    expect(r.rows.map((x) => x.model)).toEqual(['popularity', 'item-knn']);
    for (const x of r.rows) expect(x.test.hr['10']).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('lists similar items and frequently-bought-together items for a product', async () => {
    const top = JSON.parse(
      (await cli('recommend', '--user', 'no-such-user', '--k', '1', '--json')).stdout,
    ) as Answer;
    const item = top.items[0]!.productId;
    const similar = JSON.parse(
      (await cli('recommend', '--item', item, '--k', '3', '--json')).stdout,
    ) as Answer;
    expect(similar.source).toBe('item-knn');
    expect(similar.items.map((i) => i.productId)).not.toContain(item);
    expect(similar.items[0]!.reason).toMatch(/^often bought by the same customers as /);
    const together = JSON.parse(
      (await cli('recommend', '--item', item, '--together', '--k', '3', '--json')).stdout,
    ) as Answer;
    expect(together.source).toBe('bought-together');
    for (const i of together.items) expect(i.reason).toMatch(/bought together with|orders/);
    await expect(cli('recommend', '--user', 'x', '--together')).rejects.toThrow(
      /--together goes with --item/,
    );
  }, 120_000);
});
