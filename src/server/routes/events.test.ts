/**
 * POST /v1/events over HTTP against a real server (startTestServer): partial batches, idempotent
 * retries, and every kind of bad input getting a 4xx with nothing written.
 */
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-server.js';
import { testEvent as ev } from '../events/test-events.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      await wh.exec(`INSERT INTO products (product_id, is_merchandise) VALUES ('P1', true), ('P2', true)`);
    },
    config: { bodyLimit: 4 * 1024 * 1024 },
  });
});
afterAll(() => s.close());

const stored = async (prefix: string): Promise<{ n: number; distinct: number }> =>
  (
    await s.ctx.db.read((wh) =>
      wh.rows<{ n: number; distinct: number }>(
        'SELECT count(*) AS n, count(DISTINCT event_id) AS distinct FROM events WHERE starts_with(event_id, ?)',
        [prefix],
      ),
    )
  )[0]!;

/** Waits until the flush timer has moved `n` events with ids starting with `prefix` into the warehouse. */
async function untilStored(prefix: string, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await stored(prefix)).n >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`events ${prefix}* not flushed: ${(await stored(prefix)).n} of ${n}`);
}

const post = (json: unknown, key = 'ingest'): Promise<Response> =>
  s.fetch('/v1/events', { method: 'POST', key, json });

describe('POST /v1/events', () => {
  it('keeps the valid events of a batch and lists the others with index, field and reason (207)', async () => {
    const res = await post({
      batch: [
        ev('pb-1'),
        ev('pb-2', { timestamp: '2099-01-01T00:00:00Z' }),
        ev('pb-3', { event: 'Product Added', product_id: 'P2' }),
        ev('pb-4', { product_id: 'NOPE' }),
        ev('pb-5', { event: 'wishlist' }),
        ev('pb-6', { event: '$pageview', anonymous_id: 'a1', customer_id: undefined }),
      ],
    });
    expect(res.status).toBe(207);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(body['request_id']).toBe(res.headers.get('x-request-id'));
    expect(body['rejected']).toEqual([
      {
        index: 1,
        event_id: 'pb-2',
        field: 'timestamp',
        reason: expect.stringMatching(/in the future/) as unknown,
      },
      {
        index: 3,
        event_id: 'pb-4',
        field: 'product_id',
        reason: expect.stringMatching(/unknown product 'NOPE'/) as unknown,
      },
      {
        index: 4,
        event_id: 'pb-5',
        field: 'event',
        reason: expect.stringMatching(/unknown event name 'wishlist'; known: view/) as unknown,
      },
    ]);
    await untilStored('pb-', 3);
    const types = await s.ctx.db.read((wh) =>
      wh.rows("SELECT event_id, type FROM events WHERE starts_with(event_id, 'pb-') ORDER BY 1"),
    );
    expect(types).toEqual([
      { event_id: 'pb-1', type: 'view' },
      { event_id: 'pb-3', type: 'add_to_cart' },
      { event_id: 'pb-6', type: 'view' },
    ]);
  });

  it('does not count a retried batch twice, before or after it reached the warehouse', async () => {
    const batch = { batch: Array.from({ length: 100 }, (_, i) => ev(`rt-${i}`, { session_id: 's1' })) };
    const first = await post(batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 100, duplicates: 0, rejected: [] });
    const retry = await post(batch);
    expect(await retry.json()).toMatchObject({ accepted: 0, duplicates: 100 });
    await untilStored('rt-', 100);
    const late = await post({ batch: [...batch.batch, ev('rt-new')] });
    expect(await late.json()).toMatchObject({ accepted: 1, duplicates: 100 });
    await untilStored('rt-', 101);
    expect(await stored('rt-')).toEqual({ n: 101, distinct: 101 });
  });

  it('takes one event without a batch and answers 200', async () => {
    const res = await post(
      ev('one-1', { request_id: 'req_abc', value: '9.99', properties: { page: '/p1' } }),
    );
    expect(res.status).toBe(200);
    await untilStored('one-', 1);
    const [row] = await s.ctx.db.read((wh) =>
      wh.rows("SELECT request_id, value, properties::VARCHAR AS p FROM events WHERE event_id = 'one-1'"),
    );
    expect(row).toEqual({ request_id: 'req_abc', value: 9.99, p: '{"page":"/p1"}' });
  });

  it('answers bad input with a 4xx and a reason, and writes nothing', async () => {
    const log = `${s.dbPath}.events.wal`;
    const logSize = (): number => (existsSync(log) ? statSync(log).size : 0);
    await untilStored('one-', 1);
    const before = logSize();
    const cases: [() => Promise<Response>, number, string, RegExp][] = [
      [
        () =>
          s.fetch('/v1/events', {
            method: 'POST',
            key: 'ingest',
            body: '{"event": "view",',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'invalid_json',
        /JSON/i,
      ],
      [
        () =>
          s.fetch('/v1/events', {
            method: 'POST',
            key: 'ingest',
            body: '{"batch": [{"event": "view", "event_id": "proto", "__proto__": {"polluted": true}}]}',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'invalid_json',
        /__proto__/,
      ],
      [
        () =>
          s.fetch('/v1/events', {
            method: 'POST',
            key: 'ingest',
            body: 'event=view',
            headers: { 'content-type': 'text/plain' },
          }),
        415,
        'unsupported_media_type',
        /unsupported media type/i,
      ],
      [
        () =>
          s.fetch('/v1/events', {
            method: 'POST',
            key: 'ingest',
            body: JSON.stringify({
              batch: [ev('big', { properties: { pad: 'x'.repeat(5 * 1024 * 1024) } })],
            }),
            headers: { 'content-type': 'application/json' },
          }),
        413,
        'body_too_large',
        /body/i,
      ],
      [
        () => post({ batch: Array.from({ length: 10_001 }, (_, i) => ev(`too-many-${i}`)) }),
        400,
        'batch_too_large',
        /10,001 events; at most 10,000/,
      ],
      [() => post({ batch: [] }), 400, 'invalid_request', /batch is empty/],
      [
        () => post(ev('bad-future', { timestamp: '2099-01-01T00:00:00Z' })),
        400,
        'invalid_events',
        /timestamp: .* in the future/,
      ],
      [
        () => post(ev('bad-1989', { timestamp: '1989-12-31T00:00:00Z' })),
        400,
        'invalid_events',
        /timestamp: .* before 1990/,
      ],
      [
        () => post(ev('bad-product', { product_id: 'NOPE' })),
        400,
        'invalid_events',
        /product_id: unknown product 'NOPE'/,
      ],
      [
        () => post(ev('bad-who', { customer_id: undefined })),
        400,
        'invalid_events',
        /customer_id or anonymous_id is required/,
      ],
      [() => post(ev('bad-key'), 'read'), 403, 'forbidden', /role 'ingest'/],
      [() => s.fetch('/v1/events', { method: 'POST', json: ev('no-key') }), 401, 'unauthorized', /./],
    ];
    for (const [send, status, code, message] of cases) {
      const res = await send();
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([res.status, body.error.code], JSON.stringify(body)).toEqual([status, code]);
      expect(body.error.message).toMatch(message);
    }
    expect(logSize()).toBe(before);
    // A valid event after them: once it is stored, a flush has run, and nothing else came with it.
    await post(ev('sentinel-1'));
    await untilStored('sentinel-', 1);
    const ids = await s.ctx.db.read((wh) =>
      wh.rows(
        "SELECT event_id FROM events WHERE event_id LIKE 'bad-%' OR event_id LIKE 'too-many-%' OR event_id IN ('big', 'no-key')",
      ),
    );
    expect(ids).toEqual([]);
  });
});
