/**
 * @module cli/commands/reviews
 * `shopsight reviews [insight] [--product P] [--category C] [--month YYYY-MM] [--json]`: the review insight
 * of a product, a category or the whole store (tasks/reviews/insight.ts). It first scores the
 * reviews in scope that have no score by the promoted sentiment model (or the lexicon fallback)
 * and stores the scores (review_scores), which the API then serves.
 *
 * `shopsight reviews score --file reviews.csv --out scored.csv`: scores every text of a CSV's
 * `review` column with the promoted sentiment model. The output has one row per input row, in
 * order, with the columns review, label (1 positive, 0 negative), probability, aspects (`aspect:+` or
 * `aspect:-` joined by `;`, from tasks/reviews/aspects.ts); a text that
 * cannot be scored keeps its row with label and probability empty, and its line and reason go to
 * stderr. The review column is written with personal data masked (e-mails, phones, ID and card
 * numbers, IPs, addresses: ml/text/pii.ts) unless `--show-personal`; scoring reads the text as is.
 *
 * `shopsight reviews aspects [--llm]`: the aspect lists per category, and the optional LLM check
 * (reviews-aspects.ts).
 *
 * Each runs on a DuckDB file or a ClickHouse cluster (`--db clickhouse://...`; the scores are stored
 * in the cluster: docs/clickhouse.md).
 */
import { createWriteStream } from 'node:fs';
import { Command, Option } from 'commander';
import { csvRow } from '../../core/csv.js';
import { scoreStoreReviews, storeReviewInsight } from '../../registry/review-scoring.js';
import { maskPii } from '../../ml/text/pii.js';
import { loadSentimentModel } from '../../registry/sentiment-training.js';
import { extractAspects, formatAspects } from '../../tasks/reviews/aspects.js';
import type { ReviewInsight } from '../../tasks/reviews/insight.js';
import { scoreSentiment } from '../../tasks/reviews/sentiment-model.js';
import { readTextColumn } from '../../warehouse/read-text-column.js';
import { reviewsAspectsCommand } from './reviews-aspects.js';
import {
  dbOption,
  formatTable,
  jsonOption,
  printJson,
  showPersonalOption,
  withWarehouse,
} from '../context.js';

interface ScoreOptions {
  file: string;
  out: string;
  column: string;
  showPersonal?: boolean;
  db?: string;
  json?: boolean;
}

interface InsightCliOptions {
  product?: string;
  category?: string;
  month?: string;
  alpha: number;
  top: number;
  db?: string;
  json?: boolean;
}

export function reviewsCommand(): Command {
  const cmd = new Command('reviews').description(
    'review insight of a product, a category or the store (the default), and scoring files of texts',
  );
  // The insight is the default subcommand, so `shopsight reviews --product P` runs it: options on
  // `reviews` itself would take `--db` away from `reviews score` (commander parses a parent's
  // options anywhere on the line).
  const insight = new Command('insight')
    .description(
      'review insight (sentiment, aspects with examples, monthly shares, what turned negative) of a product, a category or the store',
    )
    .addOption(new Option('--product <id>', 'one product'))
    .addOption(new Option('--category <name>', 'one category'))
    .addOption(
      new Option('--month <YYYY-MM>', 'the month compared with the three before it (default: the latest)'),
    )
    .addOption(
      new Option('--alpha <p>', 'significance level of the rising-products test')
        .default(0.05)
        .argParser(parseAlpha),
    )
    .addOption(new Option('--top <n>', 'aspects listed').default(10).argParser(parseTop))
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: InsightCliOptions) => {
      if (opts.product !== undefined && opts.category !== undefined)
        throw new Error('--product and --category: give one of them, not both');
      const scope = {
        ...(opts.product !== undefined ? { productId: opts.product } : {}),
        ...(opts.category !== undefined ? { category: opts.category } : {}),
      };
      const { scoring, insight } = await withWarehouse(
        opts.db,
        async (wh) => {
          const scoring = await scoreStoreReviews(wh, {
            ...scope,
            onProgress: (done, total) => {
              if (!opts.json)
                process.stderr.write(
                  `scored ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} reviews\n`,
                );
            },
          });
          const insight = await storeReviewInsight(wh, {
            scope,
            alpha: opts.alpha,
            topAspects: opts.top,
            ...(opts.month !== undefined ? { month: opts.month } : {}),
          });
          return { scoring, insight };
        },
        { viaServer: 'GET /v1/products/:id/reviews/insight', clickhouse: true },
      );
      if (opts.json) return printJson({ scoring, insight });
      process.stdout.write(formatInsight(insight, scoring.modelId, scoring.scored));
    });
  cmd.addCommand(insight, { isDefault: true });
  cmd.addCommand(reviewsAspectsCommand());
  cmd.addCommand(
    new Command('score')
      .description('score a CSV of review texts with the promoted sentiment model')
      .addOption(new Option('--file <csv>', 'CSV with a header and a review column').makeOptionMandatory())
      .addOption(
        new Option('--out <csv>', 'where to write review, label, probability, aspects').makeOptionMandatory(),
      )
      .addOption(new Option('--column <name>', 'the text column').default('review'))
      .addOption(showPersonalOption())
      .addOption(dbOption())
      .addOption(jsonOption())
      .action(async (opts: ScoreOptions) => {
        const started = performance.now();
        const { texts, scores, modelId } = await withWarehouse(
          opts.db,
          async (wh) => {
            const { record, model } = await loadSentimentModel(wh);
            const texts = await readTextColumn(wh, opts.file, opts.column);
            return { texts, scores: scoreSentiment(model, texts), modelId: record.modelId };
          },
          { clickhouse: true },
        );
        const out = createWriteStream(opts.out);
        out.write(csvRow(['review', 'label', 'probability', 'aspects']) + '\n');
        const refused: { line: number; reason: string }[] = [];
        scores.forEach((s, i) => {
          // Line numbers as in the file: the header is line 1 (texts with newlines aside).
          if (s.reason) refused.push({ line: i + 2, reason: s.reason });
          const p = s.probability === null ? '' : s.probability.toFixed(4);
          // Aspects of a scored text (on the part scored, for a long one); none for a refused text.
          const aspects =
            s.reason === undefined ? formatAspects(extractAspects(texts[i]!.slice(0, 20_000))) : '';
          const shown = opts.showPersonal ? texts[i]! : maskPii(texts[i]!);
          out.write(csvRow([shown, s.label === null ? '' : String(s.label), p, aspects]) + '\n');
        });
        await new Promise<void>((resolve, reject) =>
          out.end((err?: Error | null) => (err ? reject(err) : resolve())),
        );
        const summary = {
          model: modelId,
          rows: texts.length,
          scored: texts.length - refused.length,
          cannotScore: refused.length,
          seconds: (performance.now() - started) / 1000,
          out: opts.out,
        };
        for (const r of refused.slice(0, 20))
          process.stderr.write(`${opts.file}:${r.line}: cannot score: ${r.reason}\n`);
        if (refused.length > 20)
          process.stderr.write(`... and ${refused.length - 20} more rows that cannot be scored\n`);
        if (opts.json) return printJson({ ...summary, cannotScoreRows: refused });
        process.stdout.write(
          `scored ${summary.scored.toLocaleString('en-US')} of ${summary.rows.toLocaleString('en-US')} texts with ${modelId} ` +
            `in ${summary.seconds.toFixed(1)} s -> ${opts.out}` +
            (refused.length ? ` (${refused.length} cannot be scored, kept with empty label)` : '') +
            '\n',
        );
      }),
  );
  return cmd;
}

function parseAlpha(v: string): number {
  const a = Number(v);
  if (!(a > 0 && a < 1)) throw new Error(`--alpha: expected a number between 0 and 1, got '${v}'`);
  return a;
}

function parseTop(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--top: expected a whole number >= 1, got '${v}'`);
  return n;
}

const pct = (v: number | null): string => (v === null ? '' : `${(v * 100).toFixed(1)}%`);
const n0 = (v: number): string => v.toLocaleString('en-US');

/** The insight for people: counts, months, aspects with an example each, the comparison. */
export function formatInsight(i: ReviewInsight, modelId: string, scoredNow: number): string {
  const scope =
    i.scope.productId !== undefined
      ? `product ${i.scope.productId}`
      : i.scope.category !== undefined
        ? `category ${i.scope.category}`
        : 'the store';
  const out: string[] = [];
  out.push(
    `Reviews of ${scope}: ${n0(i.reviews)} with text, ${n0(i.scored)} scored` +
      (i.cannotScore ? `, ${n0(i.cannotScore)} cannot be scored` : '') +
      (i.unscored ? `, ${n0(i.unscored)} not scored` : '') +
      ` (scores by ${Object.keys(i.models).join(', ') || modelId}; ${n0(scoredNow)} scored now)`,
  );
  if (!i.scored) return out.join('\n') + '\n';
  out.push(
    `Sentiment: ${pct(1 - i.sentiment.negativeShare!)} positive, ${pct(i.sentiment.negativeShare)} negative` +
      (i.averageRating === null ? '' : `; ${i.averageRating.toFixed(2)} stars on average`),
  );
  if (i.months.length) {
    out.push('', 'By month (last 12):');
    out.push(
      formatTable(
        ['month', 'reviews', 'negative', 'negative share'],
        i.months.slice(-12).map((m) => [m.month, m.reviews, m.negative, pct(m.negativeShare)]),
      ),
    );
  }
  if (i.aspects.length) {
    out.push('', 'Top aspects:');
    out.push(
      formatTable(
        ['aspect', 'reviews', '+', '-', 'negative share', 'example'],
        i.aspects.map((a) => [
          a.aspect,
          a.reviews,
          a.positive,
          a.negative,
          pct(a.negativeShare),
          (a.negativeShare > 0.5 ? a.examples.negative[0] : a.examples.positive[0]) ??
            a.examples.negative[0] ??
            '',
        ]),
      ),
    );
  }
  const c = i.comparison;
  if (c.month) {
    out.push('', `${c.month} against ${c.before[0]} to ${c.before[c.before.length - 1]}:`);
    out.push(
      c.turnedNegative.length
        ? 'aspects turned negative: ' +
            c.turnedNegative
              .map(
                (t) =>
                  `${t.aspect} (${t.month.negative} of ${t.month.mentions} mentions negative, before ${pct(t.before.negativeShare) || 'no mention'})`,
              )
              .join('; ')
        : 'no aspect turned negative',
    );
    const rising = c.products.filter((p) => p.verdict === 'higher');
    if (i.scope.productId !== undefined && c.products[0]) {
      out.push(`negative share: ${c.products[0].reason}`);
    } else {
      out.push(
        rising.length
          ? `products whose negative share rose (alpha ${c.alpha}): ` +
              rising.map((p) => `${p.productId}${p.title ? ` ${p.title}` : ''}: ${p.reason}`).join('; ')
          : `no product's negative share rose significantly (alpha ${c.alpha}, ${n0(c.products.length)} products compared)`,
      );
    }
  }
  return out.join('\n') + '\n';
}
