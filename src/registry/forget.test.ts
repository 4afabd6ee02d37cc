import { describe, expect, it } from 'vitest';
import { hmacPseudonym, PSEUDONYM_KEY_ENV } from '../ingest/pseudonymise.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { erasureLog } from '../warehouse/personal-data.js';
import { forgetCustomer, UnknownCustomerError } from './forget.js';

const KEY = 'a-test-key-of-32-characters-long';
const p = (v: string): string => hmacPseudonym(KEY, v);

/** A pseudonymised store: ids and e-mails are pseudonyms; the quarantine kept a raw line as read. */
async function store(): Promise<DuckDBWarehouse> {
  const wh = await DuckDBWarehouse.open(':memory:');
  await wh.exec(`INSERT INTO products (product_id, is_merchandise) VALUES ('P1', true)`);
  await wh.exec('INSERT INTO customers (customer_id, email) VALUES (?, ?), (?, ?)', [
    p('17850'),
    p('ann@example.org'),
    p('13047'),
    p('bob@example.org'),
  ]);
  await wh.exec(
    `INSERT INTO orders (order_id, customer_id, ordered_at, status, device_id) VALUES
       ('O1', ?, TIMESTAMP '2026-01-02', 'shipped', 'dev-1'), ('O2', ?, TIMESTAMP '2026-01-03', 'shipped', 'dev-2')`,
    [p('17850'), p('13047')],
  );
  await wh.exec(
    `INSERT INTO order_items VALUES ('O1', 1, 'P1', 1, 5, NULL, NULL), ('O2', 1, 'P1', 2, 5, NULL, NULL)`,
  );
  await wh.exec(`INSERT INTO quarantine VALUES
    ('i1', '/s/retail.csv', 9, 'UnitPrice', 'zero_price', 'unit price is zero', '536365,85123A,HEART,6,2010-12-01 08:26:00,0,17850,United Kingdom'),
    ('i1', '/s/retail.csv', 10, 'UnitPrice', 'zero_price', 'unit price is zero', '536366,85123A,HEART,6,2010-12-01 08:26:00,0,178500,United Kingdom')`);
  return wh;
}

describe('forgetCustomer on a pseudonymised store', () => {
  it('finds the person by the pseudonym of the id given when the key is set, and the raw quarantine line by the id', async () => {
    const wh = await store();
    try {
      const r = await forgetCustomer(wh, {
        customerId: '17850',
        email: 'ann@example.org',
        env: { [PSEUDONYM_KEY_ENV]: KEY },
      });
      expect(r.byPseudonym).toBe(true);
      // The quarantine line of 178500 (a longer id) stays: ids match as whole tokens.
      expect(r.counts).toEqual({ customers: 1, orders: 1, order_items: 1, quarantine: 1 });
      expect(await wh.rows('SELECT line FROM quarantine')).toEqual([{ line: 10 }]);
      expect((await erasureLog(wh)).map((e) => e.counts)).toEqual([r.counts]);
      expect(JSON.stringify(await erasureLog(wh))).not.toMatch(/17850|ann@/);
    } finally {
      await wh.close();
    }
  });

  it('without the key: unknown, with the hint, and nothing changed', async () => {
    const wh = await store();
    try {
      const err = await forgetCustomer(wh, { customerId: '17850', env: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnknownCustomerError);
      expect((err as Error).message).toMatch(
        /^unknown customer '17850': no table of :memory: holds it; nothing was changed \(for a pseudonymised store set SHOPSIGHT_PSEUDONYM_KEY to its key\)$/,
      );
      expect(await wh.rows('SELECT count(*)::INTEGER AS n FROM customers')).toEqual([{ n: 2 }]);
      expect(await erasureLog(wh)).toEqual([]);
    } finally {
      await wh.close();
    }
  });

  it('orders anonymise: keeps the order and its lines for the accounts, without the id or the device', async () => {
    const wh = await store();
    try {
      const r = await forgetCustomer(wh, {
        customerId: '17850',
        orders: 'anonymise',
        env: { [PSEUDONYM_KEY_ENV]: KEY },
      });
      expect(r.counts).toEqual({ customers: 1, orders: 1, quarantine: 1 });
      expect(await wh.rows("SELECT customer_id, device_id FROM orders WHERE order_id = 'O1'")).toEqual([
        { customer_id: null, device_id: null },
      ]);
      expect(await wh.rows("SELECT count(*)::INTEGER AS n FROM order_items WHERE order_id = 'O1'")).toEqual([
        { n: 1 },
      ]);
    } finally {
      await wh.close();
    }
  });
});
