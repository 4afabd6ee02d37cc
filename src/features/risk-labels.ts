/**
 * @module features/risk-labels
 * Fraud labels for `train risk --labels FILE`: a CSV with an order id column and a 0/1 label
 * column, read by DuckDB and matched to the store's orders. Refuses a file without those columns,
 * a label that is not 0/1 (naming the line), and a file that matches no order of the store.
 *
 * @example
 *   const l = await readRiskLabels(wh, 'chargebacks.csv'); // order_id,label
 *   l.labels.get('536365'); // 0 or 1
 */
import type { Warehouse } from '../warehouse/warehouse.js';

export const LABEL_COLUMNS = ['label', 'is_fraud', 'fraud', 'class'] as const;

export interface RiskLabels {
  readonly labels: Map<string, 0 | 1>;
  /** Rows of the file whose order id is not in the store. */
  readonly unmatched: number;
  readonly file: string;
}

export async function readRiskLabels(wh: Warehouse, file: string): Promise<RiskLabels> {
  const path = file.replaceAll("'", "''");
  let header: { column_name: string }[];
  try {
    header = await wh.rows<{ column_name: string }>(
      `DESCRIBE SELECT * FROM read_csv('${path}', all_varchar = true, header = true)`,
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
                FROM read_csv('${path}', all_varchar = true, header = true))`;
  const bad = await wh.rows<{ line: number; label: string | null }>(
    `SELECT CAST(line AS INTEGER) AS line, label FROM ${src} WHERE label IS NULL OR trim(label) NOT IN ('0', '1') ORDER BY line LIMIT 1`,
  );
  if (bad.length) {
    throw new Error(
      `${file}:${bad[0]!.line}: column ${labelCol}: expected 0 or 1 (got ${JSON.stringify(bad[0]!.label)})`,
    );
  }
  const rows = await wh.rows<{ order_id: string; label: string; known: boolean }>(
    `SELECT l.order_id, trim(l.label) AS label, o.order_id IS NOT NULL AS known
     FROM ${src} l LEFT JOIN orders o ON o.order_id = l.order_id ORDER BY l.line`,
  );
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
