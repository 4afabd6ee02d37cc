/**
 * @module warehouse/order-risk-columns
 * The scores of a `risk score` run as columns, and those columns under their `order_risk` names: the
 * one list both engines write (order-risk-store.ts stages it in DuckDB, order-risk-store-clickhouse.ts
 * sends it as TSV; each adds the model version and time its own way).
 */

/**
 * Scores of many orders by one model version at one time, column by column (what a `risk score`
 * writes): no object per order.
 */
export interface OrderRiskColumns {
  readonly orderIds: readonly string[];
  readonly score: Float64Array;
  readonly modelScore: Float64Array;
  readonly action: readonly ('hold' | 'allow' | null)[];
  readonly held: readonly boolean[];
  /** Per order, the JSON text of its reasons (tasks/risk/score.ts builds it where they are made). */
  readonly reasonsJson: readonly string[];
  /** Per order, the JSON text of the names of the rules that fired. */
  readonly rulesHitJson: readonly string[];
  readonly modelVersion: number;
  readonly scoredAt: Date;
}

/** The per-order columns by their `order_risk` column names (both engines' writers match by name). */
export function orderRiskWriteColumns(c: OrderRiskColumns) {
  return {
    order_id: c.orderIds,
    score: c.score,
    model_score: c.modelScore,
    action: c.action,
    held: c.held,
    reasons: c.reasonsJson,
    rules_hit: c.rulesHitJson,
  };
}
