import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSpringCampaign } from '../../assistant/copy/test-uplift-campaign.js';
import {
  startScriptedLlm,
  type RecordedRequest,
  type ScriptedLlm,
  type ScriptStep,
} from '../../assistant/llm/test-llm-server.js';
import { getPreset } from '../../ingest/presets/index.js';
import { fillTestStore } from '../../warehouse/analytics/test-store.js';
import { importSource } from '../../warehouse/import/import-source.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { startTestServer, type TestServer } from '../test-server.js';

const FAQ = fileURLToPath(new URL('../../../fixtures/faq/shop-faq.csv', import.meta.url));

let offline: TestServer;
let withModel: TestServer;
let llm: ScriptedLlm;
const saved = { ...process.env };

beforeAll(async () => {
  delete process.env['SHOPSIGHT_LLM_BASE_URL'];
  offline = await startTestServer({
    seed: async (wh: Warehouse) => {
      await fillTestStore(wh);
      await seedSpringCampaign(wh);
    },
  });
  llm = await startScriptedLlm(script);
  process.env['SHOPSIGHT_LLM_BASE_URL'] = llm.baseUrl;
  process.env['SHOPSIGHT_LLM_MODEL'] = 'scripted';
  withModel = await startTestServer({
    seed: async (wh: Warehouse) => {
      await fillTestStore(wh);
      await importSource(wh, { target: FAQ, preset: getPreset('faq') });
    },
  });
  process.env = saved;
}, 60_000);
afterAll(async () => {
  await offline?.close();
  await withModel?.close();
  await llm?.close();
});

/**
 * The scripted model: SQL for a data question; for a support question, first the order tool on the
 * asker's order o9 and on c2's order o2, then an answer citing the first passage it was given.
 */
function script(r: RecordedRequest): ScriptStep {
  const messages = r.body.messages ?? [];
  const system = messages[0]?.content ?? '';
  if (!system.includes('using ONLY the passages'))
    return { reply: JSON.stringify({ sql: 'SELECT count(*) AS n FROM ask_customers' }) };
  if (!messages.some((m) => m.role === 'tool')) {
    return {
      toolCalls: [
        { name: 'order_status', arguments: { order_id: 'o9' } },
        { name: 'order_status', arguments: { order_id: 'o2' } },
      ],
    };
  }
  const first = /<passage id="doc:([^"]+)">/.exec(system)![1]!;
  return { reply: `Your order o9 has shipped [doc:${first}].` };
}

const ask = (s: TestServer, json: unknown, key = 'admin') =>
  s.fetch('/v1/assistant/ask', { method: 'POST', key, json });

describe('POST /v1/assistant/ask', () => {
  it('answers offline from a template with the SQL, rows and summary; confirm stores the example', async () => {
    const res = await ask(offline, { question: 'How many orders did we get in March 2024?', confirm: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    // March 2024 sales orders in test-store.ts: o6, o12, o8, o9.
    expect(body['rows']).toEqual([{ orders: 4 }]);
    expect(body['mode']).toBe('template');
    expect(body['summary']).toBe('4 sales orders in March 2024 (cancellations and returns not counted).');
    expect(body['confirmed']).toBe(true);
    expect(body['notes']).toEqual([
      'no language model is set (SHOPSIGHT_LLM_BASE_URL): answered from a built-in template',
    ]);
  });

  it('uses the model set in the environment and reports its tokens', async () => {
    const res = await ask(withModel, { question: 'How many customers are there?' });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body['mode']).toBe('model');
    expect(body['rows']).toEqual([{ n: 6 }]);
    expect((body['usage'] as Record<string, number>)['total_tokens']).toBeGreaterThan(0);
  });

  it('refuses an empty, blank or 100 KB question with 400 naming the field, an unanswerable one with 422, a read key with 403', async () => {
    const empty = await ask(offline, { question: '' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/question/);
    const blank = await ask(offline, { question: '   ' });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { error: { message: string } }).error.message).toBe(
      'question: the question is empty',
    );
    const huge = await ask(offline, { question: 'x'.repeat(100_000) });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(/question.*2000/);
    const none = await ask(offline, { question: 'What is the meaning of life?' });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unanswerable');
    expect((await ask(offline, { question: 'How many orders?' }, 'read')).status).toBe(403);
  });
});

describe('POST /v1/assistant/copy', () => {
  it('writes the template copy for a segment with its figures (snake_case), for a read key', async () => {
    const res = await offline.fetch('/v1/assistant/copy', {
      method: 'POST',
      key: 'read',
      json: { segment: 'at_risk' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      subject: string;
      body: string;
      figures: Record<string, unknown>;
      mode: string;
    };
    // test-store.ts: at_risk is c3 alone, 28 days since o6 (Mug x3, Candle x1).
    expect(body.subject).toBe('We miss you');
    expect(body.body).toBe(
      'It has been about 28 days since your last order. Mug and Candle are still here, loved by customers like you. Come and have a look.',
    );
    expect(body.figures['avg_days_since_order']).toBe(28);
    expect(body.mode).toBe('template');
  });

  it("an uplift segment: the contacts the campaign's model would pick, scored on a worker thread", async () => {
    const copy = (json: unknown) =>
      offline.fetch('/v1/assistant/copy', { method: 'POST', key: 'read', json });
    const res = await copy({ segment: 'uplift:spring', budget: 0.5 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { body: string; figures: Record<string, unknown> };
    // test-uplift-campaign.ts: the top half by uplift is the 20 recent contacts; c1 and c3 bought Mug, Poster, Candle.
    expect([body.figures['customers'], body.figures['treatment'], body.figures['avg_spend']]).toEqual([
      20,
      'email',
      95,
    ]);
    expect(body.body).toBe(
      'Have a look at Mug, Poster and Candle, favourites of customers like you. Come and have a look.',
    );
    const none = await copy({ segment: 'uplift:autumn' });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(
      /uplift:autumn: no promoted/,
    );
  });

  it('refuses an unknown segment with 400 and an empty one with 422', async () => {
    const bad = await offline.fetch('/v1/assistant/copy', {
      method: 'POST',
      key: 'read',
      json: { segment: 'vip' },
    });
    expect(bad.status).toBe(400);
    const empty = await offline.fetch('/v1/assistant/copy', {
      method: 'POST',
      key: 'read',
      json: { segment: 'loyal' },
    });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(
      /no customer is in loyal/,
    );
  });
});

const support = (s: TestServer, json: unknown, key = 'read') =>
  s.fetch('/v1/assistant/support', { method: 'POST', key, json });

describe('POST /v1/assistant/support', () => {
  it('refuses with 422 no_knowledge before a FAQ is imported, then answers from the import, and rebuilds its index when the table changes', async () => {
    const none = await support(offline, { question: 'Where is my order?' });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('no_knowledge');

    const imported = await offline.fetch('/v1/admin/import', {
      method: 'POST',
      key: 'admin',
      json: { path: FAQ, preset: 'faq' },
    });
    expect(imported.status).toBe(200);
    const res = await support(offline, { question: 'Where is my order?', customer_id: 'c1' });
    expect(res.status).toBe(200);
    const a = (await res.json()) as Record<string, unknown>;
    expect(a['intent']).toBe('track_order');
    expect(a['handed_over']).toBe(false);
    expect(a['mode']).toBe('retrieval');
    // c1's newest order in test-store.ts is o9; no shop name is set, so "on {{Website Name}}" goes.
    expect(a['answer']).toBe('Your order o9 is on its way. You can follow it under Order History.');
    // A track_order entry of the FAQ (their answers are one text, so the fused ranking may lead with any of them).
    expect([
      'Where is my order?',
      'How can I track my parcel?',
      'When will my order arrive?',
      'Has my order been shipped yet?',
      '我的订单到哪里了？',
    ]).toContain((a['sources'] as { doc_id: string }[])[0]!.doc_id);
    expect(a['notes']).toEqual([
      'no language model is set (SHOPSIGHT_LLM_BASE_URL): the answer is the best passage, retrieval-only',
    ]);

    // A new entry imported while the server runs is answered from at once.
    const more = join(offline.dir, 'more-faq.csv');
    writeFileSync(
      more,
      'question,answer,intent\nDo you offer gift wrapping?,Every order can be gift wrapped for 2 pounds.,gift_wrap\n' +
        'Can you wrap my present?,Every order can be gift wrapped for 2 pounds.,gift_wrap\n',
    );
    const again = await offline.fetch('/v1/admin/import', {
      method: 'POST',
      key: 'admin',
      json: { path: more, preset: 'faq' },
    });
    expect(again.status).toBe(200);
    const wrap = (await (await support(offline, { question: 'Can you gift wrap my present?' })).json()) as {
      intent: string;
      answer: string;
    };
    expect(wrap.intent).toBe('gift_wrap');
    expect(wrap.answer).toBe('Every order can be gift wrapped for 2 pounds.');
  });

  it('hands over with the reason when the shopper asks for a person; refuses an empty or 100 KB question with 400', async () => {
    const person = (await (
      await support(withModel, { question: 'Can I talk to a real person please?' })
    ).json()) as Record<string, unknown>;
    expect(person['handed_over']).toBe(true);
    expect(person['handover_reason']).toBe('the customer asked for a person');
    expect((await support(withModel, { question: '' })).status).toBe(400);
    const huge = await support(withModel, { question: 'x'.repeat(100_000) });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(/question/);
    expect((await support(withModel, { question: 'hi', extra: 1 })).status).toBe(400);
  });

  it("with a model: answers from the passages with a checked citation, the order tool reads only the asker's orders", async () => {
    const before = llm.chatRequests().length;
    const res = await support(withModel, { question: 'where is my order o9', customer_id: 'c1' });
    expect(res.status).toBe(200);
    const a = (await res.json()) as {
      mode: string;
      answer: string;
      sources: { doc_id: string }[];
      tool_calls: { name: string; ok: boolean }[];
      usage: { total_tokens: number };
    };
    expect(a.mode).toBe('model');
    expect(a.answer).toMatch(/^Your order o9 has shipped \[doc:[^\]]+\]\.$/);
    expect(a.sources).toHaveLength(1);
    expect(a.answer).toContain(`[doc:${a.sources[0]!.doc_id}]`);
    expect(a.tool_calls.map((c) => c.name)).toEqual(['order_status', 'order_status']);
    expect(a.usage.total_tokens).toBeGreaterThan(0);
    const second = llm.chatRequests()[before + 1]!;
    const tools = second.body.messages!.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(JSON.parse(tools[0]!)).toMatchObject({ order_id: 'o9', status: 'shipped' });
    expect(tools[1]).toBe('no order o2 for this customer');
  });
});
