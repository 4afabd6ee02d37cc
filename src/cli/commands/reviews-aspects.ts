/**
 * @module cli/commands/reviews-aspects
 * `shopsight reviews aspects [--product P | --category C] [--min-reviews 3] [--top 15] [--llm [--sample 100] [--batch 20]]`:
 * the aspects the unsupervised extraction finds in the reviews in scope, one list per category
 * (tasks/reviews/aspects.ts), and with `--llm` the optional LLM pass of issue 12 on an evenly spaced
 * sample of those reviews, checked against the extraction: precision, recall and polarity agreement
 * overall and per aspect (assistant/reviews/aspect-check.ts). Without an endpoint the pass says it is
 * off; when it fails (garbage, timeout) the reason is printed and the unsupervised lists stand (exit 0).
 */
import { Command, Option } from 'commander';
import { readLlmConfig } from '../../assistant/llm/config.js';
import type { LlmAspectCheck } from '../../assistant/reviews/aspect-check.js';
import { loadReviewTexts } from '../../features/review-texts.js';
import { aspectVocabularyByCategory, type CategoryAspects } from '../../tasks/reviews/aspects.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { wholeNumber } from './forecast.js';

interface AspectsCliOptions {
  product?: string;
  category?: string;
  minReviews: number;
  top: number;
  llm?: boolean;
  sample: number;
  batch: number;
  db?: string;
  json?: boolean;
}

type LlmSection = { status: 'off'; reason: string } | (LlmAspectCheck & { sampled: number });

export const LLM_OFF_REASON =
  'the LLM aspect pass is off: no language model is set (SHOPSIGHT_LLM_BASE_URL and SHOPSIGHT_LLM_MODEL, docs/assistant.md); the aspects above are the unsupervised extraction alone';

export function reviewsAspectsCommand(): Command {
  return new Command('aspects')
    .description(
      'aspects the reviews talk about, per category (unsupervised); --llm: checked against a language model',
    )
    .addOption(new Option('--product <id>', 'one product'))
    .addOption(new Option('--category <name>', 'one category'))
    .addOption(
      new Option('--min-reviews <n>', 'an aspect is listed when found in at least n reviews of its category')
        .default(3)
        .argParser(wholeNumber('--min-reviews', 1)),
    )
    .addOption(
      new Option('--top <n>', 'aspects listed per category').default(15).argParser(wholeNumber('--top', 1)),
    )
    .addOption(new Option('--llm', 'label aspects of a sample with the language model and compare'))
    .addOption(
      new Option('--sample <n>', '--llm: reviews sent, spread evenly over the scope')
        .default(100)
        .argParser(wholeNumber('--sample', 1)),
    )
    .addOption(
      new Option('--batch <n>', '--llm: reviews per request')
        .default(20)
        .argParser(wholeNumber('--batch', 1)),
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: AspectsCliOptions) => {
      if (opts.product !== undefined && opts.category !== undefined)
        throw new Error('--product and --category: give one of them, not both');
      // A malformed endpoint setting is an error before any work; none at all is "off".
      const config = opts.llm ? readLlmConfig() : undefined;
      const scope = {
        ...(opts.product !== undefined ? { productId: opts.product } : {}),
        ...(opts.category !== undefined ? { category: opts.category } : {}),
      };
      const { r, knownNames } = await withWarehouse(
        opts.db,
        async (wh) => ({
          r: await loadReviewTexts(wh, scope),
          // The store's names, redacted from the reviews sent to the endpoint (none read without one).
          knownNames: config
            ? await (await import('../../assistant/llm/shop-names.js')).shopNames(wh, config)
            : [],
        }),
        { clickhouse: true },
      );
      const categories = aspectVocabularyByCategory(r.text, r.category, opts.minReviews);
      let llm: LlmSection | undefined;
      if (opts.llm && !config) llm = { status: 'off', reason: LLM_OFF_REASON };
      else if (config) {
        // Loaded only for the pass: the client package would slow every `shopsight reviews` start.
        const { LlmClient } = await import('../../assistant/llm/client.js');
        const { checkAspectsWithLlm, evenlySpaced } = await import('../../assistant/reviews/aspect-check.js');
        const rows = evenlySpaced(r.length, opts.sample);
        const check = await checkAspectsWithLlm(
          new LlmClient(config),
          rows.map((i) => r.text[i]!),
          {
            batchSize: opts.batch,
            knownNames,
            onBatch: (done, total) => {
              if (!opts.json) process.stderr.write(`LLM aspect pass: batch ${done} of ${total}\n`);
            },
          },
        );
        llm = { ...check, sampled: rows.length };
      }
      const result = {
        scope,
        reviews: r.length,
        minReviews: opts.minReviews,
        categories: categories.map((c) => ({ ...c, aspects: c.aspects.slice(0, opts.top) })),
        ...(llm ? { llm } : {}),
      };
      if (opts.json) return printJson(result);
      process.stdout.write(formatAspectLists(result.reviews, result.categories, opts.minReviews));
      if (llm) process.stdout.write('\n' + formatLlmCheck(llm, r.length, opts.top));
    });
}

const f3 = (v: number): string => (Number.isNaN(v) ? '-' : v.toFixed(3));

function formatAspectLists(
  reviews: number,
  categories: readonly CategoryAspects[],
  minReviews: number,
): string {
  const out = [
    `Aspects found by the unsupervised extraction (noun + opinion word) in ${reviews.toLocaleString('en-US')} reviews, ` +
      `listed when named in at least ${minReviews} reviews of the category:`,
  ];
  for (const c of categories) {
    out.push('', `${c.category ?? '(no category)'}: ${c.reviews.toLocaleString('en-US')} reviews`);
    out.push(
      c.aspects.length
        ? formatTable(
            ['aspect', 'reviews', '+', '-'],
            c.aspects.map((a) => [a.aspect, a.reviews, a.positive, a.negative]),
          )
        : '(no aspect often enough)',
    );
  }
  return out.join('\n') + '\n';
}

function formatLlmCheck(llm: LlmSection, reviews: number, top: number): string {
  if (llm.status === 'off') return `note: ${llm.reason}\n`;
  const out = [
    `LLM aspect pass (model ${llm.model}): ${llm.sampled} of ${reviews.toLocaleString('en-US')} reviews sampled evenly, ` +
      `${llm.batches} batches, ${llm.labelled} reviews labelled (${llm.status})`,
  ];
  const c = llm.comparison;
  if (!c) {
    out.push('no review was labelled by the model: the unsupervised aspects above stand');
  } else {
    const o = c.overall;
    out.push(
      "The model's aspects as the reference: precision = share of the extraction's aspects the model also named, " +
        "recall = share of the model's aspects the extraction found, polarity = same polarity among the matched.",
      `overall: extraction ${o.found} aspects, model ${o.labelled}; precision ${f3(o.precision)}, recall ${f3(o.recall)}, ` +
        `polarity ${f3(o.polarityAgreement)}`,
      formatTable(
        ['aspect', 'extraction', 'agreed', 'precision', 'model', 'found', 'recall', 'polarity'],
        c.perAspect
          .slice(0, top)
          .map((a) => [
            a.aspect,
            a.found,
            a.agreed,
            f3(a.precision),
            a.reference,
            a.recalled,
            f3(a.recall),
            a.agreed ? f3(a.samePolarity / a.agreed) : '-',
          ]),
      ),
    );
  }
  for (const n of llm.notes) out.push(`note: ${n}`);
  out.push(
    `tokens: ${llm.usage.promptTokens.toLocaleString('en-US')} prompt, ${llm.usage.completionTokens.toLocaleString('en-US')} completion in ${llm.usage.calls} calls`,
  );
  return out.join('\n') + '\n';
}
