/**
 * @module cli/commands/recommend
 * `shopsight recommend`: answers from the promoted recommendation bundle - for a customer, an
 * anonymous session, or a product - with the business-rule flags; or every known customer's list
 * to a CSV for batch export (user_id,rank,product_id,score).
 */
import { Command, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvField } from '../../core/csv.js';
import type { RecommendAnswer } from '../../tasks/recommend/recommender.js';
import { loadRecommender } from '../../registry/recommend-serving.js';
import { businessRules, TogetherLists, type RuleOptions } from '../../tasks/recommend/serving.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

interface Options {
  db?: string;
  json?: boolean;
  user?: string;
  item?: string;
  session?: string;
  allUsers?: boolean;
  together?: boolean;
  out?: string;
  k: number;
  includeBought?: boolean;
  includeOutOfStock?: boolean;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  maxPerCategory?: number;
  boost?: string;
  bury?: string;
}

const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${v}'`);
  return n;
};
const number = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got '${v}'`);
  return n;
};
const list = (v: string | undefined): string[] =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

function print(a: RecommendAnswer): void {
  const lines = [`from ${a.source}${a.coldStart ? ' (cold start)' : ''}${a.note ? `: ${a.note}` : ''}`];
  lines.push(
    formatTable(
      ['rank', 'product', 'title', 'score', 'why'],
      a.items.map((i) => [i.rank, i.productId, i.title ?? '', i.score.toPrecision(4), i.reason]),
    ),
  );
  process.stdout.write(lines.join('\n') + '\n');
}

export function recommendCommand(): Command {
  return new Command('recommend')
    .description('recommendations from the promoted model: --user, --session, --item, or --all-users')
    .option('--user <id>', 'personal recommendations for this customer')
    .option('--session <ids>', 'next items for an anonymous visitor who just viewed these products (a,b,c)')
    .option('--item <id>', 'items similar to this product (bought by the same customers)')
    .option('--together', 'with --item: frequently bought together (association rules over orders)')
    .option('--all-users', 'every known customer (with --out)')
    .option('--out <file>', 'CSV for --all-users: user_id,rank,product_id,score')
    .addOption(new Option('--k <n>', 'list length').argParser(positiveInt('--k')).default(10))
    .option('--include-bought', 'allow items the customer already has')
    .option('--include-out-of-stock', 'allow items marked out of stock')
    .option('--category <list>', 'only these categories (comma-separated)')
    .addOption(new Option('--min-price <p>').argParser(number('--min-price')))
    .addOption(new Option('--max-price <p>').argParser(number('--max-price')))
    .addOption(
      new Option('--max-per-category <n>', 'diversity: at most n items of a category').argParser(
        positiveInt('--max-per-category'),
      ),
    )
    .option('--boost <ids>', 'products to push up (comma-separated)')
    .option('--bury <ids>', 'products to push down (comma-separated)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const asked = [opts.user, opts.session, opts.item, opts.allUsers].filter((x) => x !== undefined);
      if (asked.length !== 1) throw new Error('give exactly one of --user, --session, --item, --all-users');
      if (opts.allUsers && !opts.out) throw new Error('--all-users needs --out FILE (a CSV)');
      if (opts.together && !opts.item) throw new Error('--together goes with --item');
      await withWarehouse(
        opts.db,
        async (wh) => {
          const ruleOptions: RuleOptions = {
            includeBought: opts.includeBought,
            includeOutOfStock: opts.includeOutOfStock,
            categories: list(opts.category),
            minPrice: opts.minPrice,
            maxPrice: opts.maxPrice,
            maxPerCategory: opts.maxPerCategory,
            boost: list(opts.boost),
            bury: list(opts.bury),
          };
          if (opts.together) {
            const answer = (await TogetherLists.fit(wh)).answer(opts.item!, opts.k, ruleOptions);
            if (opts.json) printJson(answer);
            else print(answer);
            return;
          }
          // Text neighbours only matter for item pages (new products); fitting them costs a scan.
          const { record, recommender: rec } = await loadRecommender(wh, { content: Boolean(opts.item) });
          const rules = businessRules(rec, ruleOptions);
          if (opts.allUsers) {
            const out = createWriteStream(opts.out!);
            out.write('user_id,rank,product_id,score\n');
            let rows = 0;
            for (const user of rec.users) {
              for (const i of rec.forUser(user, opts.k, rules).items) {
                if (!out.write(`${csvField(user)},${i.rank},${csvField(i.productId)},${i.score}\n`)) {
                  await once(out, 'drain');
                }
                rows++;
              }
            }
            out.end();
            await once(out, 'finish');
            const summary = { model: record.modelId, users: rec.users.length, rows, out: opts.out };
            if (opts.json) printJson(summary);
            else
              process.stdout.write(`${rows} rows for ${rec.users.length} customers written to ${opts.out}\n`);
            return;
          }
          const answer = opts.user
            ? rec.forUser(opts.user, opts.k, rules)
            : opts.item
              ? rec.similarItems(opts.item, opts.k, rules)
              : rec.forSession(list(opts.session), opts.k, rules);
          if (opts.json) printJson({ model: record.modelId, ...answer });
          else print(answer);
        },
        { clickhouse: true },
      );
    });
}
