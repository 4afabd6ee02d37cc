import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../ingest/parse-mapping.js';
import { importSource } from './import-source.js';
import { freshImportFixture } from './test-helpers.js';

const f = freshImportFixture();

describe('order fraud label', () => {
  it('is imported through an orders mapping (yes/no, 1/0, empty = not known), and a bad one is quarantined with its line', async () => {
    const file = f.s.write(
      'payments.csv',
      'id,at,chargeback\nP1,2024-01-05 08:30:00,1\nP2,2024-01-05 09:00:00,0\nP3,2024-01-05 09:30:00,\nP4,2024-01-05 10:00:00,maybe\nP5,2024-01-05 10:30:00,yes\n',
    );
    const preset = parseMapping(
      {
        frame: 'orders',
        columns: { order_id: 'id', ordered_at: 'at', status: { value: 'paid' }, fraud_label: 'chargeback' },
      },
      'mapping.yaml',
    );
    const r = await importSource(f.wh, { target: file, preset });
    const rows = await f.wh.rows<{ order_id: string; fraud_label: boolean | null }>(
      'SELECT order_id, fraud_label FROM orders ORDER BY order_id',
    );
    expect(rows.map((x) => [x.order_id, x.fraud_label])).toEqual([
      ['P1', true],
      ['P2', false],
      ['P3', null],
      ['P5', true],
    ]);
    const q = await f.wh.rows<{ line: number; column: string; reason: string }>(
      'SELECT CAST(line AS INTEGER) AS line, "column", reason FROM quarantine',
    );
    expect(q).toEqual([{ line: 5, column: 'chargeback', reason: 'invalid_boolean' }]);
    expect(r.quarantinedByReason).toEqual({ invalid_boolean: 1 });
  });
});
