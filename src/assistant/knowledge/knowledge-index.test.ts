import { afterAll, describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../warehouse/knowledge-store.js';
import { faqEntry } from './test-entries.js';
import { startScriptedLlm, type ScriptedLlm } from '../llm/test-llm-server.js';
import { buildKnowledgeIndex } from './knowledge-index.js';
import { startKnowledgeIndexThread } from './knowledge-index-thread.js';

const entry = faqEntry;

const ENTRIES: KnowledgeEntry[] = [
  entry('t1', 'where is my order', 'It is on its way.', 'track_order'),
  entry('t2', 'track my parcel', 'It is on its way.', 'track_order'),
  entry('t3', '我的订单到哪里了', '正在配送中。', 'track_order'),
  entry('c1', 'cancel my order', 'Open your orders and cancel.', 'cancel_order'),
  entry('c2', 'how do i cancel a purchase', 'Open your orders and cancel.', 'cancel_order'),
  entry('c3', '怎么取消订单', '进入订单页面取消。', 'cancel_order'),
  entry('r1', 'i want a refund', 'Refunds take 5 days.', 'get_refund'),
  entry('r2', 'get my money back', 'Refunds take 5 days.', 'get_refund'),
];

let llm: ScriptedLlm | undefined;
afterAll(async () => {
  await llm?.close();
});

describe('the knowledge index on a worker thread', () => {
  it('answers every lookup exactly as the in-process index does', async () => {
    const local = await buildKnowledgeIndex(ENTRIES);
    const thread = await startKnowledgeIndexThread(ENTRIES);
    try {
      for (const q of [
        'where is my parcel',
        'I want to cancel my order',
        '订单到哪里了',
        'money back please',
      ]) {
        expect(await thread.lookup(q, 5), q).toEqual(await local.lookup(q, 5));
      }
      const a = await thread.lookup('where is my parcel', 5);
      expect(a.predicted?.intent).toBe('track_order');
      expect(ENTRIES[a.hits[0]!.index]!.intent).toBe('track_order');
      expect((await thread.lookup('怎么取消', 3)).predicted?.intent).toBe('cancel_order');
    } finally {
      await thread.close();
    }
    await expect(thread.lookup('where is my order', 3)).rejects.toThrow(/closed/);
  });

  it('embeds through the endpoint inside the worker when an embeddings model is set', async () => {
    llm = await startScriptedLlm([]);
    const config = {
      baseUrl: llm.baseUrl,
      model: 'm',
      apiKey: 'k',
      timeoutMs: 5_000,
      maxRetries: 0,
      embeddingsModel: 'e',
      redactPersonalData: true,
    };
    const thread = await startKnowledgeIndexThread(ENTRIES, config);
    try {
      expect((await thread.lookup('track my parcel', 3)).predicted?.intent).toBe('track_order');
    } finally {
      await thread.close();
    }
    const inputs = llm.requests.filter((r) => r.path.endsWith('/embeddings')).map((r) => r.body.input);
    // One call for the entries (question and answer of each), one for the question.
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toHaveLength(ENTRIES.length);
    expect(inputs[1]).toEqual(['track my parcel']);
  });

  it('rejects with the reason when the build fails (an embeddings endpoint that is not there), and ends the worker', async () => {
    const gone = await startScriptedLlm([]);
    const baseUrl = gone.baseUrl;
    await gone.close();
    const config = {
      baseUrl,
      model: 'm',
      apiKey: 'k',
      timeoutMs: 2_000,
      maxRetries: 0,
      embeddingsModel: 'e',
      redactPersonalData: true,
    };
    await expect(startKnowledgeIndexThread(ENTRIES, config)).rejects.toThrow(
      /cannot reach the language model endpoint/,
    );
  });
});
