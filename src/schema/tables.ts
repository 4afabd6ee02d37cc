/**
 * @module schema/tables
 * The canonical data model: the contract every importer targets and every later stage reads.
 * Keys are strings (stores use SKUs and UUIDs); money is a decimal amount plus an ISO currency code;
 * times are UTC. The column lists below are the single source of truth: the warehouse creates its
 * tables from them and the importer validates mappings against them.
 *
 * @example
 *   import { TABLES } from './tables.js';
 *   TABLES.orders.columns.map((c) => c.name); // ['order_id', 'customer_id', 'ordered_at', ...]
 */

/** Logical column types; each engine maps them to its own SQL types in one place. */
export type ColumnType = 'text' | 'money' | 'number' | 'integer' | 'timestamp' | 'boolean' | 'json';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  /** NOT NULL in the warehouse; a source row without it is quarantined. */
  readonly required?: boolean;
  readonly doc: string;
}

export interface TableDef {
  readonly name: CanonicalTable;
  /** Columns that identify a row; re-importing a row with the same key replaces it. */
  readonly key: readonly string[];
  readonly columns: readonly ColumnDef[];
  readonly doc: string;
}

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'cancelled', 'returned'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const EVENT_TYPES = [
  'view',
  'search',
  'add_to_cart',
  'remove_from_cart',
  'checkout',
  'purchase',
  'recommendation_click',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type CanonicalTable =
  | 'customers'
  | 'products'
  | 'orders'
  | 'order_status_history'
  | 'order_items'
  | 'events'
  | 'reviews'
  | 'knowledge'
  | 'campaigns'
  | 'campaign_contacts'
  | 'stock'
  | 'quarantine';

export interface Customer {
  customer_id: string;
  email: string | null;
  first_seen_at: Date | null;
  signup_at: Date | null;
  country: string | null;
  attributes: string | null;
  first_name: string | null;
  last_name: string | null;
}

export interface Product {
  product_id: string;
  title: string | null;
  description: string | null;
  category: string | null;
  brand: string | null;
  price: number | null;
  currency: string | null;
  in_stock: boolean | null;
  /** False for postage, fees, vouchers, manual adjustments: kept, but left out of product analytics. */
  is_merchandise: boolean;
  attributes: string | null;
}

export interface Order {
  order_id: string;
  customer_id: string | null;
  ordered_at: Date;
  status: OrderStatus;
  currency: string | null;
  total: number | null;
  discount: number | null;
  channel: string | null;
  country: string | null;
  payment_method: string | null;
  device_id: string | null;
  ip_hash: string | null;
  /** When the order took its current status; null = it has had it since ordered_at. */
  status_changed_at: Date | null;
  /** Known fraud (true), known good (false), not known (null): the labels of `train risk --labels column`. */
  fraud_label: boolean | null;
}

/** One known status of an order from a time on; an order's status as of T is its latest row before T. */
export interface OrderStatusChange {
  order_id: string;
  status: OrderStatus;
  changed_at: Date;
}

export interface OrderItem {
  order_id: string;
  line_no: number;
  product_id: string;
  /** Always positive: a cancelled or returned order's lines say what was cancelled or returned. */
  quantity: number;
  unit_price: number;
  discount: number | null;
  /** What the line was charged, when the source gives it (revenue uses it before quantity x unit_price). */
  line_total: number | null;
}

export interface StoreEvent {
  event_id: string;
  customer_id: string | null;
  anonymous_id: string | null;
  session_id: string | null;
  type: EventType;
  product_id: string | null;
  query: string | null;
  value: number | null;
  occurred_at: Date;
  properties: string | null;
}

export interface Review {
  review_id: string;
  customer_id: string | null;
  product_id: string | null;
  rating: number | null;
  title: string | null;
  body: string | null;
  created_at: Date | null;
  verified: boolean | null;
  /** Sentiment the source labels (1 positive, 0 negative); null when it gives stars or nothing. */
  label: number | null;
  category: string | null;
}

export interface KnowledgeDoc {
  doc_id: string;
  kind: 'faq' | 'policy' | 'product';
  question: string | null;
  answer: string;
  intent: string | null;
  tags: string | null;
}

/** A source row that could not be used, with where it was and why. Nothing is silently dropped. */
export interface QuarantineRow {
  import_id: string;
  source: string;
  line: number;
  column: string | null;
  reason: QuarantineReason;
  detail: string;
  raw: string;
}

/** Stable reason codes, so a merchant can filter and count them. */
export const QUARANTINE_REASONS = {
  malformed_row: 'the line could not be parsed (wrong number of columns, bad quoting)',
  invalid_encoding: 'the line is not valid UTF-8',
  invalid_json: 'the line is not a JSON object',
  missing_required: 'a required field is empty',
  invalid_number: 'a numeric field is not a number',
  invalid_timestamp: 'a date/time field does not match the expected format',
  invalid_boolean: 'a yes/no field is not true/false/1/0/yes/no',
  invalid_value: 'a field holds a value outside its allowed set',
  timestamp_out_of_range: 'a date is before 1990 or in the future',
  non_positive_quantity: 'quantity is zero or negative on an order that is not a cancellation or return',
  zero_price: 'unit price is zero',
  negative_price: 'unit price is negative',
  duplicate_row: 'an exact copy of an earlier line in the same file',
  duplicate_key: 'same key as an earlier line in the same file, with different content',
  unknown_product: 'references a product that is not in the catalogue',
  unknown_order: 'an order line whose order is neither in this file nor in the orders table',
} as const;
export type QuarantineReason = keyof typeof QUARANTINE_REASONS;

const col = (name: string, type: ColumnType, doc: string, required = false): ColumnDef => ({
  name,
  type,
  doc,
  required,
});

export const TABLES: Readonly<Record<CanonicalTable, TableDef>> = {
  customers: {
    name: 'customers',
    key: ['customer_id'],
    doc: 'One row per known customer (guests have no row; their orders carry a null customer_id).',
    columns: [
      col('customer_id', 'text', 'store customer id (or its HMAC pseudonym)', true),
      col('email', 'text', 'e-mail address (or its HMAC pseudonym)'),
      col('first_seen_at', 'timestamp', 'first order or event time seen'),
      col('country', 'text', 'country name or ISO code as the store records it'),
      col('attributes', 'json', 'any other fields'),
      col(
        'signup_at',
        'timestamp',
        'when the customer signed up (account created), if the source records it',
      ),
      // Last because migration 21 appended them. Personal data: masked on output, redacted before
      // text leaves for a language model, erased with the customers row, dropped by --pseudonymise.
      col(
        'first_name',
        'text',
        "given name (or the whole name, when the source keeps it in one field: '王小明')",
      ),
      col('last_name', 'text', "family name (Chinese: the surname, '王')"),
    ],
  },
  products: {
    name: 'products',
    key: ['product_id'],
    doc: 'The catalogue. Non-merchandise codes (postage, fees, vouchers) stay, flagged is_merchandise=false.',
    columns: [
      col('product_id', 'text', 'SKU or stock code', true),
      col('title', 'text', 'product name'),
      col('description', 'text', 'longer text'),
      col('category', 'text', 'category path or name'),
      col('brand', 'text', 'brand'),
      col('price', 'money', 'current list price'),
      col('currency', 'text', 'ISO 4217 code'),
      col('in_stock', 'boolean', 'available to sell'),
      col('is_merchandise', 'boolean', 'false for postage, fees, vouchers, adjustments', true),
      col('attributes', 'json', 'any other fields'),
    ],
  },
  orders: {
    name: 'orders',
    key: ['order_id'],
    doc: 'One row per order or invoice, cancellations included (status=cancelled).',
    columns: [
      col('order_id', 'text', 'order or invoice number', true),
      col('customer_id', 'text', 'null for guest checkouts'),
      col('ordered_at', 'timestamp', 'UTC time the order was placed', true),
      col('status', 'text', `one of ${ORDER_STATUSES.join(', ')}`, true),
      col('currency', 'text', 'ISO 4217 code'),
      col('total', 'money', 'sum of line amounts (positive, also for cancellations)'),
      col('discount', 'money', 'order-level discount'),
      col('channel', 'text', 'web, app, marketplace, ...'),
      col('country', 'text', 'shipping or billing country'),
      col('payment_method', 'text', 'card, paypal, ...'),
      col('device_id', 'text', 'device fingerprint'),
      col('ip_hash', 'text', 'hashed IP address'),
      // Last because migration 3 appended it. The time of the current status only; the history of
      // every change is order_status_history, which is what point-in-time features read.
      col(
        'status_changed_at',
        'timestamp',
        'UTC time the order took its current status (empty: at ordered_at)',
      ),
      col(
        'fraud_label',
        'boolean',
        'known fraud: true when the order proved fraudulent (e.g. a fraud chargeback), false when known good, empty when not known',
      ),
    ],
  },
  order_status_history: {
    name: 'order_status_history',
    key: ['order_id', 'changed_at'],
    doc:
      'Every known status of an order and when it took it, so a feature "as of" a date reads the status ' +
      'the order had then. Before its first row an order was placed. Filled by imports (from ' +
      'status_changed_at, else at ordered_at on first sight and at the import time for a change seen ' +
      'later) and by updateOrderStatus.',
    columns: [
      col('order_id', 'text', 'the order', true),
      col('status', 'text', `one of ${ORDER_STATUSES.join(', ')}`, true),
      col('changed_at', 'timestamp', 'UTC time the order took this status', true),
    ],
  },
  order_items: {
    name: 'order_items',
    key: ['order_id', 'line_no'],
    doc: 'Order lines. Quantities are positive; the order status tells a sale from a cancellation.',
    columns: [
      col('order_id', 'text', 'the order', true),
      col('line_no', 'integer', '1-based position of the line within its order', true),
      col('product_id', 'text', 'the product', true),
      col('quantity', 'number', 'units, positive', true),
      col('unit_price', 'money', 'price per unit, positive', true),
      col('discount', 'money', 'line discount'),
      col(
        'line_total',
        'money',
        'amount charged for the line when the source gives it; revenue uses it, else quantity x unit_price',
      ),
    ],
  },
  events: {
    name: 'events',
    key: ['event_id'],
    doc: 'Behavioural events (views, carts, searches, purchases) for known or anonymous visitors.',
    columns: [
      col('event_id', 'text', 'unique id; derived from the row content when the source has none', true),
      col('customer_id', 'text', 'known customer'),
      col('anonymous_id', 'text', 'cookie or device id of a visitor not logged in'),
      col('session_id', 'text', 'browsing session'),
      col('type', 'text', `one of ${EVENT_TYPES.join(', ')}`, true),
      col('product_id', 'text', 'product concerned'),
      col('query', 'text', 'search text'),
      col('value', 'money', 'monetary value when the event has one'),
      col('occurred_at', 'timestamp', 'UTC time', true),
      col('properties', 'json', 'any other fields'),
      col(
        'request_id',
        'text',
        'the recommendation response the event came back from (feedback loop: attributes it to a model version)',
      ),
    ],
  },
  reviews: {
    name: 'reviews',
    key: ['review_id'],
    doc: 'Product reviews.',
    columns: [
      col('review_id', 'text', 'unique id', true),
      col('customer_id', 'text', 'author'),
      col('product_id', 'text', 'product reviewed (labelled corpora may have none)'),
      col('rating', 'number', '1 to 5 (labelled corpora may have none)'),
      col('title', 'text', 'summary line'),
      col('body', 'text', 'review text'),
      col('created_at', 'timestamp', 'UTC time'),
      col('verified', 'boolean', 'verified purchase'),
      col('label', 'integer', 'sentiment as the source labels it: 1 positive, 0 negative'),
      col('category', 'text', "category as the source gives it with the review (else the product's)"),
    ],
  },
  knowledge: {
    name: 'knowledge',
    key: ['doc_id'],
    doc: 'What the shop knows: FAQ entries, policies, product facts (grounding for the assistant).',
    columns: [
      col('doc_id', 'text', 'unique id', true),
      col('kind', 'text', 'faq, policy or product', true),
      col('question', 'text', 'question or title'),
      col('answer', 'text', 'answer or body', true),
      col('intent', 'text', 'intent label'),
      col('tags', 'text', 'comma-separated tags'),
    ],
  },
  campaigns: {
    name: 'campaigns',
    key: ['campaign_id'],
    doc: 'Marketing campaigns: each sends variants (offers, e-mails) to customers, one of them ideally a control that sends nothing.',
    columns: [
      col('campaign_id', 'text', 'unique id', true),
      col('name', 'text', 'display name'),
      col('channel', 'text', 'e-mail, sms, push, coupon, ...'),
      col('starts_at', 'timestamp', 'UTC time the first contact was sent'),
      col('ends_at', 'timestamp', 'UTC time the campaign ended'),
      col(
        'variants',
        'json',
        'variant names (a JSON list), kept in step with campaign_contacts by the import',
      ),
      col('control_variant', 'text', 'the variant that is the control group (null: the campaign kept none)'),
      col('cost_per_contact', 'money', 'what one contact costs'),
    ],
  },
  campaign_contacts: {
    name: 'campaign_contacts',
    key: ['campaign_id', 'customer_id'],
    doc: 'Who a campaign contacted (or held out as control), with which variant, the features known when it was sent, and the outcomes the source recorded.',
    columns: [
      col('campaign_id', 'text', 'the campaign', true),
      col('customer_id', 'text', 'the customer contacted or held out', true),
      col('variant', 'text', 'variant sent (the control group has its own variant name)', true),
      col('is_control', 'boolean', 'true for the control group (sent nothing)', true),
      col('sent_at', 'timestamp', 'UTC time sent (null: the source does not say)'),
      col(
        'features',
        'json',
        "the customer's features as of sending (a JSON object: name -> value), for uplift models",
      ),
      col(
        'visited',
        'boolean',
        'visited within the outcome window, as the source recorded it (null: derive from events)',
      ),
      col('converted', 'boolean', 'bought within the outcome window, as recorded (null: derive from orders)'),
      col('revenue', 'money', 'spend within the outcome window, as recorded (null: derive from orders)'),
    ],
  },
  stock: {
    name: 'stock',
    key: ['product_id', 'as_of'],
    doc: 'Units on hand per product, counted at a time (a stock take, an inventory export); the reorder plan uses the latest count of each product.',
    columns: [
      col('product_id', 'text', 'SKU or stock code', true),
      col('on_hand', 'number', 'units on hand when counted (>= 0)', true),
      col('as_of', 'timestamp', 'UTC time of the count', true),
    ],
  },
  quarantine: {
    name: 'quarantine',
    key: ['import_id', 'line', 'reason'],
    doc: 'Every source row that could not be used, with file, line, column and reason.',
    columns: [
      col('import_id', 'text', 'the import that read the row', true),
      col('source', 'text', 'absolute path of the source file', true),
      col('line', 'integer', 'line number in the file (1-based; for Parquet the row number)', true),
      col('column', 'text', 'the column at fault, when one is'),
      col('reason', 'text', 'a reason code from QUARANTINE_REASONS', true),
      col('detail', 'text', 'human-readable explanation with the offending value', true),
      col('raw', 'text', 'the raw row as JSON or text', true),
    ],
  },
};

/** Tables that hold store data (everything but the quarantine), in dependency order. */
export const DATA_TABLES: readonly CanonicalTable[] = [
  'customers',
  'products',
  'orders',
  'order_items',
  'events',
  'reviews',
  'knowledge',
  'campaigns',
  'campaign_contacts',
  'stock',
];
