/**
 * POST /v1/admin/privacy/forget against a real server: the event log committed first, the erasure
 * in every table, the bundle in memory reloaded; and the CLI refused on the held file, naming the route.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainRecommendVersion } from '../../registry/test-recommend-versions.js';
import { erasureLog } from '../../warehouse/personal-data.js';
import { testEvent as ev } from '../events/test-events.js';
import { startTestServer, type TestServer } from '../test-server.js';

const run = promisify(execFile);
const cliMain = join(import.meta.dirname, '..', '..', 'cli', 'main.ts');

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      await wh.exec(
        `INSERT INTO products (product_id, is_merchandise) SELECT 'P' || i, true FROM range(1, 7) t(i)`,
      );
      await wh.exec(
        `INSERT INTO customers (customer_id, email) SELECT 'C' || k, 'c' || k || '@example.org' FROM range(1, 21) t(k)`,
      );
      // Customer k bought products k % 6 + 1 and (k + 1) % 6 + 1: 40 orders of one line each.
      await wh.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status)
        SELECT 'O' || k || '-' || j, 'C' || k, TIMESTAMP '2026-10-01' + to_days(CAST(k + j AS INTEGER)), 'shipped'
        FROM range(1, 21) a(k), range(2) b(j)`);
      await wh.exec(`INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
        SELECT 'O' || k || '-' || j, 1, 'P' || ((k + j) % 6 + 1), 1, 10 FROM range(1, 21) a(k), range(2) b(j)`);
      await trainRecommendVersion(wh, 'item-knn', { promote: true });
    },
  });
}, 120_000);
afterAll(() => s.close());

const forget = (json: unknown): Promise<Response> =>
  s.fetch('/v1/admin/privacy/forget', { method: 'POST', key: 'admin', json });

describe('POST /v1/admin/privacy/forget', () => {
  it('is what a CLI forget on the held database is told to use', async () => {
    const res = await run(process.execPath, [
      '--import',
      'tsx',
      cliMain,
      'privacy',
      'forget',
      '--customer',
      'C3',
      '--db',
      s.dbPath,
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`is held by the Shopsight server at ${s.url}`);
    expect(res.stderr).toContain('POST /v1/admin/privacy/forget does the same');
  }, 60_000);

  it("exports a customer: their rows per table, their orders' lines included", async () => {
    const res = await s.fetch('/v1/admin/privacy/export/C5', { key: 'admin' });
    expect(res.status).toBe(200);
    const x = (await res.json()) as { held_as: string[]; tables: Record<string, Record<string, unknown>[]> };
    expect(x.held_as).toEqual(['C5']);
    expect(Object.fromEntries(Object.entries(x.tables).map(([t, r]) => [t, r.length]))).toEqual({
      customers: 1,
      orders: 2,
      order_items: 2,
    });
    expect(x.tables['customers']![0]).toMatchObject({ customer_id: 'C5', email: 'c5@example.org' });
    expect((await s.fetch('/v1/admin/privacy/export/nobody', { key: 'admin' })).status).toBe(404);
    expect((await s.fetch('/v1/admin/privacy/export/C5', { key: 'read' })).status).toBe(403);
  });

  it('answers 404 for an unknown customer and changes nothing', async () => {
    const res = await forget({ customer_id: 'nobody' });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unknown_customer');
    expect(body.error.message).toMatch(/^body\/customer_id: unknown customer 'nobody'/);
    expect(await s.ctx.db.read((wh) => erasureLog(wh))).toEqual([]);
  });

  it('erases the customer, their events still in the log included, and serves them as unknown', async () => {
    const before = (await (await s.fetch('/v1/recommendations/user/C3', { key: 'read' })).json()) as {
      cold_start: boolean;
    };
    expect(before.cold_start).toBe(false);
    // Accepted into the event log; the forget commits it before erasing.
    const posted = await s.fetch('/v1/events', {
      method: 'POST',
      key: 'ingest',
      json: { batch: [ev('f-1', { customer_id: 'C3' }), ev('f-2', { customer_id: 'C4' })] },
    });
    expect(posted.status).toBe(200);

    const res = await forget({ customer_id: 'C3', reason: 'request 7' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    // The impression of the GET above was still buffered: written, then erased with the rest.
    expect(body['counts']).toEqual({
      customers: 1,
      orders: 2,
      order_items: 2,
      events: 1,
      recommendation_impressions: 1,
    });
    expect(body['models_rewritten']).toEqual(['recommend@1']);
    expect(body['file_rewritten']).toBe(false);

    const after = (await (await s.fetch('/v1/recommendations/user/C3', { key: 'read' })).json()) as {
      cold_start: boolean;
    };
    expect(after.cold_start).toBe(true);
    const left = await s.ctx.db.read((wh) =>
      wh.rows<{ n: number }>(
        `SELECT (SELECT count(*) FROM customers WHERE customer_id = 'C3') + (SELECT count(*) FROM events WHERE customer_id = 'C3')
              + (SELECT count(*) FROM orders WHERE customer_id = 'C3') AS n`,
      ),
    );
    expect(Number(left[0]!.n)).toBe(0);
    const log = await s.ctx.db.read((wh) => erasureLog(wh));
    expect(log.map((e) => [e.reason, e.counts['customers']])).toEqual([['request 7', 1]]);
    // C4's event, in the same request, stays.
    const kept = await s.ctx.db.read((wh) => wh.rows("SELECT 1 FROM events WHERE event_id = 'f-2'"));
    expect(kept).toHaveLength(1);
  });
});
