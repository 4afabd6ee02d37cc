/**
 * Issue 13 "The assistant", must show: on the Bitext customer-support file
 * (../shared/datasets/customer-support, imported with --preset bitext), split 80/20 by a fixed seed
 * (13) and never tuned on the 20%, retrieval-only mode reaches intent accuracy >= 0.97 (the intent
 * classifier: word + character n-gram TF-IDF, multinomial logistic regression, trained on the 80%)
 * and the right intent's answer in the top 3 >= 0.98 (the retriever: BM25 over questions and
 * answers fused by reciprocal rank, indexed on the 80%). The classifier's L2 was chosen on a
 * validation part of the 80% (docs/assistant.md). Thresholds: the issue's. With
 * SHOPSIGHT_LLM_BASE_URL set, the report adds the same split with the model (not asserted):
 * retrieval with embeddings fused (SHOPSIGHT_EMBEDDINGS_MODEL) and the support answers the model
 * writes for the first SHOPSIGHT_EVAL_LLM_QUESTIONS (default 100) test questions.
 *
 * Time: about 40 s (import 2 s, classifier training about 12 s, 722 questions), measured under load 1-2.
 */
import { IntentClassifier } from '../../src/assistant/knowledge/intent-classifier.js';
import { endpointEmbedder, knowledgeIndexOf } from '../../src/assistant/knowledge/knowledge-index.js';
import { KnowledgeRetriever } from '../../src/assistant/knowledge/retriever.js';
import { LlmClient } from '../../src/assistant/llm/client.js';
import { readLlmConfig, type LlmConfig } from '../../src/assistant/llm/config.js';
import { SupportAssistant } from '../../src/assistant/support/support.js';
import { Rng } from '../../src/core/random.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { loadKnowledge, type KnowledgeEntry } from '../../src/warehouse/knowledge-store.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { atLeast, equals, type Check, type SuiteResult } from '../check.js';
import { dataset } from '../datasets.js';

const SUITE = 'assistant: customer-support knowledge (Bitext)';
const ISSUE = 'issue 13: retrieval-only intent accuracy >= 0.97, right answer in the top 3 >= 0.98';
export const SPLIT_SEED = 13;

/** The fixed 80/20 split: a seeded Fisher-Yates shuffle of the entries in doc_id order. */
export function splitKnowledge(
  entries: readonly KnowledgeEntry[],
  seed = SPLIT_SEED,
): { train: KnowledgeEntry[]; test: KnowledgeEntry[] } {
  const rng = new Rng(seed);
  const x = [...entries];
  for (let i = x.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [x[i], x[j]] = [x[j]!, x[i]!];
  }
  const cut = Math.round(0.8 * x.length);
  return { train: x.slice(0, cut), test: x.slice(cut) };
}

export async function assistantKnowledge(): Promise<SuiteResult> {
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    const s = await importSource(wh, {
      target: dataset('customer-support', 'bitext_customer_support_dev.csv'),
      preset: getPreset('bitext'),
    });
    const checks: Check[] = [
      equals(SUITE, 'rows imported', 3611, s.rowsImported, 'shared/datasets/README.md: 3,611 rows'),
    ];
    const { train, test } = splitKnowledge(await loadKnowledge(wh));
    const classifier = IntentClassifier.train(
      train.map((e) => ({ text: e.question, intent: e.intent ?? '' })),
    );
    const predicted = classifier.predict(
      test.map((e) => e.question),
      1,
    );
    const intentRight = predicted.filter((p, i) => p[0]!.intent === test[i]!.intent).length;
    const retriever = await KnowledgeRetriever.build(train);
    const { top1, top3 } = await intentHits(retriever, test);
    checks.push(
      equals(SUITE, 'intents', 27, classifier.intents.length, 'shared/datasets/README.md: 27 intents'),
      atLeast(SUITE, 'intent accuracy on the 20% (classifier)', 0.97, intentRight / test.length, ISSUE),
      atLeast(
        SUITE,
        "right intent's answer in the top 3 on the 20% (retrieval)",
        0.98,
        top3 / test.length,
        ISSUE,
      ),
    );
    const config = readLlmConfig();
    const withModel = config ? await modelFigures(wh, config, train, test, classifier, retriever) : [];
    const report = [
      `Bitext 80/20 (seed ${SPLIT_SEED}): ${train.length} entries indexed and trained on, ${test.length} questions asked.`,
      '',
      '| retrieval-only | value |',
      '|---|---|',
      `| intent accuracy, classifier (TF-IDF words + char 2-4-grams, multinomial logistic) | ${(intentRight / test.length).toFixed(4)} |`,
      `| intent of the best retrieved entry (BM25 questions + answers, RRF) | ${(top1 / test.length).toFixed(4)} |`,
      `| right intent's answer in the top 3 (retrieval) | ${(top3 / test.length).toFixed(4)} |`,
      '',
      ...(config
        ? withModel
        : [
            'No language model was set (SHOPSIGHT_LLM_BASE_URL): the figures with a model were not measured. ' +
              'With one set (and SHOPSIGHT_EMBEDDINGS_MODEL), this report adds retrieval with embeddings fused and ' +
              `the support answers the model writes for the first ${DEFAULT_MODEL_QUESTIONS} test questions (SHOPSIGHT_EVAL_LLM_QUESTIONS).`,
          ]),
    ].join('\n');
    return { checks, report };
  } finally {
    await wh.close();
  }
}

/** How many test questions get their own intent's answer first, and within the top 3 intents. */
async function intentHits(
  retriever: KnowledgeRetriever,
  test: readonly KnowledgeEntry[],
): Promise<{ top1: number; top3: number }> {
  let top1 = 0;
  let top3 = 0;
  for (const e of test) {
    const hits = await retriever.byIntent(e.question, 3);
    if (hits[0]?.entry.intent === e.intent) top1++;
    if (hits.some((h) => h.entry.intent === e.intent)) top3++;
  }
  return { top1, top3 };
}

/** Test questions the support answers go through the model for (each is one or more paid calls). */
const DEFAULT_MODEL_QUESTIONS = 100;

/**
 * The same split with the model set (reported, not asserted: the figures depend on the model):
 * retrieval with the embeddings ranking fused in, when an embeddings model is set; then the support
 * answer of the first N test questions written by the model from the passages (no customer, so no
 * order tool): how many it answered citing only passages of the question's intent, how many it
 * handed over, how many fell back to the retrieval answer (its answer cited nothing it was given,
 * or the endpoint failed), and the tokens used.
 */
async function modelFigures(
  wh: Warehouse,
  config: LlmConfig,
  train: readonly KnowledgeEntry[],
  test: readonly KnowledgeEntry[],
  classifier: IntentClassifier,
  bm25Only: KnowledgeRetriever,
): Promise<string[]> {
  const lines = [`| with the model ${config.model} at ${config.baseUrl} | value |`, '|---|---|'];
  const embed = endpointEmbedder(config);
  let retriever = bm25Only;
  if (embed) {
    retriever = await KnowledgeRetriever.build(train, { embed });
    const { top1, top3 } = await intentHits(retriever, test);
    lines.push(
      `| intent of the best retrieved entry, embeddings (${config.embeddingsModel}) fused | ${(top1 / test.length).toFixed(4)} |`,
      `| right intent's answer in the top 3, embeddings fused | ${(top3 / test.length).toFixed(4)} |`,
    );
  } else lines.push('| retrieval with embeddings | not measured: no SHOPSIGHT_EMBEDDINGS_MODEL |');
  const n = Math.min(test.length, questionCount());
  const llm = new LlmClient(config);
  const assistant = SupportAssistant.fromIndex(train, knowledgeIndexOf(retriever, classifier), { llm });
  let right = 0;
  let handed = 0;
  let fellBack = 0;
  for (const e of test.slice(0, n)) {
    const a = await assistant.answer(wh, e.question);
    if (a.handed_over) handed++;
    else if (a.mode !== 'model') fellBack++;
    else if (a.sources.every((s) => train.find((t) => t.docId === s.doc_id)?.intent === e.intent)) right++;
  }
  lines.push(
    `| support answers written by the model citing only the right intent's passages (${n} questions) | ${(right / n).toFixed(4)} |`,
    `| handed over (rules or the model's HANDOVER) | ${(handed / n).toFixed(4)} |`,
    `| fell back to the retrieval answer (no valid citation, or the endpoint failed) | ${(fellBack / n).toFixed(4)} |`,
    `| tokens | ${llm.totals.promptTokens} prompt + ${llm.totals.completionTokens} completion in ${llm.totals.calls} calls |`,
  );
  return lines;
}

function questionCount(): number {
  const raw = process.env['SHOPSIGHT_EVAL_LLM_QUESTIONS']?.trim();
  if (!raw) return DEFAULT_MODEL_QUESTIONS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`SHOPSIGHT_EVAL_LLM_QUESTIONS: '${raw}' is not a whole number >= 1`);
  return n;
}
