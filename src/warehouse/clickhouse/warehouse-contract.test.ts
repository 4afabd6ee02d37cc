/**
 * The Warehouse contract on both engines: a small hand-made store (3 products, 2 customers, 5 orders
 * with status histories, 4 events) is appended through `Warehouse.append` into a DuckDB file and into
 * a 2-shard ClickHouse cluster, and the same assertions run on both: what `columns()` and `rows()`
 * read back, `?` placeholders, text escapes, and the interactions as of a cutoff (known answers
 * worked out by hand below: a return after the cutoff is still a sale as of it, a cancellation
 * before it is not, events after it are left out, postage is not merchandise).
 * Without clickhouse-server the ClickHouse half is skipped with a printed message; DuckDB always runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerFeatures } from '../../features/customer-features.js';
import { loadInteractions } from '../../features/interactions.js';
import { listModels, loadModel, promoteModel, rollbackModel, saveModel } from '../../registry/registry.js';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import { promotionLog } from '../model-store.js';
import type { AppendColumn, Warehouse } from '../warehouse.js';
import { ClickHouseStore, NoTransactionsError } from './clickhouse-store.js';
import { clickhouseInstalled, SKIP_MESSAGE, startTestCluster, type TestCluster } from './test-cluster.js';

const d = (s: string): Date => new Date(`${s}Z`);
const CUTOFF = d('2011-03-01T00:00:00');

/** Appends the small store; ClickHouse's order lines and histories also carry their order's customer (its shard key). */
async function loadSmallStore(wh: Warehouse): Promise<void> {
  const carry = (ids: (string | null)[]): Record<string, AppendColumn> =>
    wh.engine === 'clickhouse' ? { customer_id: ids } : {};
  await wh.append('products', {
    product_id: ['P1', 'P2', 'POST'],
    title: ['Mug\twith tab', 'Back\\slash\nline', null],
    category: ['A', 'B', null],
    is_merchandise: [true, true, false],
  });
  await wh.append('customers', { customer_id: ['c1', 'c2'], country: ['GB', 'FR'] });
  // Money through INSERT ... VALUES with ? placeholders (DuckDB's appender takes no DECIMAL), the
  // rest through append(): both write paths under test.
  const orders: [string, string | null, string, string, number | null][] = [
    ['o1', 'c1', '2011-01-01T10:00:00', 'delivered', 25],
    ['o2', 'c1', '2011-02-01T10:00:00', 'returned', 20],
    ['o3', 'c2', '2011-01-15T10:00:00', 'cancelled', 10],
    ['o4', 'c2', '2011-02-10T09:30:00', 'delivered', 50],
    ['o5', null, '2011-02-11T00:00:00', 'delivered', null],
  ];
  for (const [id, customer, at, status, total] of orders) {
    await wh.exec(
      'INSERT INTO orders (order_id, customer_id, ordered_at, status, total) VALUES (?, ?, ?, ?, ?)',
      [id, customer, d(at), status, total],
    );
  }
  await wh.append('order_status_history', {
    order_id: ['o2', 'o2', 'o3', 'o3'],
    status: ['placed', 'returned', 'placed', 'cancelled'],
    changed_at: [
      d('2011-02-01T10:00:00'),
      d('2011-03-15T00:00:00'),
      d('2011-01-15T10:00:00'),
      d('2011-01-16T00:00:00'),
    ],
    ...carry(['c1', 'c1', 'c2', 'c2']),
  });
  const lines: [string, number, string, number, number, string | null][] = [
    ['o1', 1, 'P1', 2, 10, 'c1'],
    ['o1', 2, 'POST', 1, 5, 'c1'],
    ['o2', 1, 'P2', 1, 20, 'c1'],
    ['o3', 1, 'P1', 1, 10, 'c2'],
    ['o4', 1, 'P1', 3, 10, 'c2'],
    ['o4', 2, 'P2', 1, 20, 'c2'],
    ['o5', 1, 'P1', 1, 10, null],
  ];
  const carried = wh.engine === 'clickhouse';
  for (const [order, no, product, quantity, price, customer] of lines) {
    await wh.exec(
      `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price${carried ? ', customer_id' : ''}) ` +
        `VALUES (?, ?, ?, ?, ?${carried ? ', ?' : ''})`,
      [order, no, product, quantity, price, ...(carried ? [customer] : [])],
    );
  }
  await wh.append('events', {
    event_id: ['e1', 'e2', 'e3', 'e4'],
    customer_id: ['c1', null, 'c2', 'c1'],
    anonymous_id: [null, 'a1', null, null],
    type: ['view', 'add_to_cart', 'purchase', 'search'],
    product_id: ['P2', 'P1', 'P2', null],
    occurred_at: [
      d('2011-02-05T00:00:00'),
      d('2011-02-06T00:00:00'),
      d('2011-04-01T00:00:00'),
      d('2011-02-07T00:00:00'),
    ],
  });
}

/** Each user's sequence as [item id, ISO time, weight] triplets. */
async function triplets(wh: Warehouse, cutoff?: Date): Promise<Record<string, [string, string, number][]>> {
  const x = await loadInteractions(wh, cutoff ? { cutoff } : {});
  const s = x.data.sequences;
  const out: Record<string, [string, string, number][]> = {};
  x.userIds.forEach((user, u) => {
    out[user] = [];
    for (let k = s.offsets[u]!; k < s.offsets[u + 1]!; k++) {
      out[user]!.push([x.itemIds[s.itemIds[k]!]!, new Date(s.times![k]!).toISOString(), s.weights![k]!]);
    }
  });
  expect(x.itemIds).toEqual(['P1', 'P2']);
  expect([...x.data.itemCategories].map((c) => x.categories[c])).toEqual(['A', 'B']);
  return out;
}

function contract(engine: 'duckdb' | 'clickhouse', open: () => Promise<Warehouse>): void {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await open();
    await loadSmallStore(wh);
  }, 120_000);
  afterAll(async () => wh?.close());

  it(`${engine}: says which engine it is`, () => {
    expect(wh.engine).toBe(engine);
  });

  it(`${engine}: columns() reads each kind into typed arrays (NULL as NaN, 0, null)`, async () => {
    const c = await wh.columns(
      "SELECT order_id, customer_id, ordered_at, total FROM orders WHERE order_id IN ('o1', 'o3', 'o4', 'o5') ORDER BY order_id",
      { order_id: 'str', customer_id: 'str', ordered_at: 'ts', total: 'f64' },
    );
    expect(c.length).toBe(4);
    expect(c.order_id).toEqual(['o1', 'o3', 'o4', 'o5']);
    expect(c.customer_id).toEqual(['c1', 'c2', 'c2', null]);
    expect(c.ordered_at).toBeInstanceOf(Float64Array);
    expect([...c.ordered_at]).toEqual([
      Date.UTC(2011, 0, 1, 10),
      Date.UTC(2011, 0, 15, 10),
      Date.UTC(2011, 1, 10, 9, 30),
      Date.UTC(2011, 1, 11),
    ]);
    expect([...c.total]).toEqual([25, 10, 50, NaN]);
    const lines = await wh.columns("SELECT line_no FROM order_items WHERE order_id = 'o4' ORDER BY line_no", {
      line_no: 'i32',
    });
    expect(lines.line_no).toBeInstanceOf(Int32Array);
    expect([...lines.line_no]).toEqual([1, 2]);
  });

  it(`${engine}: texts with tabs, newlines and backslashes come back as written`, async () => {
    const c = await wh.columns('SELECT product_id, title FROM products ORDER BY product_id', {
      product_id: 'str',
      title: 'str',
    });
    expect(c.title).toEqual(['Mug\twith tab', 'Back\\slash\nline', null]);
  });

  it(`${engine}: rows() with ? placeholders`, async () => {
    const rows = await wh.rows<{ n: number }>(
      'SELECT count(*) AS n FROM orders WHERE customer_id = ? AND ordered_at < ?',
      ['c2', CUTOFF],
    );
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it(`${engine}: append refuses columns of different lengths`, async () => {
    await expect(wh.append('customers', { customer_id: ['x', 'y'], country: ['GB'] })).rejects.toThrow(
      /country has 1 values|length/i,
    );
  });

  it(`${engine}: interactions as of a cutoff (a later return still a sale, an earlier cancellation not, later events out)`, async () => {
    expect(await triplets(wh, CUTOFF)).toEqual({
      'anon:a1': [['P1', '2011-02-06T00:00:00.000Z', 0.5]],
      c1: [
        ['P1', '2011-01-01T10:00:00.000Z', 1],
        ['P2', '2011-02-01T10:00:00.000Z', 1],
        ['P2', '2011-02-05T00:00:00.000Z', Math.fround(0.1)],
      ],
      c2: [
        ['P1', '2011-02-10T09:30:00.000Z', 1],
        ['P2', '2011-02-10T09:30:00.000Z', 1],
      ],
    });
  });

  it(`${engine}: interactions now (the return undoes o2, the April purchase event counts)`, async () => {
    expect(await triplets(wh)).toEqual({
      'anon:a1': [['P1', '2011-02-06T00:00:00.000Z', 0.5]],
      c1: [
        ['P1', '2011-01-01T10:00:00.000Z', 1],
        ['P2', '2011-02-05T00:00:00.000Z', Math.fround(0.1)],
      ],
      c2: [
        ['P1', '2011-02-10T09:30:00.000Z', 1],
        ['P2', '2011-02-10T09:30:00.000Z', 1],
        ['P2', '2011-04-01T00:00:00.000Z', 1],
      ],
    });
  });

  it(`${engine}: customer features as of a cutoff, worked out by hand`, async () => {
    const m = await customerFeatures(wh, { cutoff: CUTOFF });
    expect(m.customerIds).toEqual(['c1', 'c2']);
    const get = (id: string, name: string): number =>
      m.values[m.customerIds.indexOf(id) * m.cols + m.names.indexOf(name)]!;
    // c1: o1 (Jan 1, 10:00) and o2 (Feb 1, 10:00: returned only after the cutoff, so a sale as of it).
    expect(get('c1', 'frequency')).toBe(2);
    expect(get('c1', 'recency_days')).toBe(Math.fround(27 + 14 / 24));
    expect(get('c1', 'monetary_total')).toBe(45); // 2 x 10 + 5 postage, and 20
    expect(get('c1', 'gap_mean_days')).toBe(31);
    expect(get('c1', 'views_30d')).toBe(1); // e1, Feb 5; the April purchase event is after the cutoff
    expect(get('c1', 'views_7d')).toBe(0);
    expect(get('c1', 'distinct_products')).toBe(3); // P1, POST, P2
    // GB and FR hold one customer each: the main country is the first by name, FR.
    expect(get('c1', 'home_country')).toBe(0);
    expect(get('c2', 'home_country')).toBe(1);
    expect(get('c1', 'country_share')).toBe(0.5);
    // c2: o3 cancelled the day after it was placed (before the cutoff), o4 a sale.
    expect(get('c2', 'frequency')).toBe(1);
    expect(get('c2', 'cancel_share')).toBe(0.5);
    expect(get('c2', 'monetary_total')).toBe(50);
    expect(Number.isNaN(get('c2', 'gap_mean_days'))).toBe(true);
  });

  it(`${engine}: the model registry: versions, promotion, rollback, artifacts byte for byte`, async () => {
    // Every byte value, so an artifact that does not survive the round trip shows.
    const bytes = Float64Array.from({ length: 64 }, (_, i) => i * 1.5 - 7);
    const artifact = (n: number) => ({ kind: 'test', version: 1, meta: { n }, arrays: { x: bytes } });
    const trainedOn = { store: 'small' };
    const v1 = await saveModel(wh, { task: 't', artifact: artifact(1), trainedOn, metrics: { auc: 0.5 } });
    const v2 = await saveModel(wh, { task: 't', artifact: artifact(2), trainedOn }, { promote: true });
    const v3 = await saveModel(wh, { task: 't', artifact: artifact(3), trainedOn }, { promote: true });
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(v1).toMatchObject({ modelId: 't@1', status: 'candidate', metrics: { auc: 0.5 }, trainedOn });
    expect((await listModels(wh, 't')).map((m) => m.status)).toEqual(['candidate', 'retired', 'promoted']);
    const served = await loadModel(wh, 't');
    expect(served.record.version).toBe(3);
    expect(served.artifact.meta).toEqual({ n: 3 });
    expect([...(served.artifact.arrays['x'] as Float64Array)]).toEqual([...bytes]);
    await promoteModel(wh, 't', 1);
    await rollbackModel(wh, 't'); // back to 3
    expect((await loadModel(wh, 't')).record.version).toBe(3);
    expect((await listModels(wh, 't')).map((m) => m.status)).toEqual(['retired', 'retired', 'promoted']);
    expect((await promotionLog(wh, 't')).map((p) => [p.version, p.action])).toEqual([
      [2, 'promote'],
      [3, 'promote'],
      [1, 'promote'],
      [3, 'rollback'],
    ]);
  });

  it(`${engine}: trainings saved at the same time never share a version`, async () => {
    const artifact = { kind: 'test', version: 1, meta: {}, arrays: {} };
    // Each on its own connection, as concurrent callers must (Warehouse.connect).
    const conns = await Promise.all(Array.from({ length: 6 }, () => wh.connect()));
    const settled = await Promise.allSettled(
      conns.map((c) => saveModel(c, { task: 'race', artifact, trainedOn: {} })),
    ).finally(() => Promise.all(conns.map((c) => c.close())));
    const saved = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const listed = await listModels(wh, 'race');
    expect(listed.map((m) => m.modelId).sort()).toEqual(saved.map((m) => m.modelId).sort());
    expect(new Set(listed.map((m) => m.version)).size).toBe(listed.length);
    // ClickHouse retries a clashing claim, so every save lands; DuckDB's transactions refuse the
    // second writer of a version (a primary key conflict) instead, so some saves fail there.
    if (engine === 'clickhouse') expect(saved).toHaveLength(6);
    else expect(saved.length).toBeGreaterThanOrEqual(1);
  });

  it(`${engine}: transactions`, async () => {
    if (engine === 'duckdb') {
      await expect(wh.transaction(async () => 7)).resolves.toBe(7);
    } else {
      await expect(wh.transaction(async () => 7)).rejects.toBeInstanceOf(NoTransactionsError);
    }
  });
}

describe('the Warehouse contract on DuckDB', () => {
  let dir: string;
  contract('duckdb', async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopsight-whc-'));
    return DuckDBWarehouse.open(join(dir, 'small.duckdb'), { memoryLimit: '256MB' });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
});

if (!clickhouseInstalled) console.warn(SKIP_MESSAGE);

describe.skipIf(!clickhouseInstalled)('the Warehouse contract on a 2-shard ClickHouse cluster', () => {
  let cluster: TestCluster;
  contract('clickhouse', async () => {
    cluster = startTestCluster(2);
    return ClickHouseStore.open(cluster.url('small'));
  });
  afterAll(() => cluster?.stop());
});
