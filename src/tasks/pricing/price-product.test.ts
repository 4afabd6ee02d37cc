import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPricePanel } from '../../features/price-observations.js';
import { categoryPrior } from '../../ml/pricing/category-prior.js';
import { categoryPriorOffThread } from '../../ml/pricing/category-prior-off-thread.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { priceProduct, PricingInputError } from './price-product.js';
import { seedPricingStore, TOY_ELASTICITY } from './test-pricing-store.js';

describe('priceProduct on a store with known elasticities', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    await seedPricingStore(wh);
  });
  afterAll(() => wh.close());

  it("recovers each product's elasticity within its interval, and the category's near their mean", async () => {
    for (const [id, truth] of Object.entries(TOY_ELASTICITY)) {
      const a = await priceProduct(wh, { productId: id });
      expect(a.own.status, id).toBe('estimated');
      if (a.own.status !== 'estimated') continue;
      expect(a.own.controls).toEqual(['trend', 'weekday']);
      expect(a.own.days).toBe(112);
      expect(a.own.ci95[0], id).toBeLessThan(truth);
      expect(a.own.ci95[1], id).toBeGreaterThan(truth);
      expect(Math.abs(a.own.elasticity - truth), id).toBeLessThan(0.15);
      // Shrunk: between its own estimate and the category's.
      const used = a.elasticity!;
      expect(used.source).toBe('shrunk');
      const [lo, hi] = [a.own.elasticity, a.category.elasticity!].sort((x, y) => x - y) as [number, number];
      expect(used.elasticity).toBeGreaterThanOrEqual(lo - 1e-12);
      expect(used.elasticity).toBeLessThanOrEqual(hi + 1e-12);
    }
    const a = await priceProduct(wh, { productId: 't3' });
    // t1..t5 have their own estimates; flat (one price) and few (6 days) do not; nosale has no sales.
    expect(a.category).toMatchObject({ category: 'toys', products: 7, estimated: 5 });
    expect(Math.abs(a.category.elasticity! - -1.5)).toBeLessThan(0.15);
  });

  it('elastic demand: the best revenue is at the lowest observed price; with a cost, the Lerner price', async () => {
    const a = await priceProduct(wh, { productId: 't3' });
    expect(a.bounds).toEqual([a.history.priceMin, a.history.priceMax]);
    expect(a.suggestion!.price).toBe(a.history.priceMin);
    expect(a.curve).toHaveLength(11);
    expect(a.history.currentPrice).toBeGreaterThan(0);
    // Units over the last 28 days / 28, at the last day's price.
    expect(a.history.unitsPerDay).toBeGreaterThan(100);
    const e = a.elasticity!.elasticity;
    const m = await priceProduct(wh, { productId: 't3', cost: 3 });
    expect(m.suggestion!.objective).toBe('margin');
    expect(m.suggestion!.price).toBeCloseTo((3 * e) / (1 + e), 10);
    const bounded = await priceProduct(wh, { productId: 't3', minPrice: 9, maxPrice: 10 });
    expect(bounded.bounds).toEqual([9, 10]);
    expect(bounded.suggestion!.price).toBe(9);
  });

  it('no price variation, too few days, no sales: the reason, the category for reference, no suggestion', async () => {
    const flat = await priceProduct(wh, { productId: 'flat' });
    expect(flat.own).toMatchObject({
      status: 'not_enough_price_variation',
      reason: 'not enough price variation: the price was 5 on all 112 days with sales',
    });
    expect(flat.elasticity).toBeNull();
    expect(flat.suggestion).toBeNull();
    expect(flat.reason).toBe(flat.own.status !== 'estimated' && flat.own.reason);
    expect(flat.category.elasticity).not.toBeNull();
    const few = await priceProduct(wh, { productId: 'few' });
    expect(few.own.status).toBe('too_few_days');
    const none = await priceProduct(wh, { productId: 'nosale' });
    expect(none.history.daysWithSales).toBe(0);
    expect(none.own.status).toBe('too_few_days');
    // Garden has one product: no category estimate; g1's own estimate is used as it is.
    const g1 = await priceProduct(wh, { productId: 'g1' });
    expect(g1.category.elasticity).toBeNull();
    expect(g1.category.note).toMatch(/fewer than the 3/);
    expect(g1.elasticity?.source).toBe('own');
  });

  it('refuses bounds outside the observed range, inverted bounds, a negative cost, an unknown product', async () => {
    await expect(priceProduct(wh, { productId: 't3', minPrice: 100 })).rejects.toThrow(
      /lie outside the observed price range .*: a price there would be an extrapolation/,
    );
    await expect(priceProduct(wh, { productId: 't3', minPrice: 9, maxPrice: 8 })).rejects.toThrow(
      PricingInputError,
    );
    await expect(priceProduct(wh, { productId: 't3', cost: -1 })).rejects.toThrow(
      'cost (--cost) must be a non-negative number, got -1',
    );
    await expect(priceProduct(wh, { productId: 'zz' })).rejects.toThrow('no product "zz"');
  });

  it('the category fitted on a worker thread equals the inline fit', async () => {
    const { panel } = await loadPricePanel(wh, { category: 'toys' });
    expect(await categoryPriorOffThread(panel)).toEqual(categoryPrior(panel));
  }, 60_000);
});
