/**
 * @module warehouse/order-risk-list
 * Reading the stored `order_risk` rows as a merchant reviews them (the dashboard's Risk page,
 * `GET /v1/risk/orders` and `GET /v1/risk/review-rates`): the rows of the newest model version that
 * scored any order, riskiest first, paged, with the order's time, customer, country and value; and
 * the score at which a given share of those orders would be held.
 *
 * Only the newest version's rows: `risk score --since` rescoring part of the store with a new model
 * leaves older rows of another version, whose scores are not on the same scale.
 *
 * On ClickHouse the same answers come from order-risk-list-clickhouse.ts (the scores on shard 1).
 */
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chListRiskRows, chRateCuts, chRiskVersionSummary } from './order-risk-list-clickhouse.js';
import type { OrderRiskRow } from './order-risk-store.js';
import type { Warehouse } from './warehouse.js';

export const MAX_RISK_PAGE_SIZE = 100;

export interface RiskListOptions {
  /** 1-based (default 1). */
  readonly page?: number;
  /** Default 20, at most MAX_RISK_PAGE_SIZE. */
  readonly pageSize?: number;
  /** Only the orders held (at or above the threshold, or by a hold rule). */
  readonly heldOnly?: boolean;
}

/** A stored row (without its version and time: the page's) and the order it scores. */
export interface RiskListRow extends Omit<OrderRiskRow, 'modelVersion' | 'scoredAt'> {
  readonly customerId: string | null;
  readonly orderedAt: Date | null;
  readonly country: string | null;
  readonly total: number | null;
}

export interface RiskVersionSummary {
  /** The newest model version with stored rows (null: nothing scored yet). */
  readonly modelVersion: number | null;
  /** Rows of that version, and how many of them are held. */
  readonly scored: number;
  readonly held: number;
  /** When the newest of those rows was written. */
  readonly scoredAt: Date | null;
}

export interface RiskListPage extends RiskVersionSummary {
  /** Rows matching the filter (every scored row, or the held ones). */
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly orders: readonly RiskListRow[];
}

export async function riskVersionSummary(wh: Warehouse): Promise<RiskVersionSummary> {
  if (wh instanceof ClickHouseStore) return chRiskVersionSummary(wh);
  const [r] = await wh.rows<{ v: number | null; n: bigint | number; h: bigint | number; at: Date | null }>(
    `SELECT max(model_version) AS v, count(*) AS n, count(*) FILTER (WHERE held) AS h, max(scored_at) AS at
     FROM order_risk WHERE model_version = (SELECT max(model_version) FROM order_risk)`,
  );
  return {
    modelVersion: r?.v ?? null,
    scored: Number(r?.n ?? 0),
    held: Number(r?.h ?? 0),
    scoredAt: r?.at ?? null,
  };
}

function pageNumber(v: number | undefined, fallback: number, name: string, max = Infinity): number {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < 1 || x > max) {
    throw new RangeError(`${name}: a whole number from 1${max < Infinity ? ` to ${max}` : ''} (got ${x})`);
  }
  return x;
}

/** One page of the newest version's rows, highest score first (then order id, so pages are stable). */
export async function listOrderRisk(wh: Warehouse, options: RiskListOptions = {}): Promise<RiskListPage> {
  const page = pageNumber(options.page, 1, 'page');
  const pageSize = pageNumber(options.pageSize, 20, 'pageOfsize', MAX_RISK_PAGE_SIZE);
  const summary = await riskVersionSummary(wh);
  if (summary.modelVersion === null) return { ...summary, total: 0, page, pageSize, orders: [] };
  const pageOf = {
    ...summary,
    total: options.heldOnly ? summary.held : summary.scored,
    page,
    pageSize,
  };
  if (wh instanceof ClickHouseStore) {
    const offset = (page - 1) * pageSize;
    const orders = await chListRiskRows(
      wh,
      summary.modelVersion,
      options.heldOnly ?? false,
      pageSize,
      offset,
    );
    return { ...pageOf, orders };
  }
  const where = `r.model_version = ?${options.heldOnly ? ' AND r.held' : ''}`;
  const rows = await wh.rows<{
    order_id: string;
    customer_id: string | null;
    ordered_at: Date | null;
    country: string | null;
    total: number | null;
    score: number;
    model_score: number;
    action: 'hold' | 'allow' | null;
    held: boolean;
    reasons: string;
    rules_hit: string | null;
  }>(
    `SELECT r.order_id, o.customer_id, o.ordered_at, o.country, CAST(o.total AS DOUBLE) AS total,
            r.score, r.model_score, r.action, r.held, r.reasons::VARCHAR AS reasons,
            r.rules_hit::VARCHAR AS rules_hit
     FROM order_risk r LEFT JOIN orders o USING (order_id)
     WHERE ${where}
     ORDER BY r.score DESC, r.order_id
     LIMIT ? OFFSET ?`,
    [summary.modelVersion, pageSize, (page - 1) * pageSize],
  );
  return {
    ...pageOf,
    orders: rows.map((x) => ({
      orderId: x.order_id,
      customerId: x.customer_id,
      orderedAt: x.ordered_at,
      country: x.country,
      total: x.total,
      score: x.score,
      modelScore: x.model_score,
      action: x.action,
      held: x.held,
      reasons: JSON.parse(x.reasons) as string[],
      rulesHit: x.rules_hit === null ? null : (JSON.parse(x.rules_hit) as string[]),
    })),
  };
}

export interface RateCut {
  readonly rate: number;
  /** The model score of the order at that rank: orders at or above it make the share. */
  readonly threshold: number;
  /** Stored orders whose model score is at or above the threshold (ties can add a few). */
  readonly orders: number;
}

/**
 * For each review rate, the model score of the order at rank max(1, round(rate x n)) among the
 * newest version's n rows (highest first), and how many rows reach it: the cut a merchant holding
 * that share would make on the scored orders. Model scores, not final scores: merchant rules move
 * single orders, the share is the model's.
 */
export async function rateCuts(
  wh: Warehouse,
  modelVersion: number,
  scored: number,
  rates: readonly number[],
): Promise<RateCut[]> {
  if (scored === 0) return [];
  const ranks = rates.map((r) => Math.min(scored, Math.max(1, Math.round(r * scored))));
  if (wh instanceof ClickHouseStore) return chRateCuts(wh, modelVersion, rates, ranks);
  const rows = await wh.rows<{ k: bigint | number; s: number; n: bigint | number }>(
    `WITH ranked AS (
       SELECT model_score, row_number() OVER (ORDER BY model_score DESC) AS k
       FROM order_risk WHERE model_version = ?
     ), cut AS (SELECT k, model_score AS s FROM ranked WHERE k IN (SELECT unnest(from_json(?::VARCHAR, '["BIGINT"]'))))
     SELECT cut.k, cut.s, (SELECT count(*) FROM ranked WHERE ranked.model_score >= cut.s) AS n FROM cut`,
    [modelVersion, JSON.stringify(ranks)],
  );
  const byRank = new Map(rows.map((r) => [Number(r.k), r]));
  return rates.map((rate, i) => {
    const r = byRank.get(ranks[i]!)!;
    return { rate, threshold: r.s, orders: Number(r.n) };
  });
}
