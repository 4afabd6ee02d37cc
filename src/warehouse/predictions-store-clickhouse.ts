/**
 * @module warehouse/predictions-store-clickhouse
 * The `customer_predictions` table on a ClickHouse cluster (clickhouse/schema.ts): the same rows
 * as predictions-store.ts keeps in DuckDB, written and read back unchanged.
 *
 * Replacing a whole scoring without transactions: every scoring has an id (its start instant, then
 * random hex, so ids sort by time). Its rows go into the sharded `customer_predictions` (sharded by
 * customer, like every per-customer table); only once every shard holds them
 * (`insert_distributed_sync=1`) is the id logged in `prediction_scorings` on every node. Readers
 * take the latest logged id and read its rows only, so they see the previous scoring whole until
 * the new one is whole; a scoring that fails part-way is never logged, never read. Older scorings'
 * rows are then deleted (an asynchronous mutation on 18.16: readers never see them meanwhile).
 *
 * Numbers: 18.16 parses some Float64 texts one unit in the last place off (2 of 20,000 random
 * doubles here), so probabilities and values are stored as their exact JavaScript text (String) and
 * read back with Number(): the same doubles DuckDB returns. Sorting casts them (toFloat64).
 * `predicted_at` keeps its milliseconds as epoch ms (18.16 has no DateTime64); as_of and
 * next_order_at are whole days, stored as DateTime('UTC').
 */
import { randomBytes } from 'node:crypto';
import type { CustomerPrediction } from '../schema/predictions.js';
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import type { ReadPredictionsOptions } from './predictions-store.js';

/** Stored as exact text (see the module comment). */
const NUMBER_COLUMNS = [
  'churn_probability',
  'purchase_probability',
  'p_alive',
  'expected_orders_365d',
  'expected_spend_365d',
  'clv_365d',
] as const;

/** A DateTime('UTC') as JSONEachRow prints it ('YYYY-MM-DD hh:mm:ss'). */
const utc = (s: string): Date => new Date(`${s.replace(' ', 'T')}Z`);
const text = (v: number | null): string | null => (v === null ? null : String(v));

/** The id of the latest complete scoring, or null when none was stored. */
async function currentScoring(ch: ClickHouseStore): Promise<string | null> {
  const [row] = await ch.rows<{ scoring: string }>(
    'SELECT scoring FROM prediction_scorings ORDER BY scoring DESC LIMIT 1',
  );
  return row?.scoring ?? null;
}

/** Stores `rows` as a new scoring, makes it the one read, and deletes the older ones. */
export async function chReplaceCustomerPredictions(
  ch: ClickHouseStore,
  rows: readonly CustomerPrediction[],
): Promise<void> {
  const scoring = `${new Date().toISOString()}-${randomBytes(6).toString('hex')}`;
  if (rows.length) {
    const pick = <K extends keyof CustomerPrediction>(k: K): CustomerPrediction[K][] => rows.map((r) => r[k]);
    const numbers = Object.fromEntries(NUMBER_COLUMNS.map((c) => [c, rows.map((r) => text(r[c]))])) as Record<
      (typeof NUMBER_COLUMNS)[number],
      (string | null)[]
    >;
    await ch.append('customer_predictions', {
      scoring: rows.map(() => scoring),
      customer_id: pick('customer_id'),
      as_of: pick('as_of'),
      ...numbers,
      churn_risk: pick('churn_risk'),
      churn_horizon_days: Float64Array.from(rows, (r) => r.churn_horizon_days),
      purchase_horizon_days: Float64Array.from(rows, (r) => r.purchase_horizon_days),
      p_alive_unavailable: pick('p_alive_unavailable'),
      purchase_model: pick('purchase_model'),
      spend_tier: pick('spend_tier'),
      next_order_at: pick('next_order_at'),
      churn_reasons: rows.map((r) => JSON.stringify(r.churn_reasons)),
      purchase_reasons: rows.map((r) => JSON.stringify(r.purchase_reasons)),
      models: rows.map((r) => JSON.stringify(r.models)),
      predicted_at_ms: Float64Array.from(rows, (r) => r.predicted_at.getTime()),
    });
  }
  await ch.execOnEachNode('INSERT INTO prediction_scorings (scoring, finished_at, rows) VALUES (?, ?, ?)', [
    scoring,
    new Date(),
    rows.length,
  ]);
  await ch.execOnEachNode('ALTER TABLE customer_predictions_local DELETE WHERE scoring != ?', [scoring]);
}

type StoredRow = Record<(typeof NUMBER_COLUMNS)[number], string | null> & {
  customer_id: string;
  as_of: string;
  churn_risk: CustomerPrediction['churn_risk'];
  churn_horizon_days: number;
  purchase_horizon_days: number;
  p_alive_unavailable: string | null;
  purchase_model: CustomerPrediction['purchase_model'];
  spend_tier: CustomerPrediction['spend_tier'];
  next_order_at: string | null;
  churn_reasons: string;
  purchase_reasons: string;
  models: string;
  predicted_at_ms: number;
};

const SORTS: Record<NonNullable<ReadPredictionsOptions['orderBy']>, string> = {
  churn_probability: 'toFloat64(churn_probability) DESC',
  purchase_probability: 'toFloat64(purchase_probability) DESC',
  clv_365d: 'toFloat64(clv_365d) DESC',
  customer_id: 'customer_id ASC',
};

/** The latest scoring's rows, as readCustomerPredictions gives them on DuckDB. */
export async function chReadCustomerPredictions(
  ch: ClickHouseStore,
  options: ReadPredictionsOptions,
  limit: number | undefined,
): Promise<CustomerPrediction[]> {
  const scoring = await currentScoring(ch);
  if (scoring === null) return [];
  const rows = await ch.rows<StoredRow>(
    `SELECT customer_id, toString(as_of) AS as_of, ${NUMBER_COLUMNS.join(', ')}, churn_risk,
            churn_horizon_days, purchase_horizon_days, p_alive_unavailable, purchase_model, spend_tier,
            toString(next_order_at) AS next_order_at, churn_reasons, purchase_reasons, models, predicted_at_ms
     FROM customer_predictions
     WHERE scoring = ? ${options.customerId !== undefined ? 'AND customer_id = ?' : ''}
     ORDER BY ${SORTS[options.orderBy ?? 'churn_probability']}, customer_id
     ${limit !== undefined ? `LIMIT ${limit}` : ''}`,
    options.customerId !== undefined ? [scoring, options.customerId] : [scoring],
  );
  return rows.map((r) => ({
    customer_id: r.customer_id,
    as_of: utc(r.as_of),
    churn_probability: Number(r.churn_probability),
    churn_risk: r.churn_risk,
    churn_horizon_days: Number(r.churn_horizon_days),
    purchase_probability: Number(r.purchase_probability),
    purchase_horizon_days: Number(r.purchase_horizon_days),
    p_alive: r.p_alive === null ? null : Number(r.p_alive),
    p_alive_unavailable: r.p_alive_unavailable,
    purchase_model: r.purchase_model,
    expected_orders_365d: Number(r.expected_orders_365d),
    expected_spend_365d: Number(r.expected_spend_365d),
    clv_365d: Number(r.clv_365d),
    spend_tier: r.spend_tier,
    next_order_at: r.next_order_at === null ? null : utc(r.next_order_at),
    churn_reasons: JSON.parse(r.churn_reasons) as string[],
    purchase_reasons: JSON.parse(r.purchase_reasons) as string[],
    models: JSON.parse(r.models) as Record<string, string>,
    predicted_at: new Date(Number(r.predicted_at_ms)),
  }));
}

/** How many customers the latest scoring holds (0: nobody was scored yet). */
export async function chCountCustomerPredictions(ch: ClickHouseStore): Promise<number> {
  const scoring = await currentScoring(ch);
  if (scoring === null) return 0;
  const [row] = await ch.rows<{ n: number }>(
    'SELECT count() AS n FROM customer_predictions WHERE scoring = ?',
    [scoring],
  );
  return Number(row?.n ?? 0);
}
