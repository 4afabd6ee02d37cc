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
      ['just text', /m\.yaml: a mapping must be an object/],
    ];
    for (const [doc, message] of cases) {
      const run = (): unknown => parseMapping(doc, 'm.yaml');
      expect(run).toThrow(ImportError);
      expect(run).toThrow(message);
    }
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
