/**
 * A grocery store's export the presets have never seen, shaped like the Dunnhumby "Complete Journey"
 * as the R package `completejourney` writes it: transactions with a line total (sales_value =
 * quantity x price, no unit price), a catalogue whose fuel and till adjustments are not merchandise,
 * and `NA` for missing values. Every expected number is computed from the rows built here.
 */
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../ingest/errors.js';
import { parseMapping } from '../../ingest/parse-mapping.js';
import { topProducts } from '../analytics/breakdowns.js';
import { kpis } from '../analytics/kpis.js';
import { importSource } from './import-source.js';
import { freshImportFixture, snapshot } from './test-helpers.js';

const PRODUCTS_HEADER =
  'product_id,manufacturer_id,department,brand,product_category,product_type,package_size';
/** id, department, category, type (title), shelf price in cents (0: sold by volume), deal. */
const CATALOGUE = [
  ['1004906', 'PRODUCE', 'POTATOES', 'POTATOES RUSSET (BULK&BAG)', 299],
  ['1033142', 'PRODUCE', 'VEGETABLES - ALL OTHERS', 'ONIONS SWEET (BULK&BAG)', 129],
  ['1082185', 'PRODUCE', 'TROPICAL FRUIT', 'BANANAS', 59],
  ['9245106', 'GROCERY', 'YOGURT', 'YOGURT NOT MULTI-PACKS', 0], // 3 for $2.00
  ['1012345', 'GROCERY', 'NA', 'NA', 250], // R wrote NA for a product with no category or type
  ['6534178', 'KIOSK-GAS', 'COUPON/MISC ITEMS', 'GASOLINE-REG UNLEADED', 0], // fuel, by volume
  ['6533889', 'KIOSK-GAS', 'COUPON/MISC ITEMS', 'GASOLINE-REG UNLEADED', 0],
  ['6544236', 'MISC SALES TRAN', 'COUPON/MISC ITEMS', 'NA', 500],
] as const;
const NON_MERCHANDISE = ['6534178', '6533889', '6544236'];

const TX_HEADER =
  'household_id,store_id,basket_id,product_id,quantity,sales_value,retail_disc,coupon_disc,coupon_match_disc,week,transaction_timestamp';

interface Tx {
  basket: string;
  product: string;
  quantity: number;
  cents: number;
  at: string;
}

/** Deterministic baskets: 40 baskets of 3 lines; fuel quantities in the thousands like the source. */
function transactions(firstBasket: number, month: string, priceRise = 0): Tx[] {
  let seed = firstBasket;
  const next = (k: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const out: Tx[] = [];
  for (let b = 0; b < 40; b++) {
    const basket = String(firstBasket + b);
    const at = `2017-${month}-${String(1 + (b % 28)).padStart(2, '0')} ${String(8 + (b % 12)).padStart(2, '0')}:15:00`;
    for (let k = 0; k < 3; k++) {
      const [product, , , , price] = CATALOGUE[(b + 3 * k + next(2)) % CATALOGUE.length]!;
      let quantity = 1 + next(4);
      let cents: number;
      if (product.startsWith('653')) {
        quantity = 8000 + next(12000); // fuel: the source's quantity is not a unit count
        cents = Math.round(quantity * (0.25 + priceRise / 1000)); // about 25 cents per 100 units
      } else if (price === 0) {
        cents = Math.round((quantity * 200) / 3); // yoghurt, 3 for $2.00: 67, 133, 200, 267
      } else cents = quantity * (price + priceRise);
      out.push({ basket, product, quantity, cents, at });
    }
  }
  return out;
}

const txCsv = (rows: readonly Tx[], at = (t: Tx): string => t.at): string =>
  [
    TX_HEADER,
    ...rows.map(
      (t, i) =>
        `${100 + (i % 9)},364,${t.basket},${t.product},${t.quantity},${(t.cents / 100).toFixed(2)},0,0,0,NA,${at(t)}`,
    ),
  ].join('\n') + '\n';

const catalogueCsv = (): string =>
  [
    PRODUCTS_HEADER,
    ...CATALOGUE.map(([id, dept, cat, type]) => `${id},69,${dept},Private,${cat},${type},NA`),
  ].join('\n') + '\n';

const catalogueMapping = (nulls: boolean) =>
  parseMapping(
    {
      frame: 'products',
      format: { kind: 'csv', delimiter: ',' },
      ...(nulls ? { nulls: ['NA'] } : {}),
      columns: {
        product_id: 'product_id',
        title: 'product_type',
        category: 'product_category',
        brand: 'brand',
        is_merchandise: {
          column: 'department',
          cases: [{ equals: ['KIOSK-GAS', 'MISC SALES TRAN'], value: false }],
          else: true,
        },
      },
    },
    'catalogue.yaml',
  );

const transactionsMapping = (
  amount: 'line_total' | 'unit_price',
  date: object | string = 'transaction_timestamp',
) =>
  parseMapping(
    {
      frame: 'order_lines',
      format: { kind: 'csv', delimiter: ',' },
      nulls: ['NA'],
      columns: {
        order_id: 'basket_id',
        ordered_at: date,
        customer_id: 'household_id',
        currency: { value: 'USD' },
        product_id: 'product_id',
        quantity: 'quantity',
        [amount]: 'sales_value',
      },
    },
    'transactions.yaml',
  );

describe('a grocery export with line totals, a catalogue and NA values', () => {
  const fx = freshImportFixture();

  it('a line-total mapping gives revenue exactly equal to the sum of sales_value', async () => {
    const rows = transactions(27601, '03');
    const file = fx.s.write('transactions.csv', txCsv(rows));
    const r = await importSource(fx.wh, { target: file, preset: transactionsMapping('line_total') });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([120, 120, 0]);
    expect(r.warnings).toEqual([]);
    const cents = rows.reduce((sum, t) => sum + t.cents, 0);
    expect((await kpis(fx.wh)).grossRevenue).toBe(cents / 100);
    const [orders] = await fx.wh.rows<{ total: number }>(
      'SELECT CAST(sum(total) AS DOUBLE) AS total FROM orders',
    );
    expect(orders!.total).toBe(cents / 100);
    // Yoghurt at 3 for $2: one unit's price has no exact decimal, the line total stays exact.
    const yoghurt = rows.find((t) => t.product === '9245106' && t.quantity === 1)!;
    const [line] = await fx.wh.rows<{ line_total: number; unit_price: number }>(
      `SELECT CAST(line_total AS DOUBLE) AS line_total, CAST(unit_price AS DOUBLE) AS unit_price
       FROM order_items WHERE order_id = ? AND product_id = '9245106' AND quantity = 1 LIMIT 1`,
      [yoghurt.basket],
    );
    expect(line).toEqual({ line_total: 0.67, unit_price: 0.67 });
  });

  it('warns when the line total is mapped as unit_price, and not on the correct mapping', async () => {
    const rows = transactions(27601, '03');
    const file = fx.s.write('transactions.csv', txCsv(rows));
    const wrong = await importSource(fx.wh, { target: file, preset: transactionsMapping('unit_price') });
    expect(wrong.warnings).toHaveLength(1);
    expect(wrong.warnings[0]).toMatch(
      /transactions\.csv: column sales_value, mapped as unit_price, grows with the quantity .*map it as line_total/,
    );
    // The warning quotes both readings of the revenue: the correct one is the plain sum of the column.
    const cents = rows.reduce((sum, t) => sum + t.cents, 0);
    expect(wrong.warnings[0]).toContain(
      `read as line totals it would be ${(cents / 100).toLocaleString('en-US')}`,
    );
    const inflated = (await kpis(fx.wh)).grossRevenue;
    expect(inflated / (cents / 100)).toBeGreaterThan(1000);

    const right = await importSource(fx.wh, { target: file, preset: transactionsMapping('line_total') });
    expect(right.warnings).toEqual([]);
    expect((await kpis(fx.wh)).grossRevenue).toBe(cents / 100);
  });

  it('an order_lines import without is_merchandise keeps the catalogue flags and its other columns', async () => {
    await importSource(fx.wh, {
      target: fx.s.write('products.csv', catalogueCsv()),
      preset: catalogueMapping(true),
    });
    const flags = async (): Promise<string[]> =>
      (
        await fx.wh.rows<{ product_id: string }>(
          'SELECT product_id FROM products WHERE NOT is_merchandise ORDER BY product_id',
        )
      ).map((p) => p.product_id);
    expect(await flags()).toEqual([...NON_MERCHANDISE].sort());
    const catalogueColumns = 'product_id, title, category, brand, is_merchandise';
    const catalogue = await fx.wh.rows(`SELECT ${catalogueColumns} FROM products ORDER BY product_id`);

    const march = fx.s.write('transactions-03.csv', txCsv(transactions(27601, '03')));
    await importSource(fx.wh, { target: march, preset: transactionsMapping('line_total') });
    expect(await flags()).toEqual([...NON_MERCHANDISE].sort());
    expect(await fx.wh.rows(`SELECT ${catalogueColumns} FROM products ORDER BY product_id`)).toEqual(
      catalogue,
    );
    // The catalogue has no price: the sale price fills that gap (potatoes: 2.99 a unit)...
    const price = async (): Promise<unknown> =>
      (await fx.wh.rows("SELECT CAST(price AS DOUBLE) AS p FROM products WHERE product_id = '1004906'"))[0];
    expect(await price()).toEqual({ p: 2.99 });
    // ...and a later file with higher prices changes nothing in the catalogue.
    const all = await fx.wh.rows('SELECT * FROM products ORDER BY product_id');
    const april = fx.s.write('transactions-04.csv', txCsv(transactions(28601, '04', 10)));
    await importSource(fx.wh, { target: april, preset: transactionsMapping('line_total') });
    expect(await fx.wh.rows('SELECT * FROM products ORDER BY product_id')).toEqual(all);
    // Fuel is the biggest seller by revenue but never a top merchandise product.
    const top = await topProducts(fx.wh, { limit: 3 });
    expect(top.byRevenue.map((p) => p.productId)).not.toContain('6534178');
    expect(top.byRevenue.every((p) => !NON_MERCHANDISE.includes(p.productId))).toBe(true);
  });

  it('nulls: [NA] reads R`s NA as no value; without it the NA titles are imported with a warning', async () => {
    const file = fx.s.write('products.csv', catalogueCsv());
    const plain = await importSource(fx.wh, { target: file, preset: catalogueMapping(false) });
    expect(await fx.wh.rows("SELECT count(*) AS n FROM products WHERE title = 'NA'")).toEqual([{ n: 2 }]);
    expect(plain.warnings).toEqual([
      `${file}: column product_type holds 'NA' in 2 rows; it is kept as text. If it means "no value", add nulls: [NA] to the mapping.`,
      `${file}: column product_category holds 'NA' in 1 row; it is kept as text. If it means "no value", add nulls: [NA] to the mapping.`,
    ]);

    const withNulls = await importSource(fx.wh, { target: file, preset: catalogueMapping(true) });
    expect(withNulls.warnings).toEqual([]);
    expect(
      await fx.wh.rows("SELECT count(*) AS n FROM products WHERE title = 'NA' OR category = 'NA'"),
    ).toEqual([{ n: 0 }]);
    expect(
      await fx.wh.rows(
        "SELECT title, category FROM products WHERE product_id IN ('1012345', '6544236') ORDER BY 1, 2",
      ),
    ).toEqual([
      { title: null, category: 'COUPON/MISC ITEMS' },
      { title: null, category: null },
    ]);
  });

  it('a file whose dates all fail fails whole, naming file, column, count, format: and the formats tried', async () => {
    await importSource(fx.wh, {
      target: fx.s.write('products.csv', catalogueCsv()),
      preset: catalogueMapping(true),
    });
    const before = await snapshot(fx.wh);
    const rows = transactions(27601, '03');
    // 31/12/2017 11:53 style: day first, no format given in the mapping.
    const dayFirst = (t: Tx): string => {
      const [, m, d] = /^2017-(\d\d)-(\d\d)/.exec(t.at)!;
      return `${d}/${m}/2017 ${t.at.slice(11, 16)}`;
    };
    const file = fx.s.write('transactions.csv', txCsv(rows, dayFirst));
    const err = (await importSource(fx.wh, { target: file, preset: transactionsMapping('line_total') }).catch(
      (e: unknown) => e,
    )) as ImportError;
    expect(err).toBeInstanceOf(ImportError);
    expect([err.file, err.column]).toEqual([file, 'transaction_timestamp']);
    expect(err.message).toContain('120 of 120 rows (100%) have no usable ordered_at (invalid_timestamp)');
    expect(err.message).toContain("line 2: '01/03/2017 08:15' is not a date/time");
    expect(err.message).toContain('Formats tried: ISO 8601 only');
    expect(err.message).toContain('ordered_at: { column: transaction_timestamp, format: "%d/%m/%Y %H:%M" }');
    expect(await snapshot(fx.wh)).toEqual(before);

    // With the format the same file imports.
    const fixed = transactionsMapping('line_total', {
      column: 'transaction_timestamp',
      format: '%d/%m/%Y %H:%M',
    });
    const r = await importSource(fx.wh, { target: file, preset: fixed });
    expect([r.rowsRead, r.rowsImported]).toEqual([120, 120]);
  });

  it('"most rows" is more than half: 61 of 120 bad dates fail the file, 60 are quarantined', async () => {
    const rows = transactions(27601, '03');
    const bad =
      (k: number) =>
      (t: Tx): string =>
        rows.indexOf(t) < k ? '2017-13-45 08:15:00' : t.at;
    const over = fx.s.write('over.csv', txCsv(rows, bad(61)));
    await expect(
      importSource(fx.wh, { target: over, preset: transactionsMapping('line_total') }),
    ).rejects.toThrow(/over\.csv:column transaction_timestamp: 61 of 120 rows \(51%\)/);
    const half = fx.s.write('half.csv', txCsv(rows, bad(60)));
    const r = await importSource(fx.wh, { target: half, preset: transactionsMapping('line_total') });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([120, 60, 60]);
    expect(r.quarantinedByReason).toEqual({ invalid_timestamp: 60 });
  });

  it('a file where every row is quarantined for other reasons fails too, with examples', async () => {
    const rows = transactions(27601, '03').map((t) => ({ ...t, cents: 0 }));
    const file = fx.s.write('zero.csv', txCsv(rows));
    const before = await snapshot(fx.wh);
    const err = (await importSource(fx.wh, { target: file, preset: transactionsMapping('line_total') }).catch(
      (e: unknown) => e,
    )) as ImportError;
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toMatch(
      /zero\.csv: no row could be imported: all 120 rows were quarantined \(zero_price 120\), so nothing was written\. Examples: line 2 column sales_value: line total is zero/,
    );
    expect(await snapshot(fx.wh)).toEqual(before);
  });

  it('an order_lines import without status keeps the status an orders import set', async () => {
    const rows = transactions(27601, '03');
    const orders = parseMapping(
      {
        frame: 'orders',
        format: { kind: 'csv', delimiter: ',' },
        columns: { order_id: 'id', ordered_at: 'at', status: 'status' },
      },
      'orders.yaml',
    );
    const first = rows[0]!;
    await importSource(fx.wh, {
      target: fx.s.write('orders.csv', `id,at,status\n${first.basket},${first.at},returned\n`),
      preset: orders,
    });
    await importSource(fx.wh, {
      target: fx.s.write('t.csv', txCsv(rows)),
      preset: transactionsMapping('line_total'),
    });
    expect(await fx.wh.rows('SELECT status FROM orders WHERE order_id = ?', [first.basket])).toEqual([
      { status: 'returned' },
    ]);
    expect(
      await fx.wh.rows('SELECT status FROM order_status_history WHERE order_id = ?', [first.basket]),
    ).toEqual([{ status: 'returned' }]);
    // The other baskets are new: they take the default.
    expect(await fx.wh.rows("SELECT count(*) AS n FROM orders WHERE status = 'placed'")).toEqual([{ n: 39 }]);
  });
});
