/**
 * @module warehouse/order-risk-store-clickhouse
 * The `order_risk` table on a ClickHouse cluster (its DDL in clickhouse/schema.ts): unsharded, on shard 1 only
 * like the model registry, whichever node a process enters through. The scores are one row per order
 * written by `risk score` in one bulk insert, and read a page (at most 100 rows) or one order at a
 * time; holding them on one node keeps "riskiest first, paged" a plain ORDER BY ... LIMIT, and the
 * page's order details (customer, time, country, total) are fetched from the Distributed `orders`
 * by id afterwards.
 *
 * Replacing the rows of orders scored again: a ReplacingMergeTree keyed by order_id whose version is
 * `write_seq` (the write's time in ms), read with FINAL, so an order's latest write is its row;
 * a write of every order (replaceAll) first empties the table (TRUNCATE). Not atomic: between the
 * TRUNCATE and the insert, readers see no scores. Times are whole seconds (DateTime).
 */
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { appendTsvLines } from './clickhouse/append-tsv.js';
import { orderRiskWriteColumns, type OrderRiskColumns } from './order-risk-columns.js';
import type { OrderRiskRow, WriteOrderRiskOptions } from './order-risk-store.js';

export async function chWriteOrderRisk(
  ch: ClickHouseStore,
  c: OrderRiskColumns,
  options: WriteOrderRiskOptions = {},
): Promise<void> {
  if (options.replaceAll) await ch.execOnFirstShard('TRUNCATE TABLE order_risk');
  const n = c.orderIds.length;
  if (n === 0) return;
  const columns = {
    ...orderRiskWriteColumns(c),
    model_version: new Float64Array(n).fill(c.modelVersion),
    scored_at: Array.from({ length: n }, () => c.scoredAt),
    write_seq: new Float64Array(n).fill(Date.now()),
  };
  await ch.insertTsv('order_risk', Object.keys(columns), () => appendTsvLines('order_risk', columns), {
    firstShard: true,
  });
}

/** A stored row as JSONEachRow gives it (Int64 quoted, DateTime as text, flags as 0/1). */
export type ChRiskRow = {
  order_id: string;
  score: number;
  model_score: number;
  action: 'hold' | 'allow' | null;
  held: number;
  reasons: string;
  rules_hit: string | null;
  model_version: string | number;
  scored_at: string;
};

/** 'YYYY-MM-DD hh:mm:ss' (UTC) as a Date. */
export const chUtc = (s: string): Date => new Date(`${s.replace(' ', 'T')}Z`);

export const CH_RISK_COLUMNS =
  'order_id, score, model_score, action, held, reasons, rules_hit, model_version, toString(scored_at) AS scored_at';

export function chRiskRow(x: ChRiskRow): OrderRiskRow {
  return {
    orderId: x.order_id,
    score: x.score,
    modelScore: x.model_score,
    action: x.action,
    held: Number(x.held) === 1,
    reasons: JSON.parse(x.reasons) as string[],
    rulesHit: x.rules_hit === null ? null : (JSON.parse(x.rules_hit) as string[]),
    modelVersion: Number(x.model_version),
    scoredAt: chUtc(x.scored_at),
  };
}

export async function chReadOrderRisk(ch: ClickHouseStore, orderId: string): Promise<OrderRiskRow | null> {
  const [x] = await ch.rowsOnFirstShard<ChRiskRow>(
    `SELECT ${CH_RISK_COLUMNS} FROM order_risk FINAL WHERE order_id = ?`,
    [orderId],
  );
  return x ? chRiskRow(x) : null;
}
