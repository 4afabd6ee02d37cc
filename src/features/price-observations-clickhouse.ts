/**
 * @module features/price-observations-clickhouse
 * price-observations.ts's reads on a ClickHouse cluster: the same product facts and the same
 * category panel (per product and day with sales: the units and the median unit price of the day's
 * lines). Lines join their order per shard (clickhouse/orders-as-of.ts), the catalogue on the entry
 * node from its own copy. The median is DuckDB's `median` to the bit: the middle value of the sorted
 * prices, or for an even count `(lo + hi) / 2` of the two middle ones (what DuckDB gives; not
 * `lo + (hi - lo) / 2`, which differs in the last place on days of Online Retail), since 18.16's
 * `median` is an estimate and `quantileExact` picks one value.
 */
import { LINE_AMOUNT } from '../warehouse/clickhouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';
import type { Columns } from '../warehouse/warehouse.js';
import { CH_IS_MERCHANDISE, CH_LINE_IS_SALE, chCatalogue } from './sales-series-clickhouse.js';

export interface ChPricingFacts {
  readonly title: string | null;
  readonly category: string | null;
  readonly known: boolean;
  readonly last: number | null;
}

export async function chPricingFacts(
  ch: ClickHouseStore,
  productId: string,
  cutoff: Date | undefined,
): Promise<ChPricingFacts> {
  const id = chLiteral(productId);
  const [p] = await ch.rows<{ title: string | null; category: string | null }>(
    `SELECT title, category FROM ${ch.nodeTable('products')} WHERE product_id = ${id} LIMIT 1`,
  );
  const [lines] = await ch.rows<{ n: number }>(
    `SELECT count() AS n FROM order_items WHERE product_id = ${id}`,
  );
  const [range] = await ch.rows<{ n: number; last: number }>(
    `SELECT count() AS n, toUInt16(max(toDate(ordered_at))) AS last FROM orders
     WHERE ${cutoff ? `ordered_at < ${chLiteral(cutoff)}` : '1'}`,
  );
  return {
    title: p?.title ?? null,
    category: p?.category ?? null,
    known: p !== undefined || Number(lines?.n ?? 0) > 0,
    last: Number(range?.n ?? 0) > 0 ? Number(range!.last) : null,
  };
}

export async function chPricePanelColumns(
  ch: ClickHouseStore,
  category: string,
  noCategory: string,
  cutoff: Date | undefined,
): Promise<Columns<{ pid: 'str'; d: 'i32'; units: 'f64'; price: 'f64' }>> {
  return ch.columns(
    `SELECT pid, toUInt16(day) AS d, sum(q) AS units,
            arraySort(groupArray(unit)) AS sorted, length(sorted) AS n,
            if(n % 2 = 1, sorted[intDiv(n + 1, 2)],
               (sorted[intDiv(n, 2)] + sorted[intDiv(n, 2) + 1]) / 2) AS price
     FROM (
       SELECT pid, day, q, unit FROM (
         SELECT product_id AS pid, toDate(o_at) AS day, quantity AS q, toFloat64(${LINE_AMOUNT}) / quantity AS unit
         FROM order_items ANY INNER JOIN ${chOrdersAsOfLocal(ch, cutoff)} USING order_id
         WHERE ${cutoff ? `o_at < ${chLiteral(cutoff)}` : '1'} AND ${CH_LINE_IS_SALE} AND quantity > 0
       ) ANY LEFT JOIN ${chCatalogue(ch)} USING pid
       WHERE ${CH_IS_MERCHANDISE}
         AND if(p_found = 1, ifNull(p_category, ${chLiteral(noCategory)}), ${chLiteral(noCategory)}) = ${chLiteral(category)}
     )
     GROUP BY pid, day HAVING price > 0
     ORDER BY pid, d`,
    { pid: 'str', d: 'i32', units: 'f64', price: 'f64' },
  );
}
