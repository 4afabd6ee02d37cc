/**
 * @module warehouse/order-risk-store
 * The SQL behind the `order_risk` table (migration 12, rules_hit 15, no primary key since 22): risk
 * scores per order with the model version that produced them. Writing replaces the rows of the
 * orders scored again. On ClickHouse the table is on shard 1 (order-risk-store-clickhouse.ts).
 */
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { orderRiskWriteColumns, type OrderRiskColumns } from './order-risk-columns.js';
import { chReadOrderRisk, chWriteOrderRisk } from './order-risk-store-clickhouse.js';
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

/**
 * Stores the scores, replacing the rows of the same orders, in one transaction. The columns go by
 * DuckDB's appender in data chunks (warehouse/duckdb/append-columns.ts) into a temporary staging
 * table without constraints; then the rows they replace are deleted (replaceAll: every row) and the
 * staged rows inserted with the model version and time. Since migration 22 order_risk has no
 * primary key: on 1,000,000 rows (under load 18, CPU-s) an INSERT into the keyed table took 5.4,
 * sorted by order_id 2.3, without the key 0.3. One row per order is kept by this delete-then-insert,
 * the table's only writer (order-risk-store.test.ts).
 */
export async function writeOrderRisk(
  wh: Warehouse,
  c: OrderRiskColumns,
  options: WriteOrderRiskOptions = {},
): Promise<void> {
  if (wh instanceof ClickHouseStore) return chWriteOrderRisk(wh, c, options);
  await wh.transaction(async () => {
    await wh.exec(`CREATE OR REPLACE TEMP TABLE order_risk_stage (order_id VARCHAR, score DOUBLE,
      model_score DOUBLE, action VARCHAR, held BOOLEAN, reasons VARCHAR, rules_hit VARCHAR)`);
    await wh.append('order_risk_stage', orderRiskWriteColumns(c));
    await wh.exec(
      options.replaceAll
        ? 'DELETE FROM order_risk'
        : 'DELETE FROM order_risk WHERE order_id IN (SELECT order_id FROM order_risk_stage)',
    );
    await wh.exec(
      `INSERT INTO order_risk (order_id, score, model_score, action, held, reasons, model_version, scored_at, rules_hit)
       SELECT order_id, score, model_score, action, held, reasons, ?, CAST(? AS TIMESTAMP), rules_hit
       FROM order_risk_stage`,
      [c.modelVersion, c.scoredAt],
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
  if (wh instanceof ClickHouseStore) return chReadOrderRisk(wh, orderId);
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
