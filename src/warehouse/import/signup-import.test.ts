import { describe, expect, it } from 'vitest';
import { parseMapping } from '../../ingest/parse-mapping.js';
import { importSource } from './import-source.js';
import { freshImportFixture } from './test-helpers.js';

const f = freshImportFixture();

describe('customer signup time', () => {
  it('is imported through a customers mapping, apart from first_seen_at, and a bad one is quarantined with its line', async () => {
    const file = f.s.write(
      'accounts.csv',
      'id,created,country\nA1,2024-01-05 08:30:00,FR\nA2,,DE\nA3,not a time,FR\n',
    );
    const preset = parseMapping(
      { frame: 'customers', columns: { customer_id: 'id', signup_at: 'created', country: 'country' } },
      'mapping.yaml',
    );
    const r = await importSource(f.wh, { target: file, preset });
    const rows = await f.wh.rows<{ customer_id: string; signup_at: Date | null; first_seen_at: Date | null }>(
      'SELECT customer_id, signup_at, first_seen_at FROM customers ORDER BY customer_id',
    );
    expect(rows.map((x) => [x.customer_id, x.signup_at?.toISOString() ?? null, x.first_seen_at])).toEqual([
      ['A1', '2024-01-05T08:30:00.000Z', null],
      ['A2', null, null],
    ]);
    const q = await f.wh.rows<{ line: number; column: string }>(
      'SELECT CAST(line AS INTEGER) AS line, "column" FROM quarantine',
    );
    expect(q).toEqual([{ line: 4, column: 'created' }]);
    expect(Object.values(r.quarantinedByReason)).toEqual([1]);
  });
});
