import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../ingest/live-event.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import {
  insertEventJson,
  insertLiveEvents,
  joinJsonArrays,
  storedEventIds,
  unknownProductIds,
} from './live-events.js';
import type { Warehouse } from './warehouse.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await DuckDBWarehouse.open(':memory:');
  await wh.exec(`INSERT INTO products (product_id, is_merchandise) VALUES ('P1', true), ('P2', true)`);
  await wh.exec(
    `INSERT INTO customers (customer_id, first_seen_at) VALUES ('C1', TIMESTAMP '2024-03-01 00:00:00')`,
  );
});
afterEach(() => wh.close());

const ev = (id: string, over: Partial<LiveEvent> = {}): LiveEvent => ({
  event_id: id,
  type: 'view',
  customer_id: 'C1',
  anonymous_id: null,
  session_id: 's1',
  product_id: 'P1',
  request_id: null,
  query: null,
  value: null,
  occurred_at: '2024-05-01T10:00:00.250Z',
  properties: null,
  ...over,
});

describe('insertEventJson', () => {
  it('joins the logged texts of several batches, empty ones included', async () => {
    const a = [ev('e1', { properties: { page: '/x' } }), ev('e2')];
    const b = [ev('e3', { value: 2.5 })];
    const r = await insertEventJson(wh, joinJsonArrays([JSON.stringify(a), '[]', JSON.stringify(b)]));
    expect(r).toEqual({ inserted: 3, duplicates: 0, newCustomers: 0 });
    const rows = await wh.rows<{ event_id: string; value: number | null; properties: string | null }>(
      'SELECT event_id, value, properties::VARCHAR AS properties FROM events ORDER BY 1',
    );
    expect(rows).toEqual([
      { event_id: 'e1', value: null, properties: '{"page":"/x"}' },
      { event_id: 'e2', value: null, properties: null },
      { event_id: 'e3', value: 2.5, properties: null },
    ]);
  });

  it('takes an empty list, and writes nothing', async () => {
    expect(await insertEventJson(wh, '[]')).toEqual({ inserted: 0, duplicates: 0, newCustomers: 0 });
    expect(await wh.rows('SELECT * FROM events')).toEqual([]);
  });

  it('takes logged JSON as UTF-8 bytes beside texts, and joins JSON arrays as bytes', async () => {
    expect(
      joinJsonArrays(['[1,2]', Buffer.from('[]'), Buffer.from('x[3]y').subarray(1, 4), '["é"]']).toString(),
    ).toBe('[1,2,3,"é"]');
    expect(joinJsonArrays([]).toString()).toBe('[]');
    const a = [ev('u1', { properties: { name: 'Zoë ☕' } })];
    const b = [ev('u2', { query: 'café' })];
    const r = await insertEventJson(wh, joinJsonArrays([Buffer.from(JSON.stringify(a)), JSON.stringify(b)]));
    expect(r).toEqual({ inserted: 2, duplicates: 0, newCustomers: 0 });
    expect(await wh.rows('SELECT event_id, query, properties::VARCHAR AS p FROM events ORDER BY 1')).toEqual([
      { event_id: 'u1', query: null, p: '{"name":"Zoë ☕"}' },
      { event_id: 'u2', query: 'café', p: null },
    ]);
  });

  it('writes only the new events when a batch repeats a stored or an earlier one', async () => {
    await insertLiveEvents(wh, [ev('e1')]);
    const a = [ev('e1', { type: 'purchase' }), ev('e2')];
    const b = [ev('e2', { type: 'purchase' }), ev('e3')];
    const stored = new Set<string>();
    const r = await insertEventJson(wh, joinJsonArrays([JSON.stringify(a), JSON.stringify(b)]), stored);
    expect(r).toEqual({ inserted: 2, duplicates: 2, newCustomers: 0 });
    // Only e1 was in the table before: e2's repeat is a repeat within the list.
    expect(stored).toEqual(new Set(['e1']));
    const rows = await wh.rows<{ event_id: string; type: string }>(
      'SELECT event_id, type FROM events ORDER BY 1',
    );
    expect(rows).toEqual([
      { event_id: 'e1', type: 'view' },
      { event_id: 'e2', type: 'view' },
      { event_id: 'e3', type: 'view' },
    ]);
  });
});

describe('insertLiveEvents', () => {
  it('stores every field as the events table types it', async () => {
    const r = await insertLiveEvents(wh, [
      ev('e1', { value: 12.3456, request_id: 'req-1', properties: { colour: 'red', n: 2 }, query: 'mug' }),
    ]);
    expect(r).toEqual({ inserted: 1, duplicates: 0, newCustomers: 0 });
    const [row] = await wh.rows(
      `SELECT event_id, type, customer_id, session_id, product_id, request_id, query, value, occurred_at,
              properties::VARCHAR AS properties FROM events`,
    );
    expect(row).toEqual({
      event_id: 'e1',
      type: 'view',
      customer_id: 'C1',
      session_id: 's1',
      product_id: 'P1',
      request_id: 'req-1',
      query: 'mug',
      value: 12.3456,
      occurred_at: new Date('2024-05-01T10:00:00.250Z'),
      properties: '{"colour":"red","n":2}',
    });
  });

  it('writes an event id once: repeated in the list, or already stored', async () => {
    expect(await insertLiveEvents(wh, [ev('e1'), ev('e2'), ev('e1', { type: 'purchase' })])).toEqual({
      inserted: 2,
      duplicates: 1,
      newCustomers: 0,
    });
    expect(await insertLiveEvents(wh, [ev('e2'), ev('e3')])).toEqual({
      inserted: 1,
      duplicates: 1,
      newCustomers: 0,
    });
    const rows = await wh.rows<{ event_id: string; type: string }>(
      'SELECT event_id, type FROM events ORDER BY 1',
    );
    // The first e1 wins: events are immutable.
    expect(rows).toEqual([
      { event_id: 'e1', type: 'view' },
      { event_id: 'e2', type: 'view' },
      { event_id: 'e3', type: 'view' },
    ]);
  });

  it('adds unseen customers with their earliest event and moves an earlier first sight back', async () => {
    const r = await insertLiveEvents(wh, [
      ev('e1', { customer_id: 'C9', occurred_at: '2024-06-02T00:00:00.000Z' }),
      ev('e2', { customer_id: 'C9', occurred_at: '2024-06-01T00:00:00.000Z' }),
      ev('e3', { customer_id: 'C1', occurred_at: '2024-02-01T00:00:00.000Z' }),
      ev('e4', { customer_id: null, anonymous_id: 'a1' }),
    ]);
    expect(r.newCustomers).toBe(1);
    const rows = await wh.rows('SELECT customer_id, first_seen_at FROM customers ORDER BY 1');
    expect(rows).toEqual([
      { customer_id: 'C1', first_seen_at: new Date('2024-02-01T00:00:00Z') },
      { customer_id: 'C9', first_seen_at: new Date('2024-06-01T00:00:00Z') },
    ]);
  });

  it('commits nothing when the transaction it joins rolls back', async () => {
    await expect(
      wh.transaction(async () => {
        await insertLiveEvents(wh, [ev('e1')]);
        throw new Error('flush failed');
      }),
    ).rejects.toThrow('flush failed');
    expect(await wh.rows('SELECT * FROM events')).toEqual([]);
  });
});

describe('lookups', () => {
  it('finds stored event ids and products missing from the catalogue', async () => {
    await insertLiveEvents(wh, [ev('e1'), ev('e2')]);
    expect(await storedEventIds(wh, ['e2', 'x', 'e1'])).toEqual(new Set(['e1', 'e2']));
    expect(await storedEventIds(wh, [])).toEqual(new Set());
    // Within a time span: e1 and e2 happened at 10:00:00.250, inside the first span only.
    const span = (from: string, to: string) => ({ from, to });
    expect(
      await storedEventIds(wh, ['e1', 'e2'], span('2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.250Z')),
    ).toEqual(new Set(['e1', 'e2']));
    expect(
      await storedEventIds(wh, ['e1'], span('2024-05-01T10:00:00.251Z', '2024-05-02T00:00:00.000Z')),
    ).toEqual(new Set());
    expect(await unknownProductIds(wh, ['P1', 'P3', "it's", 'P3'])).toEqual(new Set(['P3', "it's"]));
  });
});
