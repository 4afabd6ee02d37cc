import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const run = promisify(execFile);
const cliMain = join(import.meta.dirname, '..', 'cli', 'main.ts');
/** Runs the CLI; resolves with its exit code and stderr whether it fails or not. */
const cli = (...args: string[]): Promise<{ code: number; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', cliMain, ...args]).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );

/**
 * Events one per day from 2026-01-01 to 2026-11-30 (334); two imports finished 2026-05-15 and
 * 2026-11-21 with 3 and 2 quarantined rows (the store of warehouse/retention.test.ts).
 */
const seed = async (wh: { exec(sql: string): Promise<void> }): Promise<void> => {
  await wh.exec(`INSERT INTO events (event_id, customer_id, type, occurred_at)
    SELECT 'e' || i, 'c1', 'view', TIMESTAMP '2026-01-01' + to_days(CAST(i AS INTEGER)) FROM range(334) t(i)`);
  await wh.exec(`INSERT INTO imports VALUES
    ('old', '/a.csv', 'generic', TIMESTAMP '2026-05-15', TIMESTAMP '2026-05-15', 10, 7, 3, '{}'),
    ('new', '/b.csv', 'generic', TIMESTAMP '2026-11-21', TIMESTAMP '2026-11-21', 10, 8, 2, '{}')`);
  await wh.exec(`INSERT INTO quarantine SELECT imp, '/f.csv', line, NULL, 'zero_price', 'd', 'raw'
    FROM (VALUES ('old', 1), ('old', 2), ('old', 3), ('new', 1), ('new', 2)) v(imp, line)`);
};

/** GET /v1/admin/privacy/retention once `runs` scheduled runs have finished. */
async function afterRuns(s: TestServer, runs: number): Promise<Json> {
  let r: Json = {};
  for (let tries = 0; tries < 300; tries++) {
    r = (await (await s.fetch('/v1/admin/privacy/retention', { key: 'admin' })).json()) as Json;
    if ((r['runs'] as Json[]).length >= runs) return r;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(
    `${runs} scheduled runs expected within 30 s, saw ${(r['runs'] as Json[] | undefined)?.length ?? 0}`,
  );
}

describe('serve --retain-every', () => {
  it('applies the policy at start and then every interval, with the clock it is given', async () => {
    // The clock moves a month at each reading: 2026-12-01 for the run at start, then 2027-01-01.
    const clock = [new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')];
    let reads = 0;
    const s = await startTestServer({
      seed,
      config: {
        retainEverySeconds: 1,
        retention: { eventsDays: 30, quarantineDays: 90 },
        clock: () => clock[Math.min(reads++, clock.length - 1)]!,
      },
    });
    try {
      const r = await afterRuns(s, 2);
      expect(r['policy']).toEqual({ events_days: 30, quarantine_days: 90 });
      expect(r['every_seconds']).toBe(1);
      expect((r['runs'] as Json[]).slice(0, 2)).toEqual([
        // At start, counted back from 2026-12-01: events before 2026-11-01 (Jan 1 .. Oct 31 = 304),
        // the quarantined rows of the May import (200 days old).
        { at: '2026-12-01T00:00:00.000Z', deleted: { events: 304, quarantine: 3 } },
        // One interval later, from 2027-01-01: the 30 November events (before 2026-12-02); the
        // November import is 41 days old, under 90: kept.
        { at: '2027-01-01T00:00:00.000Z', deleted: { events: 30, quarantine: 0 } },
      ]);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('POST /v1/admin/privacy/retain: a dry run counts, absurd ages are refused, a server without a policy says so', async () => {
    const s = await startTestServer({ seed, config: { clock: () => new Date('2026-12-01T00:00:00Z') } });
    try {
      const none = (await (await s.fetch('/v1/admin/privacy/retention', { key: 'admin' })).json()) as Json;
      expect(none).toEqual({ policy: null, every_seconds: null, runs: [] });
      const dry = await s.fetch('/v1/admin/privacy/retain', {
        key: 'admin',
        json: { events_days: 30, quarantine_days: 90, dry_run: true },
      });
      expect(dry.status).toBe(200);
      expect(await dry.json()).toEqual({
        policy: { events_days: 30, quarantine_days: 90 },
        dry_run: true,
        deleted: { events: 304, quarantine: 3 },
      });
      for (const bad of [
        { events_days: -5 },
        { events_days: 0 },
        { quarantine_days: 100_000 },
        { events_days: 1.5 },
      ]) {
        const r = await s.fetch('/v1/admin/privacy/retain', { key: 'admin', json: bad });
        expect(r.status).toBe(400);
        expect(((await r.json()) as Json)['error']['message']).toMatch(/body\/(events|quarantine)_days/);
      }
      const empty = await s.fetch('/v1/admin/privacy/retain', { key: 'admin', json: {} });
      expect(empty.status).toBe(400);
      expect(((await empty.json()) as Json)['error']['code']).toBe('no_policy');
      expect(
        (await s.fetch('/v1/admin/privacy/retain', { key: 'read', json: { events_days: 30 } })).status,
      ).toBe(403);
      // `shopsight privacy retain` on the held file is refused and told to use this route.
      const held = await cli('privacy', 'retain', '--events-days', '30', '--db', s.dbPath);
      expect(held.code).toBe(1);
      expect(held.stderr).toContain('POST /v1/admin/privacy/retain does the same');
      const done = (await (
        await s.fetch('/v1/admin/privacy/retain', { key: 'admin', json: { events_days: 30 } })
      ).json()) as Json;
      expect(done['deleted']).toEqual({ events: 304, quarantine: 0 });
    } finally {
      await s.close();
    }
  }, 180_000);

  it('serve refuses --retain-every without a policy and a negative age, before opening anything', async () => {
    const none = await cli('serve', '--db', 'nowhere.duckdb', '--retain-every', '24h');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('--retain-every needs a retention policy');
    const negative = await cli(
      'serve',
      '--db',
      'nowhere.duckdb',
      '--retain-every',
      '24h',
      '--events-days=-3',
    );
    expect(negative.code).toBe(1);
    expect(negative.stderr).toContain('--events-days: -3 days would delete everything or nothing sensible');
  }, 240_000);
});
