/**
 * The Warehouse contract on both engines: a small hand-made store (test-small-store.ts) is written
 * through the Warehouse interface into a DuckDB file and into a 2-shard ClickHouse cluster, and the
 * same assertions run on both: what `columns()` and `rows()` read back (each kind, NULLs), `?`
 * placeholders, text escapes, append, transactions, and the model registry (versions, promotion,
 * rollback, artifacts byte for byte, concurrent saves). Features and interactions on the same store:
 * features/clickhouse-features.test.ts.
 * Without clickhouse-server the ClickHouse half is skipped with a printed message; DuckDB always runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBothEngines, type EngineContract } from './test-both-engines.js';
import {
  findModel,
  insertModel,
  listModels,
  promotionLog,
  readArtifact,
  setPromoted,
  type NewModel,
} from '../model-store.js';
import type { Warehouse } from '../warehouse.js';
import { NoTransactionsError } from './clickhouse-store.js';
import { CUTOFF, loadSmallStore } from './test-small-store.js';

const contract: EngineContract = (engine, open) => {
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

  it(`${engine}: the model registry: versions, promotion, rollback, artifacts byte for byte`, async () => {
    // Every byte value 0..255, so an artifact that does not survive the round trip shows.
    const artifact = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
    const model = (n: number): NewModel => ({
      task: 't',
      kind: 'test',
      trainedOn: { store: 'small' },
      params: { n },
      metrics: { auc: 0.5 },
      artifact,
    });
    const v1 = await insertModel(wh, model(1));
    const v2 = await insertModel(wh, model(2));
    const v3 = await insertModel(wh, model(3));
    expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
    expect(v1).toMatchObject({
      modelId: 't@1',
      kind: 'test',
      status: 'candidate',
      params: { n: 1 },
      metrics: { auc: 0.5 },
      bytes: 512,
    });
    await setPromoted(wh, 't', 2);
    await setPromoted(wh, 't', 3);
    expect((await listModels(wh, 't')).map((m) => m.status)).toEqual(['candidate', 'retired', 'promoted']);
    expect((await findModel(wh, 't', 'promoted'))?.version).toBe(3);
    expect([...(await readArtifact(wh, 't@3'))]).toEqual([...artifact]);
    await setPromoted(wh, 't', 1);
    await setPromoted(wh, 't', 3, 'rollback');
    expect((await listModels(wh, 't')).map((m) => m.status)).toEqual(['retired', 'retired', 'promoted']);
    expect((await promotionLog(wh, 't')).map((p) => [p.version, p.action])).toEqual([
      [2, 'promote'],
      [3, 'promote'],
      [1, 'promote'],
      [3, 'rollback'],
    ]);
  });

  it(`${engine}: trainings saved at the same time never share a version`, async () => {
    const model: NewModel = {
      task: 'race',
      kind: 'test',
      trainedOn: {},
      params: {},
      metrics: {},
      artifact: new Uint8Array(8),
    };
    // Each on its own connection, as concurrent callers must (Warehouse.connect).
    const conns = await Promise.all(Array.from({ length: 6 }, () => wh.connect()));
    const settled = await Promise.allSettled(conns.map((c) => insertModel(c, model))).finally(() =>
      Promise.all(conns.map((c) => c.close())),
    );
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
};

describeOnBothEngines('the Warehouse contract', contract);
