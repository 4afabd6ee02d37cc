/**
 * @module warehouse/import/load-frame
 * Writes the usable rows of `${t}` into the canonical tables. Re-importing the same rows
 * replaces them (keys are upserted; an order's lines are replaced as a whole; events are
 * immutable and only new event ids are added), so importing a file twice changes nothing.
 */
import { FRAMES, type FrameName } from '../../ingest/frames.js';
import type { CanonicalTable } from '../../schema/tables.js';
import { TABLES } from '../../schema/tables.js';
import { ident } from '../duckdb/sql-types.js';
import type { Warehouse } from '../warehouse.js';

export type WrittenCounts = Partial<Record<CanonicalTable, number>>;

/**
 * `t` is the frame table built by build-frame.ts. `mapped`: the columns it holds; `defaulted`: those
 * of them the mapping did not give (filled by a default such as is_merchandise = true). A default
 * goes into new rows only: an upsert changes only the columns the mapping provides, so an import
 * that lacks a column never resets what an earlier import stored there.
 */
export async function loadFrame(
  wh: Warehouse,
  t: string,
  frame: FrameName,
  mapped: ReadonlySet<string>,
  defaulted: ReadonlySet<string> = new Set(),
): Promise<WrittenCounts> {
  switch (frame) {
    case 'order_lines':
      return loadOrderLines(wh, t, mapped, defaulted);
    case 'orders': {
      const customers = await upsertCustomersFrom(wh, t, 'ordered_at', mapped);
      return { customers, orders: await upsertDirect(wh, t, 'orders', mapped, defaulted) };
    }
    case 'events': {
      const customers = await upsertCustomersFrom(wh, t, 'occurred_at', mapped);
      const products = mapped.has('product_id') ? await createBareProducts(wh, t) : 0;
      return { customers, products, events: await insertNewEvents(wh, t, mapped) };
    }
    case 'order_items':
      return { order_items: await replaceOrderItems(wh, t, mapped) };
    case 'reviews':
      return {
        reviews: await upsertDirect(wh, t, 'reviews', mapped),
        // Labelled corpora name no product.
        products: mapped.has('product_id') ? await createBareProducts(wh, t) : 0,
      };
    case 'campaign_contacts': {
      const contacts = await upsertDirect(wh, t, 'campaign_contacts', mapped, defaulted);
      return { campaign_contacts: contacts, campaigns: await syncCampaigns(wh, t) };
    }
    default:
      return { [frame]: await upsertDirect(wh, t, frame, mapped, defaulted) };
  }
}

/**
 * Every campaign a frame of contacts touched gets its row (a bare one when it is new), with its
 * variants and control variant recomputed from all its stored contacts, so the two tables agree
 * however the contacts arrived. A campaign whose contacts name several control variants keeps the
 * first by name; `campaign report` lists them all.
 */
async function syncCampaigns(wh: Warehouse, t: string): Promise<number> {
  await wh.exec(
    `INSERT INTO campaigns (campaign_id, name, variants, control_variant)
     SELECT c.campaign_id, c.campaign_id,
            to_json(list(DISTINCT c.variant ORDER BY c.variant)),
            min(c.variant) FILTER (WHERE c.is_control)
     FROM campaign_contacts c
     WHERE c.campaign_id IN (SELECT DISTINCT campaign_id FROM ${t} WHERE _err IS NULL)
     GROUP BY c.campaign_id
     ON CONFLICT (campaign_id) DO UPDATE SET
       variants = excluded.variants, control_variant = excluded.control_variant`,
  );
  return count(wh, `SELECT count(DISTINCT campaign_id) AS n FROM ${t} WHERE _err IS NULL`);
}

const count = async (wh: Warehouse, sql: string): Promise<number> => {
  const [row] = await wh.rows<{ n: number }>(sql);
  return row?.n ?? 0;
};

/** Insert-or-update rows of a canonical table straight from the frame (only the mapped columns). */
async function upsertDirect(
  wh: Warehouse,
  t: string,
  table: CanonicalTable,
  mapped: ReadonlySet<string>,
  defaulted: ReadonlySet<string> = new Set(),
): Promise<number> {
  const def = TABLES[table];
  const cols = def.columns.map((c) => c.name).filter((c) => mapped.has(c));
  const keys = def.key;
  const updates = cols
    .filter((c) => !keys.includes(c) && !defaulted.has(c))
    .map((c) => `${ident(c)} = excluded.${ident(c)}`);
  await wh.exec(
    `INSERT INTO ${ident(table)} (${cols.map(ident).join(', ')})
     SELECT ${cols.map(ident).join(', ')} FROM ${t} WHERE _err IS NULL
     ON CONFLICT (${keys.map(ident).join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
  );
  return count(wh, `SELECT count(*) AS n FROM ${t} WHERE _err IS NULL`);
}

/** Customers seen in a frame of orders or events: first seen at the earliest time, first country seen. */
async function upsertCustomersFrom(
  wh: Warehouse,
  t: string,
  timeCol: string,
  mapped: ReadonlySet<string>,
  /** Which rows count: usable rows, or (order_lines) every row whose order-level fields are sound. */
  usable = '_err IS NULL',
): Promise<number> {
  if (!mapped.has('customer_id')) return 0;
  // Typed NULLs: the rows are kept in a table first (upsertCounted), where a bare NULL is an INTEGER.
  const email = mapped.has('email')
    ? 'arg_min(email, _row) FILTER (WHERE email IS NOT NULL)'
    : 'NULL::VARCHAR';
  const country = mapped.has('country')
    ? 'arg_min(country, _row) FILTER (WHERE country IS NOT NULL)'
    : 'NULL::VARCHAR';

  return upsertCounted(
    wh,
    `SELECT customer_id, ${email} AS email, min(${ident(timeCol)}) AS first_seen_at, ${country} AS country
     FROM ${t} WHERE ${usable} AND customer_id IS NOT NULL GROUP BY customer_id`,
    'customers',
    ['customer_id', 'email', 'first_seen_at', 'country'],
    `ON CONFLICT (customer_id) DO UPDATE SET
       email = coalesce(excluded.email, customers.email),
       first_seen_at = least(customers.first_seen_at, excluded.first_seen_at),
       country = coalesce(customers.country, excluded.country)`,
  );
}

/**
 * Upserts the rows `select` gives (one per key) into `table`'s `columns`, resolving a key already
 * stored by `onConflict`, and returns how many there were. The rows are kept in a temporary table
 * first, so the count reads those few rows instead of a count(DISTINCT key) over the whole frame
 * (Online Retail: about 0.1 s of CPU for customers, products and orders together). Into an empty
 * table (a first import) they are inserted plainly: with one row per key nothing can conflict, and
 * the ON CONFLICT path costs DuckDB about three times the plain insert (Online Retail's 25,900
 * orders: 115-285 against 33-116 ms of CPU, 5 alternating runs, load 15).
 */
async function upsertCounted(
  wh: Warehouse,
  select: string,
  table: CanonicalTable,
  columns: readonly string[],
  onConflict: string,
): Promise<number> {
  await wh.exec(`CREATE OR REPLACE TEMP TABLE ss_upsert_rows AS ${select}`);
  const empty = (await wh.rows(`SELECT 1 FROM ${table} LIMIT 1`)).length === 0;
  await wh.exec(
    `INSERT INTO ${table} (${columns.map(ident).join(', ')}) SELECT * FROM ss_upsert_rows` +
      (empty ? '' : ` ${onConflict}`),
  );
  const n = await count(wh, 'SELECT count(*) AS n FROM ss_upsert_rows');
  await wh.exec('DROP TABLE ss_upsert_rows');
  return n;
}

/** A bare catalogue row for every product a frame references that the catalogue lacks. */
async function createBareProducts(wh: Warehouse, t: string): Promise<number> {
  const n = await count(
    wh,
    `SELECT count(DISTINCT product_id) AS n FROM ${t} f WHERE _err IS NULL AND product_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = f.product_id)`,
  );
  await wh.exec(
    `INSERT INTO products (product_id, is_merchandise)
     SELECT DISTINCT product_id, true FROM ${t} WHERE _err IS NULL AND product_id IS NOT NULL
     ON CONFLICT (product_id) DO NOTHING`,
  );
  return n;
}

async function insertNewEvents(wh: Warehouse, t: string, mapped: ReadonlySet<string>): Promise<number> {
  const cols = FRAMES.events.columns.map((c) => c.name).filter((c) => mapped.has(c) && c !== 'event_id');
  // Without a source id, an event is identified by its content (so re-imports stay idempotent).
  const id = mapped.has('event_id')
    ? 'event_id'
    : `md5(concat_ws('|', ${cols.map((c) => `coalesce(CAST(${ident(c)} AS VARCHAR), '')`).join(', ')}))`;
  const before = await count(wh, 'SELECT count(*) AS n FROM events');
  // Events are immutable: only ids not stored yet are added. The anti-join is skipped on a first
  // import, where it would cost a hash table over millions of ids for nothing.
  const onlyNew = before > 0 ? 'AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = n.event_id)' : '';
  await wh.exec(
    `INSERT INTO events (event_id, ${cols.map(ident).join(', ')})
     SELECT * FROM (SELECT ${id} AS event_id, ${cols.map(ident).join(', ')} FROM ${t} WHERE _err IS NULL) n
     WHERE true ${onlyNew}`,
  );
  return (await count(wh, 'SELECT count(*) AS n FROM events')) - before;
}

async function replaceOrderItems(wh: Warehouse, t: string, mapped: ReadonlySet<string>): Promise<number> {
  const cols = TABLES.order_items.columns.map((c) => c.name).filter((c) => mapped.has(c));
  await wh.exec(
    `DELETE FROM order_items o USING (SELECT DISTINCT order_id, line_no FROM ${t} WHERE _err IS NULL) f
     WHERE o.order_id = f.order_id AND o.line_no = f.line_no`,
  );
  await wh.exec(
    `INSERT INTO order_items (${cols.map(ident).join(', ')})
     SELECT ${cols.map(ident).join(', ')} FROM ${t} WHERE _err IS NULL`,
  );
  return count(wh, `SELECT count(*) AS n FROM ${t} WHERE _err IS NULL`);
}

/**
 * The order of (ordered_at, _row) as one number, for arg_max: a row number below 2^32 in the low
 * bits. A struct key costs arg_max about a third more CPU (Online Retail's products: 92-132 against
 * 124-181 ms, 4 alternating runs, load 13). ordered_at is set on every row ss_order_rows keeps.
 */
const TIME_THEN_ROW = 'CAST(epoch_us(ordered_at) AS HUGEINT) * 4294967296 + _row';

/**
 * The denormalised frame: orders from every row whose order fields are sound (so invoice counts
 * reconcile with the source even when all of an invoice's lines are quarantined), lines from the
 * usable rows, products and customers from both.
 */
async function loadOrderLines(
  wh: Warehouse,
  t: string,
  mapped: ReadonlySet<string>,
  defaulted: ReadonlySet<string>,
): Promise<WrittenCounts> {
  const keep = (c: string, table: string): string =>
    defaulted.has(c) ? `${table}.${ident(c)}` : `excluded.${ident(c)}`;
  // Every optional column is text; typed, as the rows are kept in a table first (upsertCounted).
  const opt = (c: string, agg = `arg_min(${ident(c)}, _row)`): string =>
    mapped.has(c) ? agg : 'NULL::VARCHAR';
  await wh.exec(`CREATE OR REPLACE TEMP VIEW ss_order_rows AS SELECT * FROM ${t} WHERE _order_ok`);

  const customers = await upsertCustomersFrom(wh, t, 'ordered_at', mapped, '_order_ok');

  // Title: the description used most often for the code (ties: the first seen).
  const products = await upsertCounted(
    wh,
    `SELECT p.product_id, t.title, p.category, p.brand, p.price, p.currency, p.is_merchandise
    FROM (
      SELECT product_id,
             ${opt('product_category', 'arg_min(product_category, _row) FILTER (WHERE product_category IS NOT NULL)')} AS category,
             ${opt('product_brand', 'arg_min(product_brand, _row) FILTER (WHERE product_brand IS NOT NULL)')} AS brand,
             arg_max(unit_price, ${TIME_THEN_ROW}) FILTER (WHERE _err IS NULL AND "status" NOT IN ('cancelled', 'returned')) AS price,
             ${opt('currency')} AS currency,
             bool_and(coalesce(is_merchandise, true)) AS is_merchandise
      FROM ss_order_rows WHERE product_id IS NOT NULL GROUP BY product_id
    ) p LEFT JOIN (
      SELECT product_id, arg_max(product_title, (n, -first_row)) AS title FROM (
        SELECT product_id, ${opt('product_title', 'product_title')} AS product_title, count(*) AS n, min(_row) AS first_row
        FROM ss_order_rows WHERE product_id IS NOT NULL AND ${mapped.has('product_title') ? 'product_title IS NOT NULL' : 'false'}
        GROUP BY ALL
      ) GROUP BY product_id
    ) t USING (product_id)`,
    'products',
    ['product_id', 'title', 'category', 'brand', 'price', 'currency', 'is_merchandise'],
    `ON CONFLICT (product_id) DO UPDATE SET
      title = coalesce(excluded.title, products.title),
      category = coalesce(excluded.category, products.category),
      brand = coalesce(excluded.brand, products.brand),
      -- A sale price is not a list price: it fills a catalogue gap, never replaces the catalogue's.
      price = coalesce(products.price, excluded.price),
      currency = CASE WHEN products.price IS NULL THEN coalesce(excluded.currency, products.currency) ELSE products.currency END,
      is_merchandise = ${keep('is_merchandise', 'products')}`,
  );

  const orders = await upsertCounted(
    wh,
    `SELECT order_id, ${opt('customer_id')} AS customer_id, min(ordered_at) AS ordered_at, arg_min("status", _row) AS status,
           ${opt('currency')} AS currency,
           coalesce(sum(${mapped.has('line_total') ? 'coalesce(abs(line_total), abs(quantity) * unit_price)' : 'abs(quantity) * unit_price'}) FILTER (WHERE _err IS NULL), 0) AS total,
           ${opt('channel')} AS channel, ${opt('country')} AS country, ${opt('payment_method')} AS payment_method
    FROM ss_order_rows GROUP BY order_id`,
    'orders',
    [
      'order_id',
      'customer_id',
      'ordered_at',
      'status',
      'currency',
      'total',
      'channel',
      'country',
      'payment_method',
    ],
    `ON CONFLICT (order_id) DO UPDATE SET customer_id = excluded.customer_id, ordered_at = excluded.ordered_at,
      status = ${keep('status', 'orders')}, currency = excluded.currency, total = excluded.total, channel = excluded.channel,
      country = excluded.country, payment_method = excluded.payment_method`,
  );

  await wh.exec('DELETE FROM order_items WHERE order_id IN (SELECT DISTINCT order_id FROM ss_order_rows)');
  // line_no: the mapped one, else the line's position among its order's imported lines, in file order.
  const lineNo = mapped.has('line_no')
    ? 'line_no'
    : 'row_number() OVER (PARTITION BY order_id ORDER BY _row)';
  await wh.exec(`
    INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price, discount, line_total)
    SELECT order_id, ${lineNo}, product_id, abs(quantity), unit_price, ${mapped.has('discount') ? 'discount' : 'NULL'},
           ${mapped.has('line_total') ? 'abs(line_total)' : 'NULL'}
    FROM ${t} WHERE _err IS NULL`);
  const items = await count(wh, `SELECT count(*) AS n FROM ${t} WHERE _err IS NULL`);
  await wh.exec('DROP VIEW ss_order_rows');
  return { customers, products, orders, order_items: items };
}
