/**
 * @module cli/commands/train-sentiment
 * `shopsight train sentiment`: trains the review sentiment model on the store's reviews (labels,
 * else stars 4-5 / 1-2), measures it on a seeded 20% of the distinct texts, stores and promotes it,
 * then scores the store's reviews with it for the review insight (registry/training.ts, the same
 * work as `POST /v1/admin/train/sentiment`). Runs on a DuckDB file or a ClickHouse cluster (the
 * cluster's registry and review scores: docs/clickhouse.md).
 */
import { Command } from 'commander';
import { trainAndRegister } from '../../registry/training.js';
import type { SentimentEvaluation } from '../../tasks/reviews/train-sentiment.js';
import { dbOption, formatTable, jsonOption, printJson, suggest, withWarehouse } from '../context.js';
import { seedOption } from './customer-options.js';

interface Options {
  db?: string;
  json?: boolean;
  seed: number;
}

export function trainSentimentCommand(): Command {
  return new Command('sentiment')
    .description('review sentiment from text (Chinese and English), measured on held-out reviews')
    .addOption(seedOption('seed of the 80/20 split of distinct review texts', 12))
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const {
        models: [record],
        evaluation,
        scoring,
      } = await withWarehouse(
        opts.db,
        (wh) =>
          trainAndRegister(wh, 'sentiment', { seed: opts.seed }, (label) => {
            if (!opts.json) process.stderr.write(`${label}\n`);
          }),
        { viaServer: 'POST /v1/admin/train/sentiment', clickhouse: true },
      );
      if (opts.json) return printJson({ model: record, evaluation, scoring });
      process.stdout.write(
        formatSentimentEvaluation(evaluation) +
          `\n\nstored and promoted: ${record.modelId}\n` +
          `scored ${scoring.scored.toLocaleString('en-US')} reviews of the store in ${scoring.seconds.toFixed(1)} s ` +
          `(${scoring.cannotScore.toLocaleString('en-US')} cannot be scored); read them with ${suggest('reviews', opts.db)}\n` +
          `score a file of texts with ${suggest('reviews score --file reviews.csv --out scored.csv', opts.db)}\n`,
      );
    });
}

export function formatSentimentEvaluation(e: SentimentEvaluation): string {
  const row = (name: string, m: SentimentEvaluation['overall']): unknown[] => [
    name,
    m.n,
    m.accuracy.toFixed(4),
    m.macroF1.toFixed(4),
    Number.isNaN(m.rocAuc) ? 'n/a' : m.rocAuc.toFixed(4),
    m.brier.toFixed(4),
  ];
  return (
    `${e.reviews.toLocaleString('en-US')} reviews with text: ${e.neutralLeftOut.toLocaleString('en-US')} neutral (3 stars) left out, ` +
    `${e.duplicatesDropped.toLocaleString('en-US')} repeated texts and ${e.conflictingDropped} with both labels dropped; ` +
    `${e.distinctTexts.toLocaleString('en-US')} distinct texts split ${Math.round((1 - e.testShare) * 100)}/${Math.round(e.testShare * 100)} (seed ${e.seed}), ` +
    `trained in ${e.trainSeconds.toFixed(1)} s\n\n` +
    formatTable(
      ['test set', 'reviews', 'accuracy', 'macro-F1', 'ROC-AUC', 'Brier'],
      [
        row('model', e.overall),
        row('lexicon fallback', e.lexicon),
        ...e.byCategory.map((c) => row(`  ${c.group}`, c.metrics)),
      ],
    )
  );
}
