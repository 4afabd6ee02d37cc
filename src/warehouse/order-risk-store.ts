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

export interface WriteOrderRiskOptions {
  /** The rows are every order of the store: rows of orders not among them are deleted (stale rows go too). */
  readonly replaceAll?: boolean;
}

/** Every column, in the table's order (the staging table is made from it). */
const COLUMNS = 'order_id, score, model_score, action, held, reasons, model_version, scored_at, rules_hit';
const SET_COLUMNS = COLUMNS.split(', ')
  .slice(1)
  .map((c) => `${c} = s.${c}`)
  .join(', ');

/** The rows as order_risk's columns, for the appender (reasons and rules as JSON text). */
export function orderRiskColumns(rows: readonly OrderRiskRow[]): Parameters<Warehouse['append']>[1] {
  return {
    order_id: rows.map((r) => r.orderId),
    score: Float64Array.from(rows, (r) => r.score),
    model_score: Float64Array.from(rows, (r) => r.modelScore),
    action: rows.map((r) => r.action),
    held: rows.map((r) => r.held),
    reasons: rows.map((r) => JSON.stringify(r.reasons)),
    model_version: Int32Array.from(rows, (r) => r.modelVersion),
    scored_at: rows.map((r) => r.scoredAt),
    rules_hit: rows.map((r) => (r.rulesHit === null ? null : JSON.stringify(r.rulesHit))),
  };
}

/**
 * Stores the rows, replacing those of the same orders, in one transaction. The rows go by DuckDB's
 * appender into a temporary staging table with order_risk's columns but no key, then three
 * set-based statements: the stale rows are deleted (replaceAll: every stored order not among the
 * rows), the orders stored already are updated in place, the others inserted. Deleting the rows
 * scored again and appending them into the keyed table made the primary key index hold each id
 * twice within the transaction: on 300,000 rows already stored (under load 17-19), delete + append
 * took 4.6 CPU-s, stage + delete + update + insert 1.4 (order_id is the key, and an UPDATE that
 * leaves it alone never touches the index).
 */
export async function writeOrderRisk(
  wh: Warehouse,
  rows: readonly OrderRiskRow[],
  options: WriteOrderRiskOptions = {},
): Promise<void> {
  await wh.transaction(async () => {
    await wh.exec('CREATE OR REPLACE TEMP TABLE order_risk_stage AS SELECT * FROM order_risk LIMIT 0');
    await wh.append('order_risk_stage', orderRiskColumns(rows));
    if (options.replaceAll) {
      await wh.exec(
        `DELETE FROM order_risk WHERE NOT EXISTS (SELECT 1 FROM order_risk_stage s WHERE s.order_id = order_risk.order_id)`,
      );
    }
    await wh.exec(
      `UPDATE order_risk SET ${SET_COLUMNS} FROM order_risk_stage s WHERE order_risk.order_id = s.order_id`,
    );
    await wh.exec(
      `INSERT INTO order_risk (${COLUMNS}) SELECT ${COLUMNS} FROM order_risk_stage s
       WHERE NOT EXISTS (SELECT 1 FROM order_risk r WHERE r.order_id = s.order_id)`,
    );
    await wh.exec('DROP TABLE order_risk_stage');
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
