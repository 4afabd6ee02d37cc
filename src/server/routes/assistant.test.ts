import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedLlm, type ScriptedLlm } from '../../assistant/llm/test-llm-server.js';
import { fillTestStore } from '../../warehouse/analytics/test-store.js';
import { startTestServer, type TestServer } from '../test-server.js';

let offline: TestServer;
let withModel: TestServer;
let llm: ScriptedLlm;
const saved = { ...process.env };

beforeAll(async () => {
  delete process.env['SHOPSIGHT_LLM_BASE_URL'];
  offline = await startTestServer({ seed: fillTestStore });
  llm = await startScriptedLlm([
    { reply: JSON.stringify({ sql: 'SELECT count(*) AS n FROM ask_customers' }) },
  ]);
  process.env['SHOPSIGHT_LLM_BASE_URL'] = llm.baseUrl;
  process.env['SHOPSIGHT_LLM_MODEL'] = 'scripted';
  withModel = await startTestServer({ seed: fillTestStore });
  process.env = saved;
}, 60_000);
afterAll(async () => {
  await offline?.close();
  await withModel?.close();
  await llm?.close();
});

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
