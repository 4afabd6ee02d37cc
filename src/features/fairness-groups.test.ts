import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  ageBand,
  customerGroupValues,
  groupValues,
  orderGroupValues,
  parseGroupSpec,
} from './fairness-groups.js';

describe('parseGroupSpec', () => {
  it('reads an attribute, or an attribute set against the rest', () => {
    expect(parseGroupSpec('country')).toEqual({ attribute: 'country', versus: null });
    expect(parseGroupSpec('country=United Kingdom')).toEqual({
      attribute: 'country',
      versus: 'United Kingdom',
    });
    expect(parseGroupSpec('sex')).toEqual({ attribute: 'sex', versus: null });
  });
  it('refuses what it cannot read', () => {
    expect(() => parseGroupSpec("x'; DROP")).toThrow(/'x'; DROP' is not an attribute name/);
    expect(() => parseGroupSpec('country=')).toThrow(/names no value after '='/);
    expect(() => parseGroupSpec('age=30')).toThrow(/age is cut into bands/);
  });
});

describe('ageBand and groupValues', () => {
  it('cuts ages at 25, 35 and 45', () => {
    expect([0, 24.9, 25, 34, 35, 44, 45, 90].map(ageBand)).toEqual([
      '<25',
      '<25',
      '25-34',
      '25-34',
      '35-44',
      '35-44',
      '45+',
      '45+',
    ]);
    expect(ageBand(NaN)).toBe('(unknown)');
    expect(ageBand(-1)).toBe('(unknown)');
  });

  it('codes values: names sorted, (unknown) last, age bands in age order, X vs rest', () => {
    const g = groupValues(['FR', 'UK', null, 'UK', ''], { attribute: 'country', versus: null });
    expect(g.names).toEqual(['FR', 'UK', '(unknown)']);
    expect([...g.codes]).toEqual([0, 1, 2, 1, 2]);
    expect(g.reference).toBeUndefined();
    const vs = groupValues(['FR', 'UK', 'DE'], { attribute: 'country', versus: 'UK' });
    expect(vs.names).toEqual(['UK', 'rest']);
    expect([...vs.codes]).toEqual([1, 0, 1]);
    expect(vs.reference).toBe('UK');
    const age = groupValues(['50', '19', 'x', '30'], { attribute: 'age', versus: null });
    expect(age.names).toEqual(['<25', '25-34', '45+', '(unknown)']);
    expect([...age.codes]).toEqual([2, 0, 3, 1]);
  });
});

describe('customerGroupValues and orderGroupValues', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    await wh.exec(`
      INSERT INTO customers (customer_id, country, attributes) VALUES
        ('a', 'FR', '{"sex": "F", "age": 31}'), ('b', NULL, '{"sex": "M"}'), ('c', NULL, NULL)`);
    await wh.exec(`
      INSERT INTO orders (order_id, customer_id, ordered_at, status, country) VALUES
        ('o1', 'b', '2024-01-01', 'placed', 'DE'), ('o2', 'b', '2024-01-02', 'placed', 'DE'),
        ('o3', 'b', '2024-03-01', 'placed', 'IT'), ('o4', 'b', '2024-03-02', 'placed', 'IT'),
        ('o5', 'b', '2024-03-03', 'placed', 'IT'), ('o6', 'a', '2024-01-05', 'placed', NULL),
        ('o7', 'd', '2024-01-05', 'placed', 'ES')`);
  });
  afterAll(() => wh.close());

  it("reads a customer's country, else the most frequent of their orders before the cutoff", async () => {
    const ids = ['a', 'b', 'c', 'd', 'nobody'];
    // b: DE twice before 2024-02-01; IT three times after it, so IT only with a later cutoff.
    expect(await customerGroupValues(wh, ids, parseGroupSpec('country'), new Date('2024-02-01'))).toEqual([
      'FR',
      'DE',
      null,
      'ES',
      null,
    ]);
    expect((await customerGroupValues(wh, ids, parseGroupSpec('country'), new Date('2024-06-01')))[1]).toBe(
      'IT',
    );
  });

  it('reads an attribute from the JSON', async () => {
    const cutoff = new Date('2024-06-01');
    expect(await customerGroupValues(wh, ['a', 'b', 'c'], parseGroupSpec('sex'), cutoff)).toEqual([
      'F',
      'M',
      null,
    ]);
    expect(await customerGroupValues(wh, ['a', 'b'], parseGroupSpec('age'), cutoff)).toEqual(['31', null]);
  });

  it("reads an order's country, else its customer's, and its customer's attributes", async () => {
    expect(await orderGroupValues(wh, ['o1', 'o6', 'o7'], parseGroupSpec('country'))).toEqual([
      'DE',
      'FR',
      'ES',
    ]);
    expect(await orderGroupValues(wh, ['o1', 'o6', 'o7'], parseGroupSpec('sex'))).toEqual(['M', 'F', null]);
  });
});
