/**
 * CDNOW master file (Fader & Hardie): `customer_id date number_of_cds dollar_value`, space-aligned,
 * one purchase per line. Several purchases by one customer on one day are separate lines, so the
 * order id includes the line number to keep every transaction. 255 lines repeat an earlier line
 * exactly (same customer, day, CDs and amount); the published 69,659-transaction count includes
 * them as separate purchases, so the exact-duplicate check is off for this layout.
 */
import type { Preset } from '../mapping.js';

export const cdnowPreset: Preset = {
  name: 'cdnow',
  description: 'CDNOW_master.txt purchases (customer_id, date, number_of_cds, dollar_value)',
  files: [
    {
      mapping: {
        frame: 'orders',
        format: { kind: 'whitespace' },
        allowDuplicateRows: true,
        columns: {
          order_id: { concat: ['customer_id', 'date', '$line'], separator: '-' },
          customer_id: 'customer_id',
          ordered_at: { column: 'date', format: '%Y%m%d' },
          status: { value: 'placed' },
          currency: { value: 'USD' },
          total: 'dollar_value',
        },
      },
    },
  ],
};
