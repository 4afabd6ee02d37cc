/**
 * @module warehouse/predictions-store
 * The SQL behind the `customer_predictions` table (migrations 2 and 4): replace the whole scoring in one
 * transaction, read it back for printing and the API. On a ClickHouse cluster (no transactions) each
 * function hands over to predictions-store-clickhouse.ts, which keeps the same rows.
 *
 * @example
 *   await replaceCustomerPredictions(wh, rows);
 *   await readCustomerPredictions(wh, { limit: 20 }); // highest churn probability first
 */
import type { CustomerPrediction } from '../schema/predictions.js';
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import {
  chCountCustomerPredictions,
  chReadCustomerPredictions,
  chReplaceCustomerPredictions,
} from './predictions-store-clickhouse.js';
import type { SqlValue, Warehouse } from './warehouse.js';

const COLUMNS = [
  'customer_id',
  'as_of',
  'churn_probability',
  'churn_risk',
  'churn_horizon_days',
  'purchase_probability',
  'purchase_horizon_days',
  'p_alive',
  'p_alive_unavailable',
  'purchase_model',
  'expected_orders_365d',
  'expected_spend_365d',
  'clv_365d',
  'spend_tier',
  'next_order_at',
  'churn_reasons',
  'purchase_reasons',
  'models',
  'predicted_at',
] as const satisfies readonly (keyof CustomerPrediction)[];

const JSON_COLUMNS = new Set<string>(['churn_reasons', 'purchase_reasons', 'models']);
/** Rows per INSERT statement: 19 placeholders each keeps a statement well under DuckDB's limits. */
const BATCH = 500;

function values(p: CustomerPrediction): SqlValue[] {
  return COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? JSON.stringify(p[c]) : (p[c] as SqlValue)));
}

/** Deletes every stored prediction and inserts `rows`, atomically. */
export async function replaceCustomerPredictions(
  wh: Warehouse,
  rows: readonly CustomerPrediction[],
): Promise<void> {
  if (wh instanceof ClickHouseStore) return chReplaceCustomerPredictions(wh, rows);
  const one = `(${COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? '?::JSON' : '?')).join(', ')})`;
  await wh.transaction(async () => {
    await wh.exec('DELETE FROM customer_predictions');
    for (let i = 0; i < rows.length; i += BATCH) {
      const part = rows.slice(i, i + BATCH);
      await wh.exec(
        `INSERT INTO customer_predictions (${COLUMNS.join(', ')}) VALUES ${part.map(() => one).join(', ')}`,
        part.flatMap(values),
      );
    }
  });
}

export interface ReadPredictionsOptions {
  /** At most this many rows (default all). */
  readonly limit?: number;
  /** Sort key, descending (default churn_probability). */
  readonly orderBy?: 'churn_probability' | 'purchase_probability' | 'clv_365d' | 'customer_id';
  /** Only this customer's row (a profile reads one). */
  readonly customerId?: string;
}

type StoredRow = Omit<CustomerPrediction, 'churn_reasons' | 'purchase_reasons' | 'models'> & {
  churn_reasons: string;
  purchase_reasons: string;
  models: string;
};

export async function readCustomerPredictions(
  wh: Warehouse,
  options: ReadPredictionsOptions = {},
): Promise<CustomerPrediction[]> {
  const order = options.orderBy ?? 'churn_probability';
  const limit = options.limit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`limit must be a whole number >= 0, got ${limit}`);
  }
  if (wh instanceof ClickHouseStore) return chReadCustomerPredictions(wh, options, limit);
  const rows = await wh.rows<StoredRow>(
    `SELECT ${COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? `${c}::VARCHAR AS ${c}` : c)).join(', ')}
     FROM customer_predictions
     ${options.customerId !== undefined ? 'WHERE customer_id = ?' : ''}
     ORDER BY ${order} ${order === 'customer_id' ? 'ASC' : 'DESC'}, customer_id
     ${limit !== undefined ? `LIMIT ${limit}` : ''}`,
    options.customerId !== undefined ? [options.customerId] : [],
  );
  return rows.map((r) => ({
    ...r,
    churn_reasons: JSON.parse(r.churn_reasons) as string[],
    purchase_reasons: JSON.parse(r.purchase_reasons) as string[],
    models: JSON.parse(r.models) as Record<string, string>,
  }));
}

/** How many customers have a stored prediction (0: nobody was scored yet). */
export async function countCustomerPredictions(wh: Warehouse): Promise<number> {
  if (wh instanceof ClickHouseStore) return chCountCustomerPredictions(wh);
  const [row] = await wh.rows<{ n: number }>('SELECT count(*) AS n FROM customer_predictions');
  return row?.n ?? 0;
}
