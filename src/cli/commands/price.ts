/**
 * @module cli/commands/price
 * `shopsight price --product P [--min-price A] [--max-price B] [--cost C] [--json]`: the product's
 * price elasticity (own, its category's, and the one used: shrunk towards the category), the demand
 * curve over the observed price range and the price with the best expected revenue (margin with
 * --cost) within the bounds (tasks/pricing/price-product.ts). --json prints the same object the API
 * serves at GET /v1/pricing/:product, in camelCase.
 */
import { Command, Option } from 'commander';
import { priceProduct, type PriceAnswer } from '../../tasks/pricing/price-product.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { finiteNumber as number } from './forecast.js';

interface Options {
  db?: string;
  json?: boolean;
  product: string;
  minPrice?: number;
  maxPrice?: number;
  cost?: number;
}

const f2 = (v: number): string => v.toFixed(2);
const range = (ci: readonly [number, number]): string => `${f2(ci[0])} to ${f2(ci[1])}`;

function toText(a: PriceAnswer): string {
  const lines: string[] = [];
  const h = a.history;
  lines.push(
    `${a.productId}${a.title ? ` (${a.title})` : ''}: ${h.daysWithSales} days with sales` +
      (h.from
        ? ` from ${h.from} to ${h.to}, daily price ${h.priceMin} to ${h.priceMax}, now ${h.currentPrice}`
        : '') +
      `, ${f2(h.unitsPerDay)} units a day over the last 28 days`,
  );
  lines.push(
    a.own.status === 'estimated'
      ? `own elasticity ${f2(a.own.elasticity)} (se ${f2(a.own.se)}, 95% ${range(a.own.ci95)}; ${a.own.days} days, controls: ${a.own.controls.join(', ')})`
      : `own elasticity: ${a.own.reason}`,
  );
  const c = a.category;
  lines.push(
    c.elasticity !== null && c.ci95
      ? `category ${c.category}: ${f2(c.elasticity)} (95% ${range(c.ci95)}; ${c.estimated} of ${c.products} products with their own estimate, spread ${f2(c.spread!)})`
      : `category ${c.category}: ${c.note ?? 'no estimate'}`,
  );
  if (a.elasticity) {
    lines.push(
      `elasticity used: ${f2(a.elasticity.elasticity)} (95% ${range(a.elasticity.ci95)}; ${a.elasticity.source}` +
        (a.elasticity.source === 'shrunk' ? `, ${Math.round(a.elasticity.ownWeight * 100)}% own` : '') +
        ')',
    );
  }
  if (a.suggestion) {
    const s = a.suggestion;
    const key = s.objective === 'margin' ? 'margin' : 'revenue';
    const per = (p: typeof s.at): string => f2(p[key] ?? 0);
    lines.push('');
    lines.push(
      formatTable(
        ['price', 'units/day', '95%', `${key}/day`, '95%'],
        a.curve.map((p) => [
          f2(p.price),
          f2(p.units),
          `${f2(p.unitsLo95)} - ${f2(p.unitsHi95)}`,
          f2(p[key] ?? 0),
          `${f2((key === 'margin' ? p.marginLo95 : p.revenueLo95) ?? 0)} - ${f2((key === 'margin' ? p.marginHi95 : p.revenueHi95) ?? 0)}`,
        ]),
      ),
    );
    lines.push('');
    lines.push(
      `suggested price ${f2(s.price)} within ${f2(a.bounds![0])} to ${f2(a.bounds![1])} (best expected ${key}): ` +
        `${per(s.at)} a day against ${per(s.current)} at ${f2(s.current.price)}`,
    );
  } else if (a.reason) {
    lines.push(`no price suggestion: ${a.reason}`);
  }
  return lines.join('\n') + '\n';
}

export function priceCommand(): Command {
  return new Command('price')
    .description(
      'price elasticity of a product, its demand curve and the price with the best expected revenue or margin',
    )
    .requiredOption('--product <id>', 'the product')
    .addOption(
      new Option('--min-price <p>', 'lowest price to consider (cut to the observed range)').argParser(
        number('--min-price'),
      ),
    )
    .addOption(
      new Option('--max-price <p>', 'highest price to consider (cut to the observed range)').argParser(
        number('--max-price'),
      ),
    )
    .addOption(
      new Option('--cost <c>', 'unit cost: maximise margin instead of revenue').argParser(number('--cost')),
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const a = await withWarehouse(
        opts.db,
        (wh) =>
          priceProduct(wh, {
            productId: opts.product,
            ...(opts.minPrice !== undefined ? { minPrice: opts.minPrice } : {}),
            ...(opts.maxPrice !== undefined ? { maxPrice: opts.maxPrice } : {}),
            ...(opts.cost !== undefined ? { cost: opts.cost } : {}),
          }),
        { clickhouse: true },
      );
      if (opts.json) return printJson(a);
      process.stdout.write(toText(a));
    });
}
