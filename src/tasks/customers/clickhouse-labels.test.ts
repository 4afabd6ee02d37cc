/**
 * What `train customers` reads besides the features, on both engines over the small hand-made store
 * (warehouse/clickhouse/test-small-store.ts) written into a DuckDB file and a 2-shard ClickHouse
 * cluster: the labels (customerOutcomes), the BTYD summaries and the RFM rule's totals, the same
 * known answers worked out by hand on each. Point in time: a label takes the status an order had at
 * cutoff + horizon (o2, returned 2011-03-15, is a purchase in a window that ends before that and
 * not in one that ends after it); a summary the status at the cutoff. Online Retail, engine
 * against engine: registry/clickhouse-training.test.ts. Without clickhouse-server the ClickHouse
 * half is skipped with a printed message; DuckDB always runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBothEngines, type EngineContract } from '../../warehouse/clickhouse/test-both-engines.js';
import { btydSummary } from '../../features/btyd-summary.js';
import { customerOutcomes } from '../../features/customer-outcomes.js';
import { CUTOFF, d, loadSmallStore } from '../../warehouse/clickhouse/test-small-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { rfmTotals } from './rfm-rule.js';

const IDS = ['c1', 'c2'];
const JAN20 = d('2011-01-20T00:00:00');

const contract: EngineContract = (engine, open) => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await open();
    await loadSmallStore(wh);
  }, 120_000);
  afterAll(async () => wh?.close());

  it(`${engine}: labels in [2011-01-20, +30 days): o2 (c1, Feb 1, 20) and o4 (c2, Feb 10 09:30, 50)`, async () => {
    const y = await customerOutcomes(wh, IDS, { cutoff: JAN20, horizonDays: 30 });
    expect(y).toEqual({
      bought: Float32Array.from([1, 1]),
      orders: Float64Array.from([1, 1]),
      spend: Float64Array.from([20, 50]),
      firstOrderDays: Float64Array.from([(12 * 24 + 10) / 24, (21 * 24 + 9.5) / 24]),
    });
  });

  it(`${engine}: a label takes the status at the window's end (o2 returned 2011-03-15)`, async () => {
    // Ends 2011-03-11: o2 still placed, a purchase. Ends 2011-03-21: returned, not one.
    const before = await customerOutcomes(wh, IDS, { cutoff: JAN20, horizonDays: 50 });
    const after = await customerOutcomes(wh, IDS, { cutoff: JAN20, horizonDays: 60 });
    expect([...before.bought]).toEqual([1, 1]);
    expect([...after.bought]).toEqual([0, 1]);
    expect([...after.orders]).toEqual([0, 1]);
    expect([...after.spend]).toEqual([0, 50]);
    expect(Number.isNaN(after.firstOrderDays[0])).toBe(true);
  });

  it(`${engine}: BTYD summaries as of 2011-03-01 (o2 a sale then, o3 cancelled)`, async () => {
    // c1: Jan 1 (25) and Feb 1 (20): one repeat day 31 days on, first day 59 days before the cutoff.
    // c2: only Feb 10 (o3 was cancelled on Jan 16): no repeat, 19 days.
    expect(await btydSummary(wh, IDS, CUTOFF)).toEqual({
      frequency: Float64Array.from([1, 0]),
      recency: Float64Array.from([31, 0]),
      T: Float64Array.from([59, 19]),
      monetary: Float64Array.from([20, 0]),
    });
  });

  it(`${engine}: BTYD summaries as of 2011-04-01 (o2 returned by then)`, async () => {
    expect(await btydSummary(wh, IDS, d('2011-04-01T00:00:00'))).toEqual({
      frequency: Float64Array.from([0, 0]),
      recency: Float64Array.from([0, 0]),
      T: Float64Array.from([90, 50]),
      monetary: Float64Array.from([0, 0]),
    });
  });

  it(`${engine}: RFM rule totals as of 2011-03-01`, async () => {
    // c1: 28 days, 2 orders, 45; c2: 19 days, 1 order, 50. Two customers: the lower rank scores 1,
    // the higher 1 + floor(5 / 2) = 3. c1 = R1 + F3 + M1 = 5, c2 = R3 + F1 + M3 = 7.
    expect(await rfmTotals(wh, IDS, CUTOFF)).toEqual(Int32Array.from([5, 7]));
    await expect(rfmTotals(wh, ['c1', 'nobody'], CUTOFF)).rejects.toThrow(/nobody has no RFM score/);
  });
};

describeOnBothEngines('labels, BTYD summaries and RFM totals', contract);
