/**
 * Customer features and interactions on both engines over the small hand-made store
 * (warehouse/clickhouse/test-small-store.ts) written into a DuckDB file and a 2-shard ClickHouse
 * cluster: the same known answers, worked out by hand, on each (point in time: a return after the
 * cutoff is still a sale as of it, a cancellation before it is not, events after it are left out;
 * postage is not merchandise), and the baskets, catalogue and product text recommendation serving
 * reads. Online Retail, engine against engine: registry/clickhouse-training.test.ts.
 * Without clickhouse-server the ClickHouse half is skipped with a printed message; DuckDB always runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOnBothEngines, type EngineContract } from '../warehouse/clickhouse/test-both-engines.js';
import { CUTOFF, loadSmallStore } from '../warehouse/clickhouse/test-small-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadBaskets, type BasketOptions } from './baskets.js';
import { loadCatalogue } from './catalogue.js';
import { customerFeatures } from './customer-features.js';
import { loadInteractions } from './interactions.js';
import { loadProductText } from './product-text.js';

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

/** Each basket's order id with its product ids, sorted (the order of items within a basket is free). */
async function basketsOf(wh: Warehouse, options: BasketOptions = {}): Promise<Record<string, string[]>> {
  const { baskets: b, productIds, orderIds } = await loadBaskets(wh, options);
  const out: Record<string, string[]> = {};
  orderIds.forEach((order, i) => {
    out[order] = [...b.itemIds.subarray(b.offsets[i]!, b.offsets[i + 1]!)].map((j) => productIds[j]!).sort();
  });
  expect(b.count).toBe(orderIds.length);
  return out;
}

const contract: EngineContract = (engine, open) => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await open();
    await loadSmallStore(wh);
  }, 120_000);
  afterAll(async () => wh?.close());

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

  it(`${engine}: baskets (sales orders' merchandise), catalogue and product text, as serving reads them`, async () => {
    // Now: o2 returned and o3 cancelled are not sales; POST is not merchandise.
    expect(await basketsOf(wh)).toEqual({ o1: ['P1'], o4: ['P1', 'P2'], o5: ['P1'] });
    // As of the cutoff o2 (returned after it) is still a sale; from February on, o1 is out.
    expect(await basketsOf(wh, { cutoff: CUTOFF })).toEqual({
      o1: ['P1'],
      o2: ['P2'],
      o4: ['P1', 'P2'],
      o5: ['P1'],
    });
    expect(await basketsOf(wh, { cutoff: CUTOFF, from: new Date('2011-02-01T00:00:00Z') })).toEqual({
      o2: ['P2'],
      o4: ['P1', 'P2'],
      o5: ['P1'],
    });
    expect(await loadProductText(wh)).toEqual({
      productIds: ['P1', 'P2'],
      title: ['Mug\twith tab', 'Back\\slash\nline'],
      description: [null, null],
      category: ['A', 'B'],
      brand: [null, null],
    });
    expect((await loadProductText(wh, { merchandiseOnly: false })).productIds).toEqual(['P1', 'P2', 'POST']);
    // Aligned to the ids asked for; no price or stock in this store: NaN and 2 (unknown).
    const c = await loadCatalogue(wh, ['P2', 'P1', 'NOPE']);
    expect(c.titles).toEqual(['Back\\slash\nline', 'Mug\twith tab', null]);
    expect([...c.price]).toEqual([NaN, NaN, NaN]);
    expect([...c.inStock]).toEqual([2, 2, 2]);
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
};

describeOnBothEngines('features and interactions', contract);
