/**
 * @module server/upserts/order-body
 * The body of `POST /v1/orders` and how it becomes rows of the importer's `order_lines` frame: one
 * row per line with the order's fields repeated, as a shop export has them. An order without
 * `lines` is a status change of a stored order (updateOrderStatus keeps the history point in time).
 *
 * @example
 *   orderRequest({ order_id: 'O1', ordered_at: '2024-05-01T10:00:00Z', lines: [{ product_id: 'P1', quantity: 1, unit_price: 2 }] });
 *   // { kind: 'order', orderId: 'O1', rows: [{ order_id: 'O1', ordered_at: ..., line_no: 1, product_id: 'P1', ... }] }
 */
import { FRAMES } from '../../ingest/frames.js';

/** Order-level fields (the frame's header columns). */
export const ORDER_FIELDS: readonly string[] = FRAMES.order_lines.columns
  .filter((c) => c.header)
  .map((c) => c.name);
/** Line fields an order may carry; catalogue fields (title, category) are the products endpoint's. */
export const LINE_FIELDS: readonly string[] = [
  'line_no',
  'product_id',
  'quantity',
  'unit_price',
  'line_total',
  'discount',
];
/** Lines one order may have. */
export const MAX_ORDER_LINES = 10_000;

export type OrderRequest =
  | { readonly kind: 'order'; readonly orderId: string; readonly rows: Record<string, unknown>[] }
  | {
      readonly kind: 'status';
      readonly orderId: string;
      readonly status: unknown;
      readonly changedAt: unknown;
    }
  | { readonly kind: 'invalid'; readonly field: string; readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function orderRequest(body: unknown): OrderRequest {
  const invalid = (field: string, reason: string): OrderRequest => ({ kind: 'invalid', field, reason });
  if (!isObject(body)) return invalid('', 'the body must be a JSON object (an order)');
  const orderId = body['order_id'];
  if (typeof orderId !== 'string' && typeof orderId !== 'number')
    return invalid('order_id', 'order_id is required');
  const extra = Object.keys(body).filter((k) => k !== 'lines' && !ORDER_FIELDS.includes(k));
  if (extra.length)
    return invalid(
      extra[0]!,
      `unknown field '${extra[0]}'; an order has ${[...ORDER_FIELDS, 'lines'].join(', ')}`,
    );
  const lines = body['lines'];
  if (lines === undefined) {
    if (body['status'] === undefined)
      return invalid('lines', 'an order needs lines (or, to change a stored order, a status)');
    const others = Object.keys(body).filter((k) => !['order_id', 'status', 'status_changed_at'].includes(k));
    if (others.length)
      return invalid(
        others[0]!,
        `a status change takes order_id, status and status_changed_at only; send lines to replace the order`,
      );
    return {
      kind: 'status',
      orderId: String(orderId),
      status: body['status'],
      changedAt: body['status_changed_at'],
    };
  }
  if (!Array.isArray(lines) || lines.length === 0) return invalid('lines', 'lines must be a non-empty array');
  if (lines.length > MAX_ORDER_LINES)
    return invalid('lines', `an order has at most ${MAX_ORDER_LINES} lines`);
  const header = Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'lines'));
  const rows: Record<string, unknown>[] = [];
  for (const [i, line] of lines.entries()) {
    if (!isObject(line)) return invalid(`lines[${i}]`, 'a line must be a JSON object');
    const unknown = Object.keys(line).find((k) => !LINE_FIELDS.includes(k));
    if (unknown)
      return invalid(
        `lines[${i}].${unknown}`,
        `unknown field '${unknown}'; a line has ${LINE_FIELDS.join(', ')}`,
      );
    rows.push({ ...header, line_no: i + 1, ...line });
  }
  return { kind: 'order', orderId: String(orderId), rows };
}

/** The request field a quarantined row's column stands for: `ordered_at`, or `lines[1].unit_price`. */
export function orderFieldOf(line: number, column: string | null): string {
  if (column === null) return `lines[${line - 1}]`;
  return ORDER_FIELDS.includes(column) ? column : `lines[${line - 1}].${column}`;
}
