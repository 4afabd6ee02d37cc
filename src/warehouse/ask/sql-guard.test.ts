import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../analytics/test-store.js';
import type { Warehouse } from '../warehouse.js';
import { runGuardedSql, SqlRunError, SqlTimeoutError } from './run-guarded.js';
import { guardSql, SqlGuardError } from './sql-guard.js';
import { HOSTILE_SQL } from './test-hostile-sql.js';
import { ASK_VIEWS } from './views.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('the ask views', () => {
  it('have exactly the documented columns, in order', async () => {
    for (const view of ASK_VIEWS) {
      const cols = await wh.rows<{ column_name: string; data_type: string }>(
        'SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position',
        [view.name],
      );
      expect(cols.map((c) => `${c.column_name} ${c.data_type}`)).toEqual(
        view.columns.map((c) => `${c.name} ${c.type}`),
      );
    }
  });

  it('give the analytics figures of the test store: 13 orders, 10 sales, gross revenue 367.5', async () => {
    const [r] = await wh.rows(
      `SELECT (SELECT count(*) FROM ask_orders) AS orders, (SELECT count(*) FROM ask_orders WHERE is_sale) AS sales,
              (SELECT sum(amount) FROM ask_order_lines WHERE is_sale) AS revenue`,
    );
    // test-store.ts: sales o1 60, o2 30, o11 30, o10 15, o3 10, o5 60, o6 100, o12 12.5, o8 30, o9 20.
    expect(r).toEqual({ orders: 13, sales: 10, revenue: 367.5 });
  });
});

describe('guardSql', () => {
  it('passes a SELECT over the views, with CTEs, joins, windows and set operations, and says what it reads', async () => {
    const g = await guardSql(
      wh,
      `WITH per AS (SELECT country, sum(amount) AS revenue FROM ask_order_lines WHERE is_sale GROUP BY country)
       SELECT p.country, p.revenue, rank() OVER (ORDER BY p.revenue DESC) AS r FROM per p
       JOIN (SELECT DISTINCT country FROM ask_customers UNION SELECT NULL) c ON c.country = p.country -- a comment`,
    );
    expect(g.reads).toEqual(['ask_customers', 'ask_order_lines']);
    expect(g.sql).not.toContain('a comment');
  });

  for (const h of HOSTILE_SQL) {
    it(`refuses (${h.family}): ${h.sql}`, async () => {
      const err = await guardSql(wh, h.sql).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SqlGuardError);
      expect((err as Error).message).toMatch(h.because);
    });
  }

  it('refuses empty and oversized SQL, and SQL that does not parse', async () => {
    await expect(guardSql(wh, '  ')).rejects.toThrow(/the SQL is empty/);
    await expect(guardSql(wh, `SELECT ${'1+'.repeat(15_000)}1`)).rejects.toThrow(/at most 20000 are allowed/);
    await expect(guardSql(wh, 'SELEC country FROM ask_orders')).rejects.toThrow(/does not parse/);
  });
});

describe('runGuardedSql', () => {
  it('returns the columns with their types, the rows, and cuts at the row limit', async () => {
    const r = await runGuardedSql(wh, 'SELECT order_id, total FROM ask_orders ORDER BY ordered_at', {
      maxRows: 3,
    });
    expect(r.columns).toEqual([
      { name: 'order_id', type: 'VARCHAR' },
      { name: 'total', type: 'DOUBLE' },
    ]);
    expect(r.rows.map((x) => x['order_id'])).toEqual(['o1', 'o11', 'o2']);
    expect(r.truncated).toBe(true);
    const all = await runGuardedSql(wh, 'SELECT order_id FROM ask_orders', { maxRows: 13 });
    expect(all.truncated).toBe(false);
    expect(all.rows).toHaveLength(13);
  });

  it('stops a query that runs past its time limit, and the connection is usable after', async () => {
    const slow =
      'SELECT count(*) FROM ask_orders a, ask_orders b, ask_orders c, ask_orders d, ask_orders e, ask_orders f, ask_orders g, ask_orders h, ask_orders i';
    await expect(runGuardedSql(wh, slow, { timeoutMs: 50 })).rejects.toBeInstanceOf(SqlTimeoutError);
    const r = await runGuardedSql(wh, 'SELECT count(*) AS n FROM ask_orders');
    expect(r.rows).toEqual([{ n: 13 }]);
  });

  it('names a failure of a checked query (a column that does not exist)', async () => {
    await expect(runGuardedSql(wh, 'SELECT email FROM ask_customers')).rejects.toThrow(SqlRunError);
    await expect(runGuardedSql(wh, 'SELECT email FROM ask_customers')).rejects.toThrow(
      /the query failed: .*email/,
    );
  });

  it('leaves the data untouched: every hostile statement is refused before it runs', async () => {
    for (const h of HOSTILE_SQL) await runGuardedSql(wh, h.sql).catch(() => undefined);
    const [r] = await wh.rows(
      'SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM customers) AS c',
    );
    expect(r).toEqual({ o: 13, c: 6 });
  });
});
