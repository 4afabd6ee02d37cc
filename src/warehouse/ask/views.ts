/**
 * @module warehouse/ask/views
 * The read-only views a data question may query (created by migration 10), with what each column
 * means: the model sees this as its schema, the SQL guard allows these names and nothing else, and
 * docs/assistant.md lists the same. A test checks the documented columns against the database.
 */

export interface AskColumn {
  readonly name: string;
  readonly type: string;
  readonly meaning: string;
}

export interface AskView {
  readonly name: string;
  readonly doc: string;
  readonly columns: readonly AskColumn[];
}

const c = (name: string, type: string, meaning: string): AskColumn => ({ name, type, meaning });

export const ASK_VIEWS: readonly AskView[] = [
  {
    name: 'ask_orders',
    doc: 'one row per order (sales, cancellations and returns)',
    columns: [
      c('order_id', 'VARCHAR', 'order or invoice number'),
      c('customer_id', 'VARCHAR', 'who ordered; NULL for a guest'),
      c('ordered_at', 'TIMESTAMP', 'when the order was placed (UTC)'),
      c('status', 'VARCHAR', 'placed, paid, shipped, cancelled or returned'),
      c('is_sale', 'BOOLEAN', 'true unless cancelled or returned: use it for revenue and order counts'),
      c('currency', 'VARCHAR', 'ISO currency code'),
      c('total', 'DOUBLE', "the order's amount; for revenue prefer sum(amount) of ask_order_lines"),
      c('country', 'VARCHAR', 'country of the order'),
      c('channel', 'VARCHAR', 'sales channel, often NULL'),
      c('payment_method', 'VARCHAR', 'payment method, often NULL'),
    ],
  },
  {
    name: 'ask_order_lines',
    doc: 'one row per order line, with its order and product fields; revenue = sum(amount) WHERE is_sale',
    columns: [
      c('order_id', 'VARCHAR', 'order or invoice number'),
      c('line_no', 'BIGINT', 'line number within the order'),
      c('product_id', 'VARCHAR', 'product (SKU / stock code)'),
      c('product_title', 'VARCHAR', "the product's title"),
      c('category', 'VARCHAR', "the product's category, often NULL"),
      c(
        'is_merchandise',
        'BOOLEAN',
        'false for postage, fees, vouchers: leave those out of product questions',
      ),
      c('quantity', 'DOUBLE', 'units, always positive (cancellations are orders with status cancelled)'),
      c('unit_price', 'DOUBLE', 'price of one unit'),
      c('amount', 'DOUBLE', "the line's value (line total, else quantity * unit_price)"),
      c('ordered_at', 'TIMESTAMP', 'when the order was placed (UTC)'),
      c('status', 'VARCHAR', "the order's status"),
      c('is_sale', 'BOOLEAN', 'true unless the order was cancelled or returned'),
      c('customer_id', 'VARCHAR', 'who ordered; NULL for a guest'),
      c('country', 'VARCHAR', 'country of the order'),
    ],
  },
  {
    name: 'ask_customers',
    doc: 'one row per customer (no contact details)',
    columns: [
      c('customer_id', 'VARCHAR', 'customer id'),
      c('first_seen_at', 'TIMESTAMP', 'first order or sign-up (UTC)'),
      c('country', 'VARCHAR', "the customer's country"),
    ],
  },
  {
    name: 'ask_products',
    doc: 'the catalogue, one row per product',
    columns: [
      c('product_id', 'VARCHAR', 'product (SKU / stock code)'),
      c('title', 'VARCHAR', 'product title'),
      c('category', 'VARCHAR', 'category, often NULL'),
      c('brand', 'VARCHAR', 'brand, often NULL'),
      c('price', 'DOUBLE', 'list price'),
      c('currency', 'VARCHAR', 'ISO currency code'),
      c('in_stock', 'BOOLEAN', 'in stock now; NULL when unknown'),
      c('is_merchandise', 'BOOLEAN', 'false for postage, fees, vouchers'),
    ],
  },
];

export const ASK_VIEW_NAMES: ReadonlySet<string> = new Set(ASK_VIEWS.map((v) => v.name));

/** The views as the model reads them: one block per view, a line per column. */
export function describeAskViews(): string {
  return ASK_VIEWS.map(
    (v) =>
      `${v.name}: ${v.doc}\n` +
      v.columns.map((col) => `  ${col.name} ${col.type} -- ${col.meaning}`).join('\n'),
  ).join('\n\n');
}
