/**
 * @module features/sales-series-clickhouse
 * sales-series.ts's reader on a ClickHouse cluster: the same definition (sales lines with a positive
 * quantity, or every line signed by its order's status as of the cutoff for `net`; merchandise
 * only; the order's country, the product's category), in SQL that ClickHouse 18.16 runs. Order
 * lines join their order per shard (the Distributed order_items on the left, each shard's orders
 * and status history on the right: warehouse/clickhouse/orders-as-of.ts); the catalogue joins on
 * the entry node from its own copy (one JOIN per SELECT level, hence the nesting). Each shard
 * sends its sums per product, country and period, not its lines (exact: Decimal sums, and units
 * whole numbers in every store here). Revenue is
 * summed as Decimal and read as text, units as Float64 printed exactly, so the shared code in
 * sales-series.ts builds the same Float64Array from either engine. Periods are day numbers
 * (`toUInt16` of a Date: days since 1970-01-01), a week's the number of its Monday.
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import { LINE_AMOUNT } from '../warehouse/clickhouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';
import type { SeriesCells, SeriesLevel, SeriesQuery } from './sales-series.js';

const KEY: Record<SeriesLevel, string> = {
  total: `'total'`,
  country: `ifNull(o_country, '(unknown)')`,
  category: `if(p_found = 1, ifNull(p_category, '(none)'), '(none)')`,
  product: 'pid',
};

/** A line of a sales order (status as of the cutoff), in the columns chOrdersAsOfLocal gives. */
export const CH_LINE_IS_SALE = `o_status NOT IN (${UNDONE_STATUSES.map(chLiteral).join(', ')})`;

/** The period of an order time `at`, a Date. */
export function chPeriod(granularity: 'day' | 'week', at: string): string {
  return granularity === 'day' ? `toDate(${at})` : `toMonday(${at})`;
}

/**
 * The catalogue columns a line needs, for `ANY LEFT JOIN <this> USING pid`: p_found is 0 for a
 * product the catalogue lacks (18.16 fills a missing row with defaults), which counts as merchandise.
 */
export function chCatalogue(ch: ClickHouseStore): string {
  return `(SELECT product_id AS pid, category AS p_category, is_merchandise AS p_merch, toUInt8(1) AS p_found
           FROM ${ch.nodeTable('products')})`;
}

export const CH_IS_MERCHANDISE = '(p_found = 0 OR ifNull(p_merch, 1) = 1)';

export async function chSeriesCells(ch: ClickHouseStore, q: SeriesQuery): Promise<SeriesCells> {
  const before = q.cutoff ? `ordered_at < ${chLiteral(q.cutoff)}` : '1';
  const [range] = await ch.rows<{ n: number; first: number; last: number }>(
    `SELECT count() AS n, toUInt16(min(${chPeriod(q.granularity, 'ordered_at')})) AS first,
            toUInt16(max(${chPeriod(q.granularity, 'ordered_at')})) AS last
     FROM orders WHERE ${before}`,
  );
  const amount = q.measure === 'units' ? 'quantity' : LINE_AMOUNT;
  const v = q.undone === 'net' ? `if(${CH_LINE_IS_SALE}, ${amount}, -${amount})` : amount;
  const keep = q.undone === 'net' ? '1' : `${CH_LINE_IS_SALE} AND quantity > 0`;
  const only = q.ids ? `WHERE key IN (${q.ids.map(chLiteral).join(', ')})` : '';
  const cells = await ch.columns(
    `SELECT key, toUInt16(period) AS d, toString(sum(v)) AS v
     FROM (
       SELECT ${KEY[q.level]} AS key, period, v
       FROM (
         SELECT product_id AS pid, o_country, ${chPeriod(q.granularity, 'o_at')} AS period, sum(${v}) AS v
         FROM order_items ANY INNER JOIN ${chOrdersAsOfLocal(ch, q.cutoff)} USING order_id
         WHERE ${q.cutoff ? `o_at < ${chLiteral(q.cutoff)}` : '1'} AND ${keep}
         GROUP BY pid, o_country, period
       ) ANY LEFT JOIN ${chCatalogue(ch)} USING pid
       WHERE ${q.merchandiseOnly ? CH_IS_MERCHANDISE : '1'}
     )
     ${only} GROUP BY key, period`,
    { key: 'str', d: 'i32', v: 'str' },
  );
  const some = Number(range?.n ?? 0) > 0;
  return {
    firstDay: some ? Number(range!.first) : null,
    lastDay: some ? Number(range!.last) : null,
    cells,
  };
}
