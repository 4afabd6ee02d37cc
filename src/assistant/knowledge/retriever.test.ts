import { describe, expect, it } from 'vitest';
import { faqEntry } from './test-entries.js';
import { IntentClassifier } from './intent-classifier.js';
import { KnowledgeRetriever } from './retriever.js';

const entry = faqEntry;

const KB = [
  entry('a', 'how do I cancel my order', 'Open Orders and press Cancel.', 'cancel_order'),
  entry('b', 'cancel order please', 'Open Orders and press Cancel.', 'cancel_order'),
  entry('c', 'where is my parcel', 'Track it from the Orders page.', 'track_order'),
  entry('d', 'I want my money back', 'Refunds take 5 days.', 'get_refund'),
  entry('e', '我的订单在哪里', '您可以在订单页面查看物流。', 'track_order'),
];

describe('KnowledgeRetriever', () => {
  it('ranks by BM25 over questions and answers fused, and groups by intent', async () => {
    const r = await KnowledgeRetriever.build(KB);
    const hits = await r.search('cancel my order', 5);
    expect(hits.slice(0, 2).map((h) => h.entry.docId)).toEqual(['a', 'b']);
    const intents = await r.byIntent('cancel my order', 3);
    // track_order and get_refund share only 'my' with the query: the shorter question ranks first.
    expect(intents.map((h) => h.entry.intent)).toEqual(['cancel_order', 'track_order', 'get_refund']);
    expect(r.usesEmbeddings).toBe(false);
  });

  it('finds Chinese questions through ICU word segmentation', async () => {
    const r = await KnowledgeRetriever.build(KB);
    const [best] = await r.search('订单在哪里', 1);
    expect(best!.entry.docId).toBe('e');
  });

  it('adds an embeddings ranking when an embedder is given, fused by reciprocal rank', async () => {
    // A toy embedder: the money question and the refund entry share a direction, nothing else does.
    const embed = async (texts: readonly string[]) =>
      texts.map((t) => Float32Array.from(/money|refund|reimburse/i.test(t) ? [1, 0] : [0, 1]));
    const r = await KnowledgeRetriever.build(KB, { embed });
    expect(r.usesEmbeddings).toBe(true);
    // No shared word with any entry: BM25 finds nothing, the embeddings ranking alone puts d first.
    const [best] = await r.search('reimburse', 1);
    expect(best!.entry.docId).toBe('d');
    expect(best!.bm25).toBe(0);
  });
});

describe('IntentClassifier', () => {
  it('learns intents from phrasings and names the intent of a new one with its probability', () => {
    const examples = [
      ...['cancel my order', 'i want to cancel the order', 'cancel purchase', 'stop my order please'].map(
        (text) => ({ text, intent: 'cancel_order' }),
      ),
      ...['where is my parcel', 'track my order', 'when does my parcel arrive', 'parcel tracking'].map(
        (text) => ({ text, intent: 'track_order' }),
      ),
      ...['refund please', 'i want my money back', 'get a refund', 'money back for my order'].map((text) => ({
        text,
        intent: 'get_refund',
      })),
    ];
    const c = IntentClassifier.train(examples);
    expect(c.intents).toEqual(['cancel_order', 'get_refund', 'track_order']);
    const [a, b] = c.predict(['please cancel it', 'track parcel'], 3);
    expect(a![0]!.intent).toBe('cancel_order');
    expect(b![0]!.intent).toBe('track_order');
    expect(a!.reduce((s, p) => s + p.probability, 0)).toBeCloseTo(1, 10);
    expect(() => IntentClassifier.train([{ text: 'x', intent: 'one' }])).toThrow(/two intents/);
  });
});
