import { describe, expect, it } from 'vitest';
import { ImportError } from './errors.js';
import { parseMapping } from './parse-mapping.js';

const base = {
  frame: 'order_lines',
  columns: { order_id: 'Order', ordered_at: 'Date', product_id: 'SKU', quantity: 'Qty', unit_price: 'Price' },
};

describe('parseMapping', () => {
  it('accepts a minimal order_lines mapping with csv as the default format', () => {
    const preset = parseMapping(base, 'm.yaml');
    expect(preset.name).toBe('generic');
    expect(preset.files).toHaveLength(1);
    expect(preset.files[0]!.mapping.format).toEqual({ kind: 'csv' });
    expect(preset.files[0]!.mapping.unknownProducts).toBe('create');
  });

  it('names the file and the key path of every problem', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...base, frame: 'invoices' }, /^m\.yaml: frame: must be one of customers, .*order_lines/],
      [
        { ...base, columns: { ...base.columns, qty: 'Qty' } },
        /m\.yaml: columns\.qty: is not a column of frame order_lines \(did you mean quantity\?\)/,
      ],
      [
        { frame: 'order_lines', columns: { order_id: 'Order' } },
        /m\.yaml: columns: frame order_lines needs a mapping for: ordered_at, product_id, quantity, unit_price or line_total/,
      ],
      [
        { ...base, format: 'xlsx' },
        /m\.yaml: format: must be one of csv, ndjson, parquet, whitespace, sequences/,
      ],
      [
        { ...base, format: { kind: 'csv', delimiter: ';;' } },
        /format\.delimiter: must be a single character/,
      ],
      [
        { ...base, columns: { ...base.columns, ordered_at: { column: 'Date', format: 7 } } },
        /columns\.ordered_at\.format: must be a strptime format/,
      ],
      [{ ...base, unknown_products: 'ignore' }, /unknown_products: must be create or quarantine/],
      [{ ...base, nulls: 'NA' }, /m\.yaml: nulls: must be a list of values that mean "no value"/],
      [
        { ...base, columns: { ...base.columns, order_id: { column: 'Order', nulls: [{}] } } },
        /columns\.order_id\.nulls: must be a list/,
      ],
      [{ ...base, format: { kind: 'csv', quote: "''" } }, /format\.quote: must be a single character/],
      ['just text', /m\.yaml: a mapping must be an object/],
    ];
    for (const [doc, message] of cases) {
      const run = (): unknown => parseMapping(doc, 'm.yaml');
      expect(run).toThrow(ImportError);
      expect(run).toThrow(message);
    }
  });

  it('reads nulls (mapping-wide and per column), optional columns, line_total and the quote', () => {
    const preset = parseMapping(
      {
        frame: 'order_lines',
        format: { kind: 'csv', delimiter: ',', quote: "'" },
        nulls: ['NA', null, 0],
        columns: {
          order_id: 'basket_id',
          ordered_at: 'day',
          product_id: { column: 'product_id', nulls: ['-'] },
          quantity: 'quantity',
          line_total: 'sales_value',
          channel: { column: 'channel', optional: true },
        },
      },
      'm.yaml',
    );
    const m = preset.files[0]!.mapping;
    expect(m.format).toEqual({ kind: 'csv', delimiter: ',', quote: "'" });
    expect(m.nulls).toEqual(['NA', 'null', '0']);
    expect(m.columns['product_id']).toEqual({ column: 'product_id', nulls: ['-'] });
    expect(m.columns['channel']).toEqual({ column: 'channel', optional: true });
    expect(m.columns['line_total']).toBe('sales_value');
  });

  it('reads a multi-file mapping with glob patterns', () => {
    const preset = parseMapping(
      {
        files: [
          { match: 'orders*.csv', ...base },
          { match: 'catalog.json?', frame: 'products', format: 'ndjson', columns: { product_id: 'id' } },
        ],
      },
      'm.yaml',
    );
    expect(preset.files.map((f) => f.match?.test('orders-2024.csv'))).toEqual([true, false]);
    expect(preset.files[1]!.match?.test('catalog.jsonl')).toBe(true);
  });
});

describe('parseMapping: campaign contacts', () => {
  const contacts = {
    frame: 'campaign_contacts',
    columns: { campaign_id: { value: 'spring' }, customer_id: 'id', variant: 'arm', is_control: 'holdout' },
  };

  it('reads an object of several columns (a contact features) and refuses an empty one', () => {
    const preset = parseMapping(
      { ...contacts, columns: { ...contacts.columns, features: { object: ['age', 'tier'] } } },
      'm.yaml',
    );
    expect(preset.files[0]!.mapping.columns['features']).toEqual({ object: ['age', 'tier'] });
    expect(() =>
      parseMapping({ ...contacts, columns: { ...contacts.columns, features: { object: [] } } }, 'm.yaml'),
    ).toThrow(/m\.yaml: columns\.features\.object: must be a list of source column names/);
  });
});
