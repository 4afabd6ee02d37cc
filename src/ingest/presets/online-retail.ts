/**
 * UCI Online Retail (Chen et al. 2012): one line item per row,
 * InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country.
 * Invoices starting with "C" are cancellations (credit notes with negative quantities): they become
 * orders with status `cancelled` and positive quantities, never dropped. Stock codes for postage,
 * fees, samples, manual adjustments and gift vouchers stay products, flagged non-merchandise.
 */
import type { Preset } from '../mapping.js';

/** Stock codes in the file that are not goods (read off the file's distinct codes and descriptions). */
export const ONLINE_RETAIL_NON_MERCHANDISE = [
  'POST', // postage
  'DOT', // dotcom postage
  'C2', // carriage
  'M', // manual
  'm', // manual
  'D', // discount
  'S', // samples
  'B', // adjust bad debt
  'BANK CHARGES',
  'AMAZONFEE',
  'CRUK', // charity commission
] as const;

export const onlineRetailPreset: Preset = {
  name: 'online-retail',
  description: 'UCI Online Retail line items (InvoiceNo, StockCode, ..., CustomerID, Country)',
  files: [
    {
      mapping: {
        frame: 'order_lines',
        // The dialect is fixed, so DuckDB does not guess it: damaged lines are quarantined, not fatal.
        format: { kind: 'csv', delimiter: ',', quote: '"' },
        columns: {
          order_id: 'InvoiceNo',
          ordered_at: {
            column: 'InvoiceDate',
            format: ['%Y-%m-%d %H:%M:%S', '%m/%d/%Y %H:%M', '%d/%m/%Y %H:%M'],
          },
          status: { column: 'InvoiceNo', cases: [{ prefix: 'C', value: 'cancelled' }], else: 'placed' },
          customer_id: 'CustomerID',
          country: 'Country',
          currency: { value: 'GBP' },
          product_id: 'StockCode',
          product_title: 'Description',
          is_merchandise: {
            column: 'StockCode',
            cases: [
              { equals: ONLINE_RETAIL_NON_MERCHANDISE, value: false },
              { prefix: 'gift_', value: false },
            ],
            else: true,
          },
          quantity: 'Quantity',
          unit_price: 'UnitPrice',
        },
      },
    },
  ],
};
