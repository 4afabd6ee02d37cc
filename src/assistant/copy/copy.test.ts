import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../warehouse/analytics/test-store.js';
import { rfm } from '../../warehouse/analytics/rfm.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import {
  scriptedClient,
  startScriptedLlm,
  type ScriptedLlm,
  type ScriptStep,
} from '../llm/test-llm-server.js';
import { campaignCopy, segmentFigures, templateCopy } from './copy.js';

let wh: Warehouse;
let server: ScriptedLlm | undefined;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const model = async (script: readonly ScriptStep[]) =>
  scriptedClient((server = await startScriptedLlm(script)));

describe('segment figures', () => {
  it("are the rfm summary of the segment and its customers' most bought products", async () => {
    // test-store.ts as of the day after the last order: at_risk holds c3 alone (o6 on 2024-03-01,
    // 28 days before; p1 x3 = 30, p2 x1 = 30, postage 40, so spend 100; postage is not merchandise).
    const f = await segmentFigures(wh, 'at_risk');
    expect([f.customers, f.avgOrders, f.avgSpend, f.avgDaysSinceOrder]).toEqual([1, 1, 100, 28]);
    expect(f.topProducts.map((p) => [p.product_id, p.title, p.units])).toEqual([
      ['p1', 'Mug', 3],
      ['p2', 'Candle', 1],
    ]);
    const c = await campaignCopy(wh, 'at_risk', 'en');
    expect(c.body).toBe(
      'It has been about 28 days since your last order. Mug and Candle are still here, loved by customers like you. Come and have a look.',
    );
  });
});

describe('campaign copy', () => {
  const figures = {
    segment: 'at_risk' as const,
    label: 'At risk',
    customers: 12,
    avgOrders: 3.5,
    avgSpend: 120,
    avgDaysSinceOrder: 95.4,
    topProducts: [
      { product_id: '85123A', title: 'WHITE HANGING HEART T-LIGHT HOLDER', customers: 7, units: 40 },
      { product_id: '22423', title: 'REGENCY CAKESTAND 3 TIER', customers: 5, units: 9 },
    ],
    asOf: '2011-12-10',
  };

  it('writes the at-risk template from the figures, in English and Simplified Chinese', () => {
    expect(templateCopy(figures, 'en')).toEqual({
      subject: 'We miss you',
      body: 'It has been about 95 days since your last order. White Hanging Heart T-Light Holder and Regency Cakestand 3 Tier are still here, loved by customers like you. Come and have a look.',
    });
    expect(templateCopy(figures, 'zh-CN')).toEqual({
      subject: '好久不见，我们想念您',
      body: '距离您上次下单已有约 95 天。您和许多老顾客喜爱的 White Hanging Heart T-Light Holder、Regency Cakestand 3 Tier 都在等您。点击查看，欢迎回来选购。',
    });
  });

  it('offline: the template, with a note; bad segment, language or an empty segment refused by name', async () => {
    const r = await rfm(wh);
    const some = r.segments.find((s) => s.customers > 0 && s.segment !== 'prospects')!;
    const c = await campaignCopy(wh, some.segment, 'en');
    expect(c.mode).toBe('template');
    expect(c.notes[0]).toMatch(/no language model is set/);
    await expect(campaignCopy(wh, 'vip', 'en')).rejects.toThrow(/segment: 'vip' is not an RFM segment/);
    await expect(campaignCopy(wh, some.segment, 'fr' as 'en')).rejects.toThrow(/lang: 'fr'/);
    const empty = r.segments.find((s) => s.customers === 0)!;
    await expect(campaignCopy(wh, empty.segment, 'en')).rejects.toThrow(/no customer is in/);
  });

  it('with a model: its subject and body, the figures it was sent beside them; garbage falls back to the template', async () => {
    const r = await rfm(wh);
    const seg = r.segments.find((s) => s.customers > 0 && s.segment !== 'prospects')!.segment;
    const llm = await model([
      { reply: JSON.stringify({ subject: 'Hello again', body: 'Come back soon.' }) },
      { garbage: 'oops', contentType: 'text/plain' },
    ]);
    const a = await campaignCopy(wh, seg, 'zh-CN', llm);
    expect([a.mode, a.subject, a.body]).toEqual(['model', 'Hello again', 'Come back soon.']);
    const sent = JSON.parse(server!.chatRequests()[0]!.body.messages![1]!.content!) as { segment: string };
    expect(sent.segment).toBe(seg);
    expect(server!.chatRequests()[0]!.body.messages![0]!.content).toMatch(/Simplified Chinese/);
    const b = await campaignCopy(wh, seg, 'en', llm);
    expect(b.mode).toBe('template');
    expect(b.notes[0]).toMatch(/the language model failed/);
  });
});
