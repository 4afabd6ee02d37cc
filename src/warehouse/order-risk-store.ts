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

const BATCH = 20_000;

export interface WriteOrderRiskOptions {
  /** The rows are every order of the store: the table is emptied first (stale rows go too). */
  readonly replaceAll?: boolean;
}

/**
 * Stores the rows, replacing those of the same orders. Deleting then inserting plainly, rather than
 * INSERT OR REPLACE, and sending reasons as JSON values rather than strings to cast: the conflict
 * checks and casts made the write about five times slower (measured on 200,000 rows).
 */
export async function writeOrderRisk(
  wh: Warehouse,
  rows: readonly OrderRiskRow[],
  options: WriteOrderRiskOptions = {},
): Promise<void> {
  await wh.transaction(async () => {
    if (options.replaceAll) await wh.exec('DELETE FROM order_risk');
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      if (!options.replaceAll) {
        await wh.exec(
          `DELETE FROM order_risk WHERE order_id IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')))`,
          [JSON.stringify(batch.map((r) => r.orderId))],
        );
      }
      const json = JSON.stringify(
        batch.map((r) => ({
          order_id: r.orderId,
          score: r.score,
          model_score: r.modelScore,
          action: r.action,
          held: r.held,
          reasons: r.reasons,
          rules_hit: r.rulesHit,
          model_version: r.modelVersion,
          scored_at: r.scoredAt.toISOString(),
        })),
      );
      await wh.exec(
        `INSERT INTO order_risk
           (order_id, score, model_score, action, held, reasons, model_version, scored_at, rules_hit)
         SELECT order_id, score, model_score, action, held, reasons, model_version,
                CAST(left(scored_at, 23) AS TIMESTAMP), rules_hit
         FROM (SELECT unnest(from_json($1::VARCHAR, '[{"order_id":"VARCHAR","score":"DOUBLE","model_score":"DOUBLE",
               "action":"VARCHAR","held":"BOOLEAN","reasons":"JSON","rules_hit":"JSON","model_version":"INTEGER","scored_at":"VARCHAR"}]'),
               recursive := true))`,
        [json],
      );
    }
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
