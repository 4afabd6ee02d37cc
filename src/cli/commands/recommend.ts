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
import { loadCatalogue } from '../../features/catalogue.js';
import { loadModel } from '../../registry/registry.js';
import { BoughtTogether } from '../../tasks/recommend/bought-together.js';
import { bundleFromArtifact } from '../../tasks/recommend/bundle.js';
import { ContentSimilar } from '../../tasks/recommend/content.js';
import { Recommender, type RecommendAnswer } from '../../tasks/recommend/recommender.js';
import type { BusinessRules } from '../../tasks/recommend/rules.js';
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
      await withWarehouse(opts.db, async (wh) => {
        if (opts.together) {
          // Mined from the orders as they are now: no trained model needed.
          const related = (await BoughtTogether.fit(wh)).forProduct(opts.item!, opts.k);
          const answer: RecommendAnswer = {
            source: 'bought-together',
            coldStart: false,
            ...(related.length
              ? {}
              : { note: `no orders hold ${opts.item} with another product often enough` }),
            items: related.map((r, i) => ({
              rank: i + 1,
              productId: r.productId,
              title: r.title,
              score: r.lift ?? r.orders,
              reason: r.reason,
            })),
          };
          if (opts.json) printJson(answer);
          else print(answer);
          return;
        }
        const { record, artifact } = await loadModel(wh, 'recommend');
        const bundle = bundleFromArtifact(artifact);
        // Text neighbours only matter for item pages (new products); fitting them costs a scan.
        const content = opts.item ? await ContentSimilar.fit(wh) : undefined;
        const rec = new Recommender(bundle, await loadCatalogue(wh, bundle.itemIds), content);
        const index = new Map(bundle.itemIds.map((id, j) => [id, j]));
        const indices = (ids: string[]): number[] =>
          ids.map((id) => index.get(id)).filter((j): j is number => j !== undefined);
        const rules: BusinessRules = {
          excludeHistory: !opts.includeBought,
          inStockOnly: !opts.includeOutOfStock,
          ...(opts.category ? { categories: list(opts.category) } : {}),
          ...(opts.minPrice !== undefined ? { minPrice: opts.minPrice } : {}),
          ...(opts.maxPrice !== undefined ? { maxPrice: opts.maxPrice } : {}),
          ...(opts.maxPerCategory ? { maxPerCategory: opts.maxPerCategory } : {}),
          boost: indices(list(opts.boost)),
          bury: indices(list(opts.bury)),
        };
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
      });
    });
}
