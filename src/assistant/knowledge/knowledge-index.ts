/**
 * @module assistant/knowledge/knowledge-index
 * The CPU part of a support answer in one place: the intent classifier (trained on the entries'
 * questions) and the retriever over the entries. `lookup` names the intent and returns the hits as
 * entry positions with their scores: plain data, so the same lookup can run in this thread (the
 * CLI) or in a worker thread (the server, knowledge-index-thread.ts) and give the same answer.
 *
 * @example
 *   const index = await buildKnowledgeIndex(entries);
 *   await index.lookup('where is my order', 20); // { predicted: { intent: 'track_order', ... }, hits: [...] }
 */
import type { KnowledgeEntry } from '../../warehouse/knowledge-store.js';
import type { LlmConfig } from '../llm/config.js';
import { LlmClient } from '../llm/client.js';
import { forEndpoint } from '../llm/redact.js';
import { IntentClassifier, type IntentPrediction } from './intent-classifier.js';
import { KnowledgeRetriever } from './retriever.js';

/** One retrieved entry: its position in the entries the index was built from, and its scores. */
export interface KnowledgeHit {
  readonly index: number;
  /** Reciprocal-rank score (comparable within one query only). */
  readonly score: number;
  /** BM25 of the entry's question against the query: what the hand-over rule reads. */
  readonly bm25: number;
}

export interface KnowledgeLookup {
  /** The classifier's most probable intent; absent when the entries carry fewer than two intents. */
  readonly predicted?: IntentPrediction;
  readonly hits: readonly KnowledgeHit[];
}

export interface KnowledgeIndex {
  lookup(question: string, k: number): Promise<KnowledgeLookup>;
}

/**
 * Indexes the entries and trains the classifier (seconds for thousands of entries). With an
 * embeddings model in `llm`, the entries are embedded too (one call to the endpoint), and each
 * question at lookup; both redacted first unless `llm` switches redaction off.
 */
export async function buildKnowledgeIndex(
  entries: readonly KnowledgeEntry[],
  llm?: LlmConfig,
): Promise<KnowledgeIndex> {
  const embed = endpointEmbedder(llm);
  const retriever = await KnowledgeRetriever.build(entries, embed ? { embed } : {});
  const labelled = entries.filter((e) => e.intent);
  const classifier =
    new Set(labelled.map((e) => e.intent)).size >= 2
      ? IntentClassifier.train(labelled.map((e) => ({ text: e.question, intent: e.intent! })))
      : undefined;
  return knowledgeIndexOf(retriever, classifier);
}

/** The lookup over a retriever and a classifier built already (the eval builds them itself). */
export function knowledgeIndexOf(
  retriever: KnowledgeRetriever,
  classifier?: IntentClassifier,
): KnowledgeIndex {
  return {
    async lookup(question, k) {
      const predicted = classifier?.predict([question], 1)[0]?.[0];
      const hits = (await retriever.search(question, k)).map((h) => ({
        index: h.index,
        score: h.score,
        bm25: h.bm25,
      }));
      return predicted ? { predicted, hits } : { hits };
    },
  };
}

/**
 * The embeddings endpoint of `llm` as a retriever's embedder, or undefined when no embeddings model
 * is set. The shopper's question is embedded at every lookup: it leaves redacted like any chat text
 * (the index does not know who asks, so every order id goes; none helps to find a passage).
 */
export function endpointEmbedder(
  llm: LlmConfig | undefined,
): ((texts: readonly string[]) => Promise<Float32Array[]>) | undefined {
  if (!llm?.embeddingsModel) return undefined;
  const client = new LlmClient(llm);
  return (texts) => client.embed(texts.map((t) => forEndpoint(llm, t, { orderIds: true })));
}
