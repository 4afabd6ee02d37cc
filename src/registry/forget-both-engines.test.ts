/**
 * privacy export and forget on both engines (a DuckDB file and a 2-shard ClickHouse cluster), the
 * same assertions with known answers on the small store (test-small-store.ts) plus the person's
 * visitor id, e-mail and a quarantined raw line. c1 holds: 1 customer row, orders o1, o2 with 3 lines
 * and 2 status rows, events e1, e4, e5 (logged in from visitor a9) and e6 (a9 before logging in),
 * and the quarantined line naming c1 (the one naming c10 is someone else's).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeOnBothEngines,
  type ClickHouseOnlyCases,
  type EngineContract,
} from '../warehouse/clickhouse/test-both-engines.js';
import { d, loadSmallStore } from '../warehouse/clickhouse/test-small-store.js';
import {
  erasedModelIds,
  insertModel,
  listModels,
  readArtifact,
  replaceArtifact,
} from '../warehouse/model-store.js';
import { applyRetention, erasureLog, personalTables } from '../warehouse/personal-data.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { mutateEverywhere } from '../warehouse/clickhouse/personal-data.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { exportCustomer, forgetCustomer, UnknownCustomerError } from './forget.js';

async function loadPerson(wh: Warehouse): Promise<void> {
  await loadSmallStore(wh);
  await wh.exec("INSERT INTO customers (customer_id, email, country) VALUES ('c3', 'ann@example.org', 'DE')");
  await wh.append('events', {
    event_id: ['e5', 'e6', 'e7'],
    customer_id: ['c1', null, 'c2'],
    anonymous_id: ['a9', 'a9', 'a1'],
    type: ['view', 'view', 'view'],
    product_id: ['P1', 'P1', 'P2'],
    occurred_at: [d('2011-02-08T00:00:00'), d('2011-02-08T00:01:00'), d('2011-02-09T00:00:00')],
  });
  for (const [line, raw] of [
    [9, '536365,85123A,HEART,6,2010-12-01 08:26:00,0,c1,United Kingdom'],
    [10, '536366,85123A,HEART,6,0,c10,UK'],
  ] as const) {
    await wh.exec(
      'INSERT INTO quarantine (import_id, source, line, "column", reason, detail, raw) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ['i1', '/s/retail.csv', line, 'UnitPrice', 'zero_price', 'unit price is zero', raw],
    );
  }
}

/** Rows of every personal table (found from the catalogue) that name one of `ids`. */
async function personRowCount(wh: Warehouse, ids: readonly string[]): Promise<number> {
  let n = 0;
  const list = ids.map((i) => `'${i}'`).join(', ');
  for (const [table, cols] of await personalTables(wh)) {
    const where = cols.map((c) => `${c} IN (${list})`).join(' OR ');
    const [r] = await wh.rows<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`);
    n += Number(r!.n);
  }
  return n;
}

const count = async (wh: Warehouse, sql: string): Promise<number> =>
  Number((await wh.rows<{ n: number }>(sql))[0]!.n);

const contract: EngineContract = (engine, open) => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await open();
    await loadPerson(wh);
  }, 180_000);
  afterAll(async () => wh?.close());

  it(`${engine}: export holds the person's rows per table, as stored (lines and history by their orders)`, async () => {
    const x = await exportCustomer(wh, { customerId: 'c1' });
    expect(x.heldAs).toEqual(['c1']);
    const sizes = Object.fromEntries(Object.entries(x.tables).map(([t, rows]) => [t, rows.length]));
    expect(sizes).toEqual({ customers: 1, orders: 2, events: 4, order_items: 3, order_status_history: 2 });
    expect(x.tables['customers']![0]).toEqual({
      customer_id: 'c1',
      email: null,
      first_seen_at: null,
      country: 'GB',
      attributes: null,
      signup_at: null,
      first_name: null,
      last_name: null,
    });
    const byId = (rows: Record<string, unknown>[], key: string) =>
      [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
    expect(
      byId(x.tables['orders']!, 'order_id').map((o) => [o['order_id'], o['ordered_at'], o['total']]),
    ).toEqual([
      ['o1', '2011-01-01T10:00:00.000Z', 25],
      ['o2', '2011-02-01T10:00:00.000Z', 20],
    ]);
    expect(byId(x.tables['events']!, 'event_id').map((e) => [e['event_id'], e['anonymous_id']])).toEqual([
      ['e1', null],
      ['e4', null],
      ['e5', 'a9'],
      ['e6', 'a9'],
    ]);
    // The cluster's carried customer_id (its shard key) is not in the export: the same columns as DuckDB.
    const lines = x.tables['order_items']!.map((l) => [
      l['order_id'],
      l['line_no'],
      l['product_id'],
      l['unit_price'],
    ]);
    expect(lines).toEqual([
      ['o1', 1, 'P1', 10],
      ['o1', 2, 'POST', 5],
      ['o2', 1, 'P2', 20],
    ]);
    expect(Object.keys(x.tables['order_items']![0]!)).not.toContain('customer_id');
  });

  it(`${engine}: an e-mail finds its customer`, async () => {
    const x = await exportCustomer(wh, { customerId: 'nobody', email: 'ann@example.org' });
    expect(x.heldAs).toEqual(['c3']);
    expect(x.tables['customers']!.map((c) => c['email'])).toEqual(['ann@example.org']);
  });

  it(`${engine}: forget removes c1 from every table, logs the counts, marks the models`, async () => {
    const m = await insertModel(wh, {
      task: 'churn',
      kind: 'test-kind',
      trainedOn: {},
      params: {},
      metrics: {},
      artifact: new Uint8Array([1, 2, 3]),
    });
    const r = await forgetCustomer(wh, { customerId: 'c1', reason: 'request #1' });
    const counts = {
      order_items: 3,
      order_status_history: 2,
      orders: 2,
      customers: 1,
      events: 4,
      quarantine: 1,
    };
    expect(r.counts).toEqual(counts);
    expect(r.modelsMarked).toEqual([m.modelId]);
    expect([...(await erasedModelIds(wh))]).toEqual([m.modelId]);
    expect(await personRowCount(wh, ['c1', 'a9'])).toBe(0);
    expect(await count(wh, 'SELECT count(*) AS n FROM orders')).toBe(3);
    expect(await count(wh, 'SELECT count(*) AS n FROM order_items')).toBe(4);
    expect(await count(wh, 'SELECT count(*) AS n FROM order_status_history')).toBe(2);
    expect(await count(wh, 'SELECT count(*) AS n FROM events')).toBe(3);
    expect(await count(wh, "SELECT count(*) AS n FROM quarantine WHERE raw LIKE '%,c10,%'")).toBe(1);
    expect(await count(wh, 'SELECT count(*) AS n FROM quarantine')).toBe(1);
    const log = await erasureLog(wh);
    expect(log.map((e) => [e.reason, e.ordersMode, e.counts])).toEqual([['request #1', 'delete', counts]]);
    expect(JSON.stringify(log)).not.toContain('c1"');
  });

  it(`${engine}: a second forget of the same person is the unknown-customer error, nothing changed`, async () => {
    await expect(forgetCustomer(wh, { customerId: 'c1' })).rejects.toThrow(UnknownCustomerError);
    await expect(exportCustomer(wh, { customerId: 'c1' })).rejects.toThrow(UnknownCustomerError);
    expect((await erasureLog(wh)).length).toBe(1);
  });

  it(`${engine}: orders anonymise keeps c2's orders and lines, unlinked (the cluster's carried id too)`, async () => {
    const r = await forgetCustomer(wh, { customerId: 'c2', orders: 'anonymise' });
    expect(r.counts).toEqual({ orders: 2, customers: 1, events: 3 });
    expect(await personRowCount(wh, ['c2'])).toBe(0);
    expect(
      await count(
        wh,
        "SELECT count(*) AS n FROM orders WHERE order_id IN ('o3', 'o4') AND customer_id IS NULL",
      ),
    ).toBe(2);
    expect(await count(wh, "SELECT count(*) AS n FROM order_items WHERE order_id IN ('o3', 'o4')")).toBe(3);
    if (engine === 'clickhouse') {
      expect(await count(wh, "SELECT count(*) AS n FROM order_items WHERE customer_id = 'c2'")).toBe(0);
      expect(await count(wh, "SELECT count(*) AS n FROM order_status_history WHERE customer_id = 'c2'")).toBe(
        0,
      );
    }
    expect((await erasureLog(wh)).map((e) => e.ordersMode)).toEqual(['delete', 'anonymise']);
  });

  it(`${engine}: an artifact rewritten in place reads back, the model listed once`, async () => {
    const [m] = await listModels(wh, 'churn');
    await replaceArtifact(wh, m!.modelId, new Uint8Array([9, 8, 7, 6]));
    expect([...(await readArtifact(wh, m!.modelId))]).toEqual([9, 8, 7, 6]);
    expect((await listModels(wh, 'churn')).map((x) => [x.modelId, x.bytes])).toEqual([[m!.modelId, 4]]);
  });

  it(`${engine}: retention counts in a dry run, then deletes exactly the old events and quarantine rows`, async () => {
    await wh.append('events', {
      event_id: ['r1', 'r2', 'r3'],
      customer_id: [null, null, null],
      anonymous_id: ['v1', 'v2', 'v3'],
      type: ['view', 'view', 'view'],
      product_id: ['P1', 'P1', 'P1'],
      occurred_at: [d('2011-01-01T00:00:00'), d('2011-02-01T00:00:00'), d('2011-03-01T00:00:00')],
    });
    // The quarantined c10 line left by the forgets is of import i1, finished 2011-01-02.
    await wh.exec(
      `INSERT INTO imports (import_id, source, preset, started_at, finished_at, rows_read, rows_imported, rows_quarantined, summary)
       VALUES ('i1', '/s/retail.csv', 'online-retail', ?, ?, 10, 8, 2, '{}')`,
      [d('2011-01-02T00:00:00'), d('2011-01-02T00:00:00')],
    );
    const now = d('2011-03-10T00:00:00');
    const policy = { eventsDays: 20, quarantineDays: 60 }; // events before 2011-02-18, imports before 2011-01-09
    expect(await applyRetention(wh, policy, { now, dryRun: true })).toEqual({ events: 2, quarantine: 1 });
    expect(await count(wh, 'SELECT count(*) AS n FROM events')).toBe(3);
    expect(await applyRetention(wh, policy, { now, dryRun: false })).toEqual({ events: 2, quarantine: 1 });
    expect((await wh.rows<{ id: string }>('SELECT event_id AS id FROM events')).map((r) => r.id)).toEqual([
      'r3',
    ]);
    expect(await count(wh, 'SELECT count(*) AS n FROM quarantine')).toBe(0);
  });
};

/** Only the cluster's deletes are asynchronous mutations that can hang. */
const clickhouseOnly: ClickHouseOnlyCases = (open) => {
  let ch: ClickHouseStore;
  beforeAll(async () => {
    ch = await open();
  }, 180_000);
  afterAll(async () => ch?.close());

  it('clickhouse: a mutation that cannot finish fails loudly, naming the shard', async () => {
    await ch.execOnEachNode('CREATE TABLE stuck (x UInt8) ENGINE = MergeTree() ORDER BY x');
    await ch.execOnFirstShard('INSERT INTO stuck VALUES (1)');
    try {
      // 18.16 retries a failing mutation for ever with is_done = 0: what a shard that never completes looks like.
      await expect(
        mutateEverywhere(ch, 'stuck', false, 'DELETE WHERE throwIf(x = 1) = 0', 500),
      ).rejects.toThrow(/mutation of stuck is not done on shard 1 after 0.5 s/);
    } finally {
      await ch.execOnEachNode('DROP TABLE stuck');
    }
  });
};

describeOnBothEngines('privacy export and forget', contract, clickhouseOnly);
