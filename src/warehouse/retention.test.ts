import { describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import { applyRetention } from './personal-data.js';

const NOW = new Date('2026-12-01T00:00:00Z');

/** Events one per day from 2026-01-01 to 2026-11-30 (334); two imports, 200 and 10 days old, 3 + 2 quarantined rows. */
async function store(): Promise<DuckDBWarehouse> {
  const wh = await DuckDBWarehouse.open(':memory:');
  await wh.exec(`INSERT INTO events (event_id, customer_id, type, occurred_at)
    SELECT 'e' || i, 'c1', 'view', TIMESTAMP '2026-01-01' + to_days(CAST(i AS INTEGER)) FROM range(334) t(i)`);
  await wh.exec(`INSERT INTO imports VALUES
    ('old', '/a.csv', 'generic', TIMESTAMP '2026-05-15', TIMESTAMP '2026-05-15', 10, 7, 3, '{}'),
    ('new', '/b.csv', 'generic', TIMESTAMP '2026-11-21', TIMESTAMP '2026-11-21', 10, 8, 2, '{}')`);
  await wh.exec(`INSERT INTO quarantine SELECT imp, '/f.csv', line, NULL, 'zero_price', 'd', 'raw'
    FROM (VALUES ('old', 1), ('old', 2), ('old', 3), ('new', 1), ('new', 2)) v(imp, line)`);
  return wh;
}

describe('applyRetention', () => {
  it('counts in a dry run and changes nothing; then deletes exactly what it counted', async () => {
    const wh = await store();
    try {
      // Events before 2026-12-01 - 30 days = 2026-11-01: Jan 1 .. Oct 31 is 304 days.
      const policy = { eventsDays: 30, quarantineDays: 90 };
      expect(await applyRetention(wh, policy, { now: NOW, dryRun: true })).toEqual({
        events: 304,
        quarantine: 3,
      });
      expect(await wh.rows('SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: 334 }]);
      expect(await applyRetention(wh, policy, { now: NOW, dryRun: false })).toEqual({
        events: 304,
        quarantine: 3,
      });
      expect(await wh.rows('SELECT min(occurred_at) AS t, count(*)::INTEGER AS n FROM events')).toEqual([
        { t: new Date('2026-11-01T00:00:00Z'), n: 30 },
      ]);
      expect(await wh.rows('SELECT DISTINCT import_id FROM quarantine')).toEqual([{ import_id: 'new' }]);
    } finally {
      await wh.close();
    }
  });

  it('keeps what the policy leaves out', async () => {
    const wh = await store();
    try {
      expect(await applyRetention(wh, { quarantineDays: 5 }, { now: NOW, dryRun: false })).toEqual({
        events: 0,
        quarantine: 5,
      });
      expect(await wh.rows('SELECT count(*)::INTEGER AS n FROM events')).toEqual([{ n: 334 }]);
    } finally {
      await wh.close();
    }
  });
});
