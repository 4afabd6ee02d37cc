import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastLevel } from '../../tasks/forecast/forecast-level.js';
import { seedSalesStore } from '../../tasks/forecast/test-sales-store.js';
import { storeForecastRun } from '../../warehouse/forecasts-store.js';
import { startTestServer, type TestServer } from '../test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      await seedSalesStore(wh);
      const f = await forecastLevel(wh, { level: 'product', horizon: 3 });
      await storeForecastRun(wh, { ...f, modelRequested: f.model });
    },
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('GET /v1/forecasts', () => {
  it('serves the stored run per series and day, largest series first', async () => {
    const res = await s.fetch('/v1/forecasts?level=product', { key: 'read' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      version: number;
      level: string;
      history_end: string;
      horizon: number;
      series: {
        id: string;
        model: string;
        forecast: { date: string; forecast: number; lo95: number; hi95: number }[];
      }[];
    };
    expect(body).toMatchObject({ version: 1, level: 'product', history_end: '2024-03-10', horizon: 3 });
    expect(body.series.map((x) => x.id)).toEqual(['p1', 'p2']);
    expect(body.series[0]!.forecast.map((p) => p.date)).toEqual(['2024-03-11', '2024-03-12', '2024-03-13']);
    const one = await (await s.fetch('/v1/forecasts?level=product&id=p2&limit=1', { key: 'read' })).json();
    expect((one as { series: { id: string }[] }).series.map((x) => x.id)).toEqual(['p2']);
  });

  it('?history=3: each series with its last 3 days before the forecast, as sold', async () => {
    const res = await s.fetch('/v1/forecasts?level=product&history=3', { key: 'read' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      series: { id: string; history: { date: string; value: number }[] }[];
    };
    // p1 sells 5 + weekday (Friday 8 March is day 67: 5 + 4); p2 sells 2 every third day (day 69).
    expect(body.series.map((x) => [x.id, x.history])).toEqual([
      [
        'p1',
        [
          { date: '2024-03-08', value: 9 },
          { date: '2024-03-09', value: 10 },
          { date: '2024-03-10', value: 11 },
        ],
      ],
      [
        'p2',
        [
          { date: '2024-03-08', value: 0 },
          { date: '2024-03-09', value: 0 },
          { date: '2024-03-10', value: 2 },
        ],
      ],
    ]);
    // Without it, no history field; beyond a year of days, 400 naming the field.
    const plain = (await (await s.fetch('/v1/forecasts?level=product', { key: 'read' })).json()) as {
      series: object[];
    };
    expect('history' in plain.series[0]!).toBe(false);
    const bad = await s.fetch('/v1/forecasts?level=product&history=400', { key: 'read' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/history/);
  });

  it('404 naming the command when nothing is stored; 400 for a bad level', async () => {
    const res = await s.fetch('/v1/forecasts?level=country', { key: 'read' });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('no_forecast');
    expect(body.error.message).toBe(
      'no stored forecast for level country: run `shopsight forecast --level country` first',
    );
    const bad = await s.fetch('/v1/forecasts?level=planet', { key: 'read' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/level/);
  });
});
