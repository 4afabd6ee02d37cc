/**
 * @module features/risk-labels
 * Fraud labels for `train risk --labels FILE|column`, one of two sources:
 *   - a CSV with an order id column and a 0/1 label column, read by DuckDB and matched to the
 *     store's orders. Refuses a file without those columns, a label that is not 0/1 (naming the
 *     line), and a file that matches no order of the store;
 *   - the word `column`: the store's own `orders.fraud_label` (migration 20, imported through an
 *     orders mapping), every order with a label (true = fraud, false = good; empty = not known).
 *     Refuses a column that holds no label, and one whose labels hold no fraud or nothing else.
 * On ClickHouse the file is read by an in-memory DuckDB (the same parsing, checks and messages) and
 * matched against the cluster's order ids; the column is read from the cluster.
 *
 * @example
 *   const l = await readRiskLabels(wh, 'chargebacks.csv'); // order_id,label
 *   l.labels.get('536365'); // 0 or 1
 *   await readRiskLabels(wh, 'column'); // orders.fraud_label
 */
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { literal } from '../warehouse/duckdb/sql-types.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export const LABEL_COLUMNS = ['label', 'is_fraud', 'fraud', 'class'] as const;

/** The `--labels` value that reads the store's column instead of a file. */
export const LABELS_FROM_COLUMN = 'column';
/** Where that value reads from. */
export const FRAUD_LABEL_COLUMN = 'orders.fraud_label';

export interface RiskLabels {
  readonly labels: Map<string, 0 | 1>;
  /** Rows of the file whose order id is not in the store (0 for the column). */
  readonly unmatched: number;
  /** The labels file, or 'orders.fraud_label'. */
  readonly file: string;
}

/** Labels from a CSV file, or from orders.fraud_label when `source` is the word 'column'. */
export async function readRiskLabels(wh: Warehouse, source: string): Promise<RiskLabels> {
  return source === LABELS_FROM_COLUMN ? readRiskLabelColumn(wh) : readRiskLabelFile(wh, source);
}

/** Every order with a fraud_label, in order id order. */
async function readRiskLabelColumn(wh: Warehouse): Promise<RiskLabels> {
  const label = wh instanceof ClickHouseStore ? 'toInt32(fraud_label)' : 'CAST(fraud_label AS INTEGER)';
  const c = await wh.columns(
    `SELECT order_id, ${label} AS label FROM orders WHERE fraud_label IS NOT NULL ORDER BY order_id`,
    { order_id: 'str', label: 'i32' },
  );
  const ids = c.order_id;
  const fraud = c.label.reduce((a, b) => a + b, 0);
  if (c.length === 0) {
    throw new Error(
      `${FRAUD_LABEL_COLUMN} holds no label: import it through an orders mapping (fraud_label: <your column>, ` +
        'true/false or 1/0), or give --labels a CSV file of order_id,label',
    );
  }
  if (fraud === 0 || fraud === c.length) {
    throw new Error(
      `${FRAUD_LABEL_COLUMN}: ${c.length} orders labelled, ${fraud === 0 ? 'none' : 'all'} of them fraud: ` +
        'a supervised model needs known fraud and known good orders',
    );
  }
  const labels = new Map<string, 0 | 1>();
  for (let i = 0; i < c.length; i++) labels.set(ids[i]!, c.label[i] === 1 ? 1 : 0);
  return { labels, unmatched: 0, file: FRAUD_LABEL_COLUMN };
}

async function readRiskLabelFile(wh: Warehouse, file: string): Promise<RiskLabels> {
  if (!(wh instanceof ClickHouseStore)) return labelsFromFile(wh, file, null);
  const ids = await wh.columns('SELECT DISTINCT order_id FROM orders', { order_id: 'str' });
  const reader = await DuckDBWarehouse.open(':memory:');
  try {
    return await labelsFromFile(reader, file, new Set(ids.order_id.map((v) => v!)));
  } finally {
    await reader.close();
  }
}

/**
 * Reads and checks the file with `wh` (DuckDB); an order is known when it is in `orderIds`, or
 * (null) in `wh`'s own orders.
 */
async function labelsFromFile(
  wh: Warehouse,
  file: string,
  orderIds: ReadonlySet<string> | null,
): Promise<RiskLabels> {
  const path = literal(file);
  let header: { column_name: string }[];
  try {
    header = await wh.rows<{ column_name: string }>(
      `DESCRIBE SELECT * FROM read_csv(${path}, all_varchar = true, header = true)`,
    );
  } catch (err) {
    throw new Error(`${file}: cannot read labels file: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  const names = header.map((h) => h.column_name);
  const labelCol = names.find((n) => (LABEL_COLUMNS as readonly string[]).includes(n.toLowerCase()));
  if (!names.includes('order_id') || !labelCol) {
    throw new Error(
      `${file}: a labels file needs columns order_id and one of ${LABEL_COLUMNS.join(', ')} (found ${names.join(', ')})`,
    );
  }
  const src = `(SELECT row_number() OVER () + 1 AS line, order_id, "${labelCol.replaceAll('"', '""')}" AS label
                FROM read_csv(${path}, all_varchar = true, header = true))`;
  const bad = await wh.rows<{ line: number; label: string | null }>(
    `SELECT CAST(line AS INTEGER) AS line, label FROM ${src} WHERE label IS NULL OR trim(label) NOT IN ('0', '1') ORDER BY line LIMIT 1`,
  );
  if (bad.length) {
    throw new Error(
      `${file}:${bad[0]!.line}: column ${labelCol}: expected 0 or 1 (got ${JSON.stringify(bad[0]!.label)})`,
    );
  }
  const rows = (
    await wh.rows<{ order_id: string; label: string; known: boolean }>(
      `SELECT l.order_id, trim(l.label) AS label, o.order_id IS NOT NULL AS known
       FROM ${src} l LEFT JOIN orders o ON o.order_id = l.order_id ORDER BY l.line`,
    )
  ).map((r) => (orderIds ? { ...r, known: orderIds.has(r.order_id) } : r));
  const labels = new Map<string, 0 | 1>();
  let unmatched = 0;
  for (const r of rows) {
    if (r.known) labels.set(r.order_id, r.label === '1' ? 1 : 0);
    else unmatched++;
  }
  if (labels.size === 0) {
    throw new Error(
      `${file}: none of its ${rows.length} order ids is an order of the store` +
        (rows.length ? ` (first: '${rows[0]!.order_id}')` : ''),
    );
  }
  return { labels, unmatched, file };
}
