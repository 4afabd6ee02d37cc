/**
 * @module cli/commands/reorder
 * `shopsight reorder`: per product, safety stock, reorder point and order quantity from its daily
 * demand forecast, a lead time and a service level (tasks/forecast/reorder.ts); with the stock
 * (--id with --stock, or the imported `stock` table), the day it runs out.
 */
import { Command, Option } from 'commander';
import { csvRow } from '../../core/csv.js';
import { reorderProducts } from '../../tasks/forecast/reorder.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { finiteNumber as number, wholeNumber } from './forecast.js';

interface Options {
  db?: string;
  json?: boolean;
  csv?: boolean;
  leadTime: number;
  serviceLevel: number;
  reviewPeriod: number;
  id?: string;
  stock?: number;
  top?: number;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** How many products' stock came from where: the stock-out day is claimed only where it is known. */
function stockSources(rows: readonly { stockSource: string }[]): string {
  const count = (k: string): number => rows.filter((x) => x.stockSource === k).length;
  const given = count('given');
  if (given) return '--stock';
  return `the stock table for ${count('table')} products, unknown for ${count('unknown')} (no stock-out day)`;
}

export function reorderCommand(): Command {
  return new Command('reorder')
    .description('safety stock, reorder point and order quantity per product from its demand forecast')
    .addOption(
      new Option('--lead-time <days>', 'days from order to delivery')
        .default(14)
        .argParser(number('--lead-time')),
    )
    .addOption(
      new Option('--service-level <p>', 'share of cycles without a stock-out to aim at')
        .default(0.95)
        .argParser(number('--service-level')),
    )
    .addOption(
      new Option('--review-period <days>', 'days between orders')
        .default(7)
        .argParser(number('--review-period')),
    )
    .option('--id <product>', 'one product')
    .addOption(
      new Option('--stock <units>', 'units on hand of --id: order quantity and stock-out day').argParser(
        number('--stock'),
      ),
    )
    .addOption(new Option('--top <n>', 'only the n best-selling products').argParser(wholeNumber('--top', 1)))
    .addOption(dbOption())
    .addOption(jsonOption().conflicts('csv'))
    .addOption(new Option('--csv', 'one row per product on stdout').conflicts('json'))
    .action(async (opts: Options) => {
      const r = await withWarehouse(
        opts.db,
        (wh) =>
          reorderProducts(wh, {
            leadTime: opts.leadTime,
            serviceLevel: opts.serviceLevel,
            reviewPeriod: opts.reviewPeriod,
            ...(opts.id !== undefined ? { id: opts.id } : {}),
            ...(opts.stock !== undefined ? { stock: opts.stock } : {}),
            ...(opts.top !== undefined ? { top: opts.top } : {}),
          }),
        { clickhouse: true },
      );
      if (opts.json) return printJson(r);
      const cols = [
        'product_id',
        'model',
        'lead_time_demand',
        'safety_stock',
        'reorder_point',
        'order_quantity',
        'stock',
        'stockout_date',
        'safety_from',
      ];
      const cells = r.rows.map((x) => [
        x.productId,
        x.model,
        r1(x.leadTimeDemand),
        r1(x.safetyStock),
        r1(x.reorderPoint),
        r1(x.orderQuantity),
        x.stock === null ? '' : r1(x.stock),
        x.stockoutDate ?? '',
        x.safetyFrom,
      ]);
      if (opts.csv) {
        return void process.stdout.write(
          [csvRow(cols), ...cells.map((c) => csvRow(c.map(String)))].join('\n') + '\n',
        );
      }
      process.stdout.write(
        formatTable(
          [
            'product',
            'model',
            `demand in ${opts.leadTime} d`,
            'safety stock',
            'reorder point',
            'order qty',
            'stock',
            'stock out',
          ],
          cells.slice(0, 30).map((c) => c.slice(0, -1)),
        ) +
          (r.rows.length > 30 ? `\n... and ${r.rows.length - 30} more (--csv or --json for all)` : '') +
          `\nhistory to ${r.historyEnd}; stock from ${stockSources(r.rows)}; ${safetySources(r.rows)}; lead time ${opts.leadTime} days, service level ${opts.serviceLevel}, review every ${opts.reviewPeriod} days` +
          (r.skipped.length
            ? `; ${r.skipped.length} products left out (${r.skipped[0]!.id}: ${r.skipped[0]!.reason})`
            : '') +
          '\n',
      );
    });
}

/** How many plans took their safety stock from out-of-sample (backtest) lead-time errors. */
function safetySources(rows: readonly { safetyFrom: 'backtest' | 'in-sample' }[]): string {
  const inSample = rows.filter((x) => x.safetyFrom === 'in-sample').length;
  return inSample === 0
    ? 'safety stock from out-of-sample lead-time errors'
    : `safety stock from out-of-sample lead-time errors, in sample for ${inSample} of ${rows.length} (history too short for a backtest)`;
}
