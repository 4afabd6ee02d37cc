/**
 * @module ingest/frames
 * A frame is the shape a source row is read into before it lands in the canonical tables.
 * Most frames are one canonical table each (a `products.csv` fills `products`); `order_lines` is the
 * denormalised shape most shop exports use (one line item per row, order and product fields
 * repeated), from which orders, order_items, customers and products are all derived.
 *
 * @example
 *   FRAMES.order_lines.columns.find((c) => c.name === 'quantity'); // { type: 'number', required: true, ... }
 */
import { TABLES, type CanonicalTable, type ColumnDef, type ColumnType } from '../schema/tables.js';

/** The status history is written from the orders' status and status_changed_at, not read as a file. */
export type FrameName = Exclude<CanonicalTable, 'quarantine' | 'order_status_history'> | 'order_lines';

export interface FrameColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly required: boolean;
  /** Part of the order header (order_lines only): a bad value here rejects the whole order, not just the line. */
  readonly header?: boolean;
  readonly doc: string;
}

export interface FrameDef {
  readonly name: FrameName;
  readonly columns: readonly FrameColumn[];
  /** Columns that identify a row within one file (duplicates by key are quarantined). */
  readonly key: readonly string[];
  /** Groups of columns of which a mapping must give at least one (beyond the required ones). */
  readonly oneOf?: readonly (readonly string[])[];
  readonly doc: string;
}

const fromTable = (table: CanonicalTable, generatedKey = false): FrameDef => {
  const def = TABLES[table];
  return {
    name: table as FrameName,
    key: def.key,
    doc: def.doc,
    columns: def.columns.map((c: ColumnDef) => ({
      name: c.name,
      type: c.type,
      // A generated key (event_id from the row's content) need not be mapped.
      required: Boolean(c.required) && !(generatedKey && def.key.includes(c.name)),
      doc: c.doc,
    })),
  };
};

const ol = (name: string, type: ColumnType, doc: string, required = false, header = false): FrameColumn => ({
  name,
  type,
  required,
  header,
  doc,
});

export const FRAMES: Readonly<Record<FrameName, FrameDef>> = {
  customers: fromTable('customers'),
  products: {
    ...fromTable('products'),
    // Most catalogues have no such flag: everything is merchandise unless a mapping says otherwise.
    columns: fromTable('products').columns.map((c) =>
      c.name === 'is_merchandise' ? { ...c, required: false } : c,
    ),
  },
  orders: fromTable('orders'),
  order_items: fromTable('order_items'),
  events: fromTable('events', true),
  // Stars, a source label or both: a review with neither cannot teach or test sentiment.
  reviews: { ...fromTable('reviews'), oneOf: [['rating', 'label']] },
  knowledge: fromTable('knowledge'),
  campaigns: fromTable('campaigns'),
  campaign_contacts: fromTable('campaign_contacts'),
  stock: fromTable('stock'),
  order_lines: {
    name: 'order_lines',
    key: ['order_id', 'line_no'],
    doc: 'One line item per row, with its order, customer and product fields repeated on every line.',
    // Exports give a unit price, a line total (quantity x price), or both.
    oneOf: [['unit_price', 'line_total']],
    columns: [
      ol('order_id', 'text', 'order or invoice number', true, true),
      ol('ordered_at', 'timestamp', 'order time (UTC)', true, true),
      ol('status', 'text', 'order status; default placed', false, true),
      ol(
        'status_changed_at',
        'timestamp',
        'when the order took this status (UTC); default: at ordered_at on first import',
        false,
        true,
      ),
      ol('customer_id', 'text', 'customer; empty for guests', false, true),
      ol('email', 'text', 'customer e-mail', false, true),
      ol('country', 'text', 'order country (also the customer country)', false, true),
      ol('currency', 'text', 'ISO 4217 code', false, true),
      ol('channel', 'text', 'sales channel', false, true),
      ol('payment_method', 'text', 'payment method', false, true),
      ol('line_no', 'integer', 'line number within the order; default: position in the file', false),
      ol('product_id', 'text', 'SKU or stock code', true),
      ol('product_title', 'text', 'product name', false),
      ol('product_category', 'text', 'product category', false),
      ol('product_brand', 'text', 'product brand', false),
      ol('is_merchandise', 'boolean', 'false for postage, fees, vouchers', false),
      ol('quantity', 'number', 'units; negative allowed only on cancelled/returned orders', true),
      ol('unit_price', 'money', 'price per unit (derived from line_total when only that is given)', false),
      ol('line_total', 'money', 'amount charged for the line, quantity x price (e.g. sales_value)', false),
      ol('discount', 'money', 'line discount', false),
    ],
  },
};

export const FRAME_NAMES = Object.keys(FRAMES) as FrameName[];

/** Order in which a folder's files are imported, so references resolve (products before order items). */
export const FRAME_LOAD_ORDER: readonly FrameName[] = [
  'customers',
  'products',
  'orders',
  'order_lines',
  'order_items',
  'events',
  'reviews',
  'knowledge',
  'campaigns',
  'campaign_contacts',
  'stock',
];
