import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillTestStore } from '../../warehouse/analytics/test-store.js';
import { openWarehouse } from '../../warehouse/open.js';
import { snakeKeys } from '../snake-case.js';
import { startTestServer, type TestServer } from '../test-server.js';

/**
 * The analytics test store (warehouse/analytics/test-store.ts: 13 orders of c1..c5 and a guest,
 * January to March 2024, 13 events) served over HTTP. Known answers are worked out by hand there
 * and below; every route is also checked against `shopsight analyze --json` (and `customers
 * profile --json`) run on the same file before the server took it.
 */
const run = promisify(execFile);
const cliMain = join(import.meta.dirname, '..', '..', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'shopsight-insight-'));
const db = join(dir, 'store.duckdb');
const cli = async (...args: string[]): Promise<Record<string, unknown>> =>
  JSON.parse(
    (await run(process.execPath, ['--import', 'tsx', cliMain, ...args, '--db', db, '--json'])).stdout,
  ) as Record<string, unknown>;

let s: TestServer;
const fromCli: Record<string, Record<string, unknown>> = {};
beforeAll(async () => {
  const wh = await openWarehouse(db, { create: true });
  await fillTestStore(wh);
  await wh.close();
  const sections = 'kpis,series,cohorts,funnel,rfm';
  fromCli['all'] = await cli('analyze', '--section', sections, '--by', 'month');
  fromCli['feb'] = await cli(
    'analyze',
    '--section',
    sections,
    '--from',
    '2024-02-01',
    '--to',
    '2024-03-01',
    '--by',
    'week',
  );
  fromCli['c1'] = await cli('customers', 'profile', 'c1');
  fromCli['c2before'] = await cli('customers', 'profile', 'c2', '--as-of', '2024-03-21');
  s = await startTestServer({ dbPath: db });
}, 60_000);
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await s.fetch(path, { key: 'read' });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /v1/analytics/*', () => {
  it('gives the hand-computed KPIs of February and agrees with analyze --json', async () => {
    const { status, body } = await get('/v1/analytics/kpis?from=2024-02-01&to=2024-03-01');
    expect(status).toBe(200);
    // Sales o10 15 + o3 10 + o5 60 = 85 in 3 orders; o4 (10) cancelled; c4 new, c1 returning.
    expect(body).toMatchObject({
      period: { from: '2024-02-01 00:00:00', to: '2024-03-01 00:00:00' },
      gross_revenue: 85,
      net_revenue: 75,
      orders: 3,
      customers: 2,
      new_customers: 1,
      returning_customers: 1,
      guest_orders: 1,
    });
    expect(body).toEqual(snakeKeys(fromCli['feb']!['kpis']));
    expect((await get('/v1/analytics/kpis')).body).toEqual(snakeKeys(fromCli['all']!['kpis']));
  });

  it('gives the monthly series, cohorts and funnel of analyze --json', async () => {
    const series = (await get('/v1/analytics/series?by=month')).body;
    // January o1 60 + o2 30 + o11 30; February o10 15 + o3 10 + o5 60 (o4 10 cancelled);
    // March o6 100 + o12 12.5 + o8 30 + o9 20 (o13 5 cancelled, o7 5 returned).
    expect(
      (series['points'] as Record<string, unknown>[]).map((p) => [
        p['bucket'],
        p['orders'],
        p['gross_revenue'],
        p['net_revenue'],
        p['customers'],
      ]),
    ).toEqual([
      ['2024-01-01', 3, 120, 120, 3],
      ['2024-02-01', 3, 85, 75, 2],
      ['2024-03-01', 4, 162.5, 152.5, 4],
    ]);
    expect(series).toEqual(snakeKeys(fromCli['all']!['series']));
    const weekly = (await get('/v1/analytics/series?from=2024-02-01&to=2024-03-01&by=week')).body;
    expect(weekly).toEqual(snakeKeys(fromCli['feb']!['series']));

    const cohorts = (await get('/v1/analytics/cohorts')).body;
    // January cohort c1, c2, c5: c1 again in February; c1, c2 (o8), c5 (o12) in March.
    expect((cohorts['cohorts'] as Record<string, unknown>[])[0]).toEqual({
      cohort: '2024-01-01',
      size: 3,
      active: [3, 1, 3],
      retention: [1, 1 / 3, 1],
    });
    expect(cohorts).toEqual(snakeKeys(fromCli['all']!['cohorts']));

    const funnel = (await get('/v1/analytics/funnel')).body;
    expect(funnel).toEqual(snakeKeys(fromCli['all']!['funnel']));
    expect(funnel['available']).toBe(true);
    expect((await get('/v1/analytics/funnel?from=2024-02-01&to=2024-03-01')).body).toEqual(
      snakeKeys(fromCli['feb']!['funnel']),
    );
  });

  it('refuses bad query fields with a 400 naming the field', async () => {
    const bad = await get('/v1/analytics/kpis?from=2024-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('from must be a date like 2024-01-31'),
    });
    const inverted = await get('/v1/analytics/kpis?from=2024-03-01&to=2024-02-01');
    expect(inverted.status).toBe(400);
    expect((await get('/v1/analytics/series?by=year')).status).toBe(400);
    const typo = await get('/v1/analytics/kpis?form=2024-01-01');
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body)).toContain('form');
  });
});

describe('GET /v1/segments', () => {
  it('gives segment sizes and KPIs as analyze --section rfm does, with the rules', async () => {
    const { status, body } = await get('/v1/segments');
    expect(status).toBe(200);
    // As of 2024-03-29: c1 champions, c2 active, c5 needs attention, c3 at risk, c4 dormant, c6 prospect.
    const segments = body['segments'] as Record<string, unknown>[];
    expect(Object.fromEntries(segments.map((x) => [x['segment'], x['customers']]))).toEqual({
      champions: 1,
      loyal: 0,
      active: 1,
      needs_attention: 1,
      new: 0,
      promising: 0,
      previously_loyal: 0,
      at_risk: 1,
      almost_lost: 0,
      dormant: 1,
      prospects: 1,
    });
    expect(segments[0]).toMatchObject({
      segment: 'champions',
      share: 1 / 6,
      avg_recency_days: 1,
      monetary: 90,
      r_range: [5, 5],
      fm_range: [8, 10],
      description: 'very recent purchases, many orders, the most spend',
    });
    const rfm = snakeKeys(fromCli['all']!['rfm']) as Record<string, unknown>;
    expect(body).toMatchObject({ as_of: '2024-03-29', scored_customers: 5, prospects: 1 });
    const strip = (x: Record<string, unknown>[]) =>
      x.map(({ description: _d, r_range: _r, fm_range: _f, ...rest }) => rest);
    expect(strip(segments)).toEqual(rfm['segments']);
    const early = (await get('/v1/segments?as_of=2024-03-01')).body;
    expect(strip(early['segments'] as Record<string, unknown>[])).toEqual(
      // --to 2024-03-01 makes analyze score RFM as of that day
      (snakeKeys(fromCli['feb']!['rfm']) as Record<string, unknown>)['segments'],
    );
    expect((await get('/v1/segments?as_of=March')).status).toBe(400);
  });
});

describe('GET /v1/customers/:id/profile', () => {
  it('returns the profile the CLI prints, and reads nothing after as_of', async () => {
    const { status, body } = await get('/v1/customers/c1/profile');
    expect(status).toBe(200);
    expect(body).toEqual(fromCli['c1']);
    expect(body).toMatchObject({
      as_of: '2024-03-29',
      rfm: { segment: 'champions' },
      lifecycle: { stage: 'active' },
      orders: { sales: 3, spend: 90 },
      predictions: { available: false },
    });
    // c2 before 03-21: o2 (01-20) sold; o7 (03-20) returned; o8 (03-25) not yet.
    const before = await get('/v1/customers/c2/profile?as_of=2024-03-21');
    expect(before.body).toEqual(fromCli['c2before']);
    expect(before.body['orders']).toMatchObject({ sales: 1, returned: 1 });
  });

  it('answers 404 naming an unknown id and 400 for a bad as_of', async () => {
    const missing = await get('/v1/customers/nobody/profile');
    expect(missing.status).toBe(404);
    expect(missing.body['error']).toMatchObject({
      status: 404,
      code: 'unknown_customer',
      message: "no customer 'nobody' in this store as of 2024-03-29",
    });
    const bad = await get('/v1/customers/c1/profile?as_of=2024-02-30');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('as_of');
    expect((await get('/v1/customers/c1/profile?as_of=yesterday')).status).toBe(400);
  });
});
