/**
 * @module warehouse/order-risk-list-clickhouse
 * order-risk-list.ts's reads on a ClickHouse cluster: the stored scores are on shard 1
 * (order-risk-store-clickhouse.ts), read with FINAL (an order's latest write); a page's order details
 * come from the Distributed `orders` by id; the review-rate cuts rank the version's model scores in
 * TypeScript (18.16 has no row_number()): the k-th highest score and how many reach it, as DuckDB's
 * window query gives them.
 */
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chLiteral } from './clickhouse/format-value.js';
import type { RateCut, RiskListRow, RiskVersionSummary } from './order-risk-list.js';
import { chRiskRow, chUtc, CH_RISK_COLUMNS, type ChRiskRow } from './order-risk-store-clickhouse.js';

export async function chRiskVersionSummary(ch: ClickHouseStore): Promise<RiskVersionSummary> {
  const [r] = await ch.rowsOnFirstShard<{
    v: string | number;
    n: string | number;
    h: string | number;
    at: string;
  }>(
    `SELECT max(model_version) AS v, count() AS n, countIf(held = 1) AS h, toString(max(scored_at)) AS at
     FROM order_risk FINAL WHERE model_version = (SELECT max(model_version) FROM order_risk FINAL)`,
  );
  const n = Number(r?.n ?? 0);
  if (n === 0) return { modelVersion: null, scored: 0, held: 0, scoredAt: null };
  return { modelVersion: Number(r!.v), scored: n, held: Number(r!.h), scoredAt: chUtc(r!.at) };
}

/** One page of a version's rows, highest score first (then order id), with their orders' details. */
export async function chListRiskRows(
  ch: ClickHouseStore,
  modelVersion: number,
  heldOnly: boolean,
  limit: number,
  offset: number,
): Promise<RiskListRow[]> {
  const rows = await ch.rowsOnFirstShard<ChRiskRow>(
    `SELECT ${CH_RISK_COLUMNS} FROM order_risk FINAL
     WHERE model_version = ?${heldOnly ? ' AND held = 1' : ''}
     ORDER BY score DESC, order_id LIMIT ? OFFSET ?`,
    [modelVersion, limit, offset],
  );
  if (!rows.length) return [];
  const orders = await ch.columns(
    `SELECT order_id, customer_id, ordered_at, country, toString(total) AS total FROM orders
     WHERE order_id IN (${rows.map((r) => chLiteral(r.order_id)).join(', ')})`,
    { order_id: 'str', customer_id: 'str', ordered_at: 'ts', country: 'str', total: 'str' },
  );
  const at = new Map<string, number>();
  orders.order_id.forEach((id, i) => at.set(id!, i));
  return rows.map((x) => {
    const { modelVersion: _v, scoredAt: _s, ...stored } = chRiskRow(x);
    const i = at.get(x.order_id);
    return {
      ...stored,
      customerId: i === undefined ? null : orders.customer_id[i]!,
      orderedAt: i === undefined ? null : new Date(orders.ordered_at[i]!),
      country: i === undefined ? null : orders.country[i]!,
      total: i === undefined || orders.total[i] === null ? null : Number(orders.total[i]),
    };
  });
}

/** order-risk-list.ts rateCuts' answer from the version's model scores, ranked here. */
export async function chRateCuts(
  ch: ClickHouseStore,
  modelVersion: number,
  rates: readonly number[],
  ranks: readonly number[],
): Promise<RateCut[]> {
  const scores = (
    await ch.rowsOnFirstShard<{ s: number }>(
      'SELECT model_score AS s FROM order_risk FINAL WHERE model_version = ? ORDER BY model_score DESC',
      [modelVersion],
    )
  ).map((r) => r.s);
  return rates.map((rate, i) => {
    const threshold = scores[ranks[i]! - 1]!;
    let orders = 0;
    while (orders < scores.length && scores[orders]! >= threshold) orders++;
    return { rate, threshold, orders };
  });
}
