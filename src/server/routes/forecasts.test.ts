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
