/**
 * Issue 13 "The assistant", must show: on the Bitext customer-support file
 * (../shared/datasets/customer-support, imported with --preset bitext), split 80/20 by a fixed seed
 * (13) and never tuned on the 20%, retrieval-only mode reaches intent accuracy >= 0.97 (the intent
 * classifier: word + character n-gram TF-IDF, multinomial logistic regression, trained on the 80%)
 * and the right intent's answer in the top 3 >= 0.98 (the retriever: BM25 over questions and
 * answers fused by reciprocal rank, indexed on the 80%). The classifier's L2 was chosen on a
 * validation part of the 80% (docs/assistant.md). Thresholds: the issue's.
 *
 * Time: about 40 s (import 2 s, classifier training about 12 s, 722 questions), measured under load 1-2.
 */
import { IntentClassifier } from '../../src/assistant/knowledge/intent-classifier.js';
import { KnowledgeRetriever } from '../../src/assistant/knowledge/retriever.js';
import { Rng } from '../../src/core/random.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { loadKnowledge, type KnowledgeEntry } from '../../src/warehouse/knowledge-store.js';
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
    let top1 = 0;
    let top3 = 0;
    for (const e of test) {
      const hits = await retriever.byIntent(e.question, 3);
      if (hits[0]?.entry.intent === e.intent) top1++;
      if (hits.some((h) => h.entry.intent === e.intent)) top3++;
    }
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
    const report = [
      `Bitext 80/20 (seed ${SPLIT_SEED}): ${train.length} entries indexed and trained on, ${test.length} questions asked.`,
      '',
      '| retrieval-only | value |',
      '|---|---|',
      `| intent accuracy, classifier (TF-IDF words + char 2-4-grams, multinomial logistic) | ${(intentRight / test.length).toFixed(4)} |`,
      `| intent of the best retrieved entry (BM25 questions + answers, RRF) | ${(top1 / test.length).toFixed(4)} |`,
      `| right intent's answer in the top 3 (retrieval) | ${(top3 / test.length).toFixed(4)} |`,
      '',
      'With a language model set the support answers are written from these passages; the intent and retrieval figures above do not depend on it.',
    ].join('\n');
    return { checks, report };
  } finally {
    await wh.close();
  }
}
