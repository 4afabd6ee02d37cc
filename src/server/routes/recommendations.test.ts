import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainRecommendVersion } from '../../registry/test-recommend-versions.js';
import { fillServingStore } from '../../tasks/recommend/test-serving-store.js';
import { openWarehouse } from '../../warehouse/open.js';
import { startTestServer, type TestServer } from '../test-server.js';

// The store and its hand-computed figures: tasks/recommend/test-serving-store.ts. Version 1 is
// item-knn (promoted), version 2 popularity.
//   c1 (A, B): item-knn C = sim(B,C) + sim(A,C) = 1.3165, D = 0.
//   Unknown customer: popularity B 3, A 2, C 2, D 1 (E is out of stock, F and G never sold).

const run = promisify(execFile);
const cliMain = join(import.meta.dirname, '..', '..', 'cli', 'main.ts');

interface Answer {
  items: { product_id: string; title: string | null; score: number; reason: string; rank: number }[];
  request_id: string;
  model_version: number;
  source: string;
  cold_start: boolean;
  note?: string;
  variant?: string;
  preview?: boolean;
}
interface CliAnswer {
  source: string;
  coldStart: boolean;
  note?: string;
  items: { rank: number; productId: string; title: string | null; score: number; reason: string }[];
}

const dir = mkdtempSync(join(tmpdir(), 'shopsight-reco-api-'));
const dbPath = join(dir, 'store.duckdb');
/** `shopsight recommend ... --json` on the same store, before the server holds it. */
const cliAnswers: Record<string, CliAnswer> = {};

describe('recommendation routes over HTTP', () => {
  let server: TestServer;
  const get = (path: string, headers: Record<string, string> = {}) =>
    server.fetch(path, { key: 'read', headers });
  const answer = async (path: string, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await get(path, headers);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Answer;
  };
  const ids = (a: Answer): string[] => a.items.map((i) => i.product_id);
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; message: string } }).error;

  beforeAll(async () => {
    const wh = await openWarehouse(dbPath, { create: true });
    await fillServingStore(wh);
    await trainRecommendVersion(wh, 'item-knn', { promote: true });
    await trainRecommendVersion(wh, 'popularity');
    await wh.close();
    const cli = async (...args: string[]) =>
      JSON.parse(
        (
          await run(process.execPath, [
            '--import',
            'tsx',
            cliMain,
            'recommend',
            ...args,
            '--json',
            '--db',
            dbPath,
          ])
        ).stdout,
      ) as CliAnswer;
    cliAnswers['user c1'] = await cli('--user', 'c1');
    cliAnswers['item A'] = await cli('--item', 'A', '--k', '3');
    cliAnswers['together A'] = await cli('--item', 'A', '--together');
    cliAnswers['session C'] = await cli('--session', 'C,ZZZ', '--k', '2');
    server = await startTestServer({ dbPath });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same lists as `shopsight recommend --json` on the same store', async () => {
    const same = (api: Answer, cli: CliAnswer) => {
      expect(api.items.map((i) => [i.product_id, i.title, i.reason, i.rank])).toEqual(
        cli.items.map((i) => [i.productId, i.title, i.reason, i.rank]),
      );
      expect(api.items.map((i) => i.score)).toEqual(cli.items.map((i) => i.score));
      expect([api.source, api.cold_start, api.note]).toEqual([cli.source, cli.coldStart, cli.note]);
    };
    same(await answer('/v1/recommendations/user/c1'), cliAnswers['user c1']!);
    same(await answer('/v1/recommendations/item/A?k=3'), cliAnswers['item A']!);
    same(await answer('/v1/recommendations/item/A/together'), cliAnswers['together A']!);
    const res = await server.fetch('/v1/recommendations/session?k=2', {
      key: 'read',
      json: { items: ['C', 'ZZZ'] },
    });
    same((await res.json()) as Answer, cliAnswers['session C']!);
  });

  it('recommends for a known customer: the hand-computed list, reasons, version and request id', async () => {
    const a = await answer('/v1/recommendations/user/c1', { 'x-request-id': 'req-c1-1' });
    expect(ids(a)).toEqual(['C', 'D']);
    expect(a.items[0]!.score).toBeCloseTo(2 / Math.sqrt(6) + 0.5, 4);
    expect(a.items.map((i) => i.reason)).toEqual([
      'similar to "Plate" you bought',
      'picked by item-knn from your last 2 items',
    ]);
    expect(a.items.map((i) => i.rank)).toEqual([1, 2]);
    expect(a.items[0]!.title).toBe('Candle');
    expect(a).toMatchObject({
      request_id: 'req-c1-1',
      model_version: 1,
      source: 'item-knn',
      cold_start: false,
    });
    expect(a.variant).toBeUndefined();
  });

  it('answers an unknown customer with popular items, flagged cold start', async () => {
    const a = await answer('/v1/recommendations/user/nobody?k=3');
    expect(ids(a)).toEqual(['B', 'A', 'C']);
    expect(a.cold_start).toBe(true);
    expect(a.source).toBe('popularity');
    expect(a.note).toBe("unknown user 'nobody': popular items instead");
    expect(a.items[0]!.reason).toBe('popular with all customers');
  });

  it('applies the business rules from the query string', async () => {
    const q = (s: string) => answer(`/v1/recommendations/user/nobody?${s}`).then(ids);
    expect(await q('k=10')).toEqual(['B', 'A', 'C', 'D']); // E out of stock
    expect(await q('max_price=11')).toEqual(['A', 'D']);
    expect(await q('min_price=11&max_price=40')).toEqual(['B', 'C']);
    expect(await q('category=home')).toEqual(['C']);
    expect(await q('category=kitchen,home&max_per_category=1')).toEqual(['B', 'C']);
    expect(await q('bury=B')).toEqual(['A', 'C', 'D', 'B']);
    // c1 bought A and B: back in the list with include_bought.
    expect(ids(await answer('/v1/recommendations/user/c1?include_bought=true&k=4')).sort()).toEqual([
      'A',
      'B',
      'C',
      'D',
    ]);
    const bad = await get('/v1/recommendations/user/c1?min_price=20&max_price=10');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toBe('querystring/min_price: 20 is above max_price 10');
    const badK = await get('/v1/recommendations/user/c1?k=0');
    expect(badK.status).toBe(400);
    expect((await errorOf(badK)).message).toMatch(/querystring\/k must be >= 1/);
  });

  it('lists similar items, and 404s a product that is not in the catalogue', async () => {
    const a = await answer('/v1/recommendations/item/A?k=2');
    expect(ids(a)).toEqual(['B', 'C']);
    expect(a.items.map((i) => i.score.toFixed(4))).toEqual(['0.8165', '0.5000']);
    expect(a.items[0]!.reason).toBe('often bought by the same customers as "Mug"');
    // G is in the catalogue but never sold: its description finds C.
    const g = await answer('/v1/recommendations/item/G?k=3');
    expect(g).toMatchObject({ source: 'content', cold_start: true });
    expect(ids(g)).toEqual(['C']);
    const missing = await get('/v1/recommendations/item/NOPE');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: {
        status: 404,
        code: 'unknown_product',
        message: "params/id: no product 'NOPE' in this store's catalogue",
      },
    });
  });

  it('lists products bought together, with the filters', async () => {
    const a = await answer('/v1/recommendations/item/A/together');
    expect(ids(a)).toEqual(['B', 'C']);
    expect(a.items[0]!.reason).toBe('bought together with Mug in 2 orders (lift 1.7)');
    expect(a.source).toBe('bought-together');
    expect(ids(await answer('/v1/recommendations/item/A/together?max_price=20'))).toEqual(['B']);
    expect((await get('/v1/recommendations/item/NOPE/together')).status).toBe(404);
  });

  it('recommends for a session from the items just viewed', async () => {
    const post = (body: unknown, query = '') =>
      server.fetch(`/v1/recommendations/session${query}`, { key: 'read', json: body });
    const res = await post({ items: ['C', 'ZZZ'], anonymous_id: 'anon-1' }, '?k=2');
    expect(res.status).toBe(200);
    const a = (await res.json()) as Answer;
    expect(ids(a)).toEqual(['B', 'A']);
    expect(a.note).toBe('unknown products ignored: ZZZ');
    expect(a.items[0]!.reason).toBe('similar to "Candle" you viewed');
    const unknown = await post({ items: ['ZZZ', 'YYY'] });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({
      code: 'unknown_product',
      message: "body/items: none of 'ZZZ', 'YYY' is in this store's catalogue",
    });
    const empty = await post({ items: [] });
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toMatch(/items/);
  });

  it('logs every answer as an impression, written in a batch by the buffer, none for a refused request', async () => {
    await answer('/v1/recommendations/user/c3?k=2', { 'x-request-id': 'req-imp-1' });
    await answer('/v1/recommendations/item/A/together?customer_id=c3&session_id=s9', {
      'x-request-id': 'req-imp-2',
    });
    expect((await get('/v1/recommendations/item/NOPE', { 'x-request-id': 'req-imp-3' })).status).toBe(404);
    const rows = await waitFor(2, "request_id IN ('req-imp-1', 'req-imp-2', 'req-imp-3')");
    expect(rows).toEqual([
      {
        request_id: 'req-imp-1',
        surface: 'user',
        customer_id: 'c3',
        session_id: null,
        task: 'recommend',
        model_version: 1,
        variant: null,
        // c3 bought B and C: item-knn scores A = sim(B,A) + sim(C,A) = 1.3165, D 0.
        product_ids: ['A', 'D'],
      },
      {
        request_id: 'req-imp-2',
        surface: 'together',
        customer_id: 'c3',
        session_id: 's9',
        task: 'recommend',
        model_version: 1,
        variant: null,
        product_ids: ['B', 'C'],
      },
    ]);
  });

  it('answers a preview (the dashboard) the same but logs no impression for it, on every surface', async () => {
    const user = await answer('/v1/recommendations/user/c3?k=2&preview=true', {
      'x-request-id': 'req-prev-1',
    });
    expect(user.preview).toBe(true);
    // The same list as a logged request: a preview changes what is recorded, not what is answered.
    expect(ids(user)).toEqual(['A', 'D']);
    await answer('/v1/recommendations/item/A?preview=true', { 'x-request-id': 'req-prev-2' });
    await answer('/v1/recommendations/item/A/together?preview=true', { 'x-request-id': 'req-prev-3' });
    const session = await server.fetch('/v1/recommendations/session?preview=true', {
      key: 'read',
      json: { items: ['A'] },
      headers: { 'x-request-id': 'req-prev-4' },
    });
    expect(session.status).toBe(200);
    // A logged request after them: once its row is written, the buffer has written everything before it.
    const logged = await answer('/v1/recommendations/user/c3?k=2', { 'x-request-id': 'req-prev-5' });
    expect(logged.preview).toBeUndefined();
    const rows = await waitFor(1, "request_id LIKE 'req-prev-%'");
    expect(rows.map((r) => (r as { request_id: string }).request_id)).toEqual(['req-prev-5']);
  });

  /** The buffer flushes every second: polls (at most 10 s) until `n` rows match. */
  async function waitFor(n: number, where: string) {
    const sql = `SELECT request_id, surface, customer_id, session_id, task, model_version, variant, product_ids
                 FROM recommendation_impressions WHERE ${where} ORDER BY request_id`;
    for (let i = 0; i < 50; i++) {
      const rows = await server.ctx.db.read((wh) => wh.rows(sql));
      if (rows.length >= n) return rows;
      await new Promise((r) => setTimeout(r, 200));
    }
    return server.ctx.db.read((wh) => wh.rows(sql));
  }
});
