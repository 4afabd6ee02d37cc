import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpis } from '../warehouse/analytics/kpis.js';
import { openEmptyStore, openTestStore } from '../warehouse/analytics/test-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { buildReport, reportPeriods } from './build-report.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

/** The text of the KPI card `key` (value, then the change line). */
function card(html: string, key: string): string {
  const start = html.indexOf(`<div class="card" id="kpi-${key}">`);
  const next = html.indexOf('<div class="card"', start + 1);
  const part = html.slice(start, next > 0 ? next : html.indexOf('</div></div>', start) + 12);
  return part
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('buildReport', () => {
  it('shows the KPIs of the period with their change against the period as long just before it', async () => {
    // test-store.ts, March 2024 (31 days): sales o6 100, o12 12.5, o8 30, o9 20 = 162.5 (4 orders),
    // o13 cancelled 5 and o7 returned 5 -> net 152.5. The 31 days before (2024-01-30 .. 2024-03-01):
    // o10 15, o3 10, o5 60 = 85 (3 orders), o4 cancelled 10 -> net 75.
    const html = await buildReport(wh, {
      from: '2024-03-01',
      to: '2024-04-01',
      now: new Date('2024-04-01T00:00:00Z'),
    });
    expect((await kpis(wh, { period: { from: '2024-03-01', to: '2024-04-01' } })).netRevenue).toBe(152.5);
    expect((await kpis(wh, { period: { from: '2024-01-30', to: '2024-03-01' } })).netRevenue).toBe(75);
    // No currency in the test store: USD, whole units; (152.5 - 75) / 75 = +103.3 %; orders (4 - 3) / 3.
    expect(card(html, 'netRevenue')).toBe('Net revenue $153 ▲ 103.3% vs previous period');
    expect(card(html, 'orders')).toBe('Orders 4 ▲ 33.3% vs previous period');
    expect(html).toContain('data-from="2024-03-01" data-to="2024-04-01"');
  });

  it('says when the period before starts before the first order (nothing whole to compare with)', async () => {
    // February's 29 days before start on 2024-01-03, before the first order (2024-01-05).
    const html = await buildReport(wh, { from: '2024-02-01', to: '2024-03-01' });
    expect(card(html, 'netRevenue')).toBe('Net revenue $75 no earlier data to compare');
  });

  it('is one self-contained file: inline CSS and SVG charts, no script, no link, nothing to fetch', async () => {
    const html = await buildReport(wh);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(2);
    for (const banned of ['<script', '<link', ' src=', 'url(', '@import']) expect(html).not.toContain(banned);
    // The only URLs are the SVG namespaces, which nothing fetches.
    const urls = new Set(html.match(/https?:\/\/[^"' )]+/g));
    expect([...urls].sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    // Default period: the 90 days ending the day after the last order (2024-03-28).
    expect(html).toContain('data-from="2023-12-30" data-to="2024-03-29"');
    // Every RFM segment row of the store is there.
    expect(html).toContain('<table id="segments">');
  });

  it('writes Simplified Chinese with Chinese number formats', async () => {
    const html = await buildReport(wh, { lang: 'zh-CN', from: '2024-03-01', to: '2024-04-01' });
    expect(html).toContain('<html lang="zh-CN">');
    expect(card(html, 'netRevenue')).toBe(
      `净收入 ${new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(152.5)} ▲ 103.3% 对比上一时间段`,
    );
  });

  it('says so for a store without orders, and refuses a bad period naming the field', async () => {
    const empty = await openEmptyStore();
    try {
      expect(await buildReport(empty)).toContain('The store has no orders yet.');
    } finally {
      await empty.close();
    }
    expect(() => reportPeriods('2024-03-28 15:00:00', { from: '2024-2-1' })).toThrow(
      "from must be a day like 2011-09-01, got '2024-2-1'",
    );
    expect(() => reportPeriods('2024-03-28 15:00:00', { from: '2024-03-01', to: '2024-02-01' })).toThrow(
      'must be before',
    );
  });
});
