/**
 * @module warehouse/order-risk-store
 * The SQL behind the `order_risk` table (migration 12, rules_hit 15): risk scores per order with
 * the model version that produced them. Writing replaces the rows of the orders scored again.
 */
import type { Warehouse } from './warehouse.js';

export interface OrderRiskRow {
  readonly orderId: string;
  readonly score: number;
  readonly modelScore: number;
  readonly action: 'hold' | 'allow' | null;
  /** At or above the model's review threshold, or held by a rule. */
  readonly held: boolean;
  readonly reasons: readonly string[];
  /** Names of the merchant rules that fired (null: scored before migration 15 recorded them). */
  readonly rulesHit: readonly string[] | null;
  readonly modelVersion: number;
  readonly scoredAt: Date;
}

/** Orders per DELETE of the rows scored again (their ids sent as one JSON list). */
const BATCH = 20_000;

export interface WriteOrderRiskOptions {
  /** The rows are every order of the store: the table is emptied first (stale rows go too). */
  readonly replaceAll?: boolean;
}

/**
 * Stores the rows, replacing those of the same orders, in one transaction: the rows of the orders
 * scored again are deleted, then every row is appended in bulk (Warehouse.append, DuckDB's
 * appender; INSERT OR REPLACE with casts was five times slower than a plain delete and insert, and
 * the insert of the rows as JSON values 1.5 times slower than the appender, measured on 200,000 rows).
 */
export async function writeOrderRisk(
  wh: Warehouse,
  rows: readonly OrderRiskRow[],
  options: WriteOrderRiskOptions = {},
): Promise<void> {
  await wh.transaction(async () => {
    if (options.replaceAll) await wh.exec('DELETE FROM order_risk');
    else {
      for (let i = 0; i < rows.length; i += BATCH) {
        await wh.exec(
          `DELETE FROM order_risk WHERE order_id IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')))`,
          [JSON.stringify(rows.slice(i, i + BATCH).map((r) => r.orderId))],
        );
      }
    }
    await wh.append('order_risk', {
      order_id: rows.map((r) => r.orderId),
      score: Float64Array.from(rows, (r) => r.score),
      model_score: Float64Array.from(rows, (r) => r.modelScore),
      action: rows.map((r) => r.action),
      held: rows.map((r) => r.held),
      reasons: rows.map((r) => JSON.stringify(r.reasons)),
      model_version: Int32Array.from(rows, (r) => r.modelVersion),
      scored_at: rows.map((r) => r.scoredAt),
      rules_hit: rows.map((r) => (r.rulesHit === null ? null : JSON.stringify(r.rulesHit))),
    });
  });
}

type StoredRow = {
  order_id: string;
  score: number;
  model_score: number;
  action: 'hold' | 'allow' | null;
  held: boolean;
  reasons: string;
  rules_hit: string | null;
  model_version: number;
  scored_at: Date;
};

export async function readOrderRisk(wh: Warehouse, orderId: string): Promise<OrderRiskRow | null> {
  const r = await wh.rows<StoredRow>(
    `SELECT order_id, score, model_score, action, held, reasons::VARCHAR AS reasons,
            rules_hit::VARCHAR AS rules_hit, model_version, scored_at
     FROM order_risk WHERE order_id = ?`,
    [orderId],
  );
  const x = r[0];
  if (!x) return null;
  return {
    orderId: x.order_id,
    score: x.score,
    modelScore: x.model_score,
    action: x.action,
    held: x.held,
    reasons: JSON.parse(x.reasons) as string[],
    rulesHit: x.rules_hit === null ? null : (JSON.parse(x.rules_hit) as string[]),
    modelVersion: x.model_version,
    scoredAt: x.scored_at,
  };
}

export async function orderExists(wh: Warehouse, orderId: string): Promise<boolean> {
  return (await wh.rows('SELECT 1 FROM orders WHERE order_id = ?', [orderId])).length > 0;
}
