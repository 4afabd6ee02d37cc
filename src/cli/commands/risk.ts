/**
 * @module cli/commands/risk
 * `shopsight risk score [--order O] [--since DATE] [--rules FILE] [--json|--csv]`: scores orders
 * (every order of the store without a filter) with the promoted risk model and the merchant's rules,
 * stores them in order_risk with the model version, and prints them riskiest first. --csv writes
 * `order_id,score,reasons`, one row per order (reasons joined by ' | ').
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { csvRow } from '../../core/csv.js';
import { parseCutoff } from '../../features/cutoff.js';
import {
  scoreOrdersAndStore,
  scoredOrderAt,
  scoredOrderRows,
  type ScoredOrder,
} from '../../registry/risk.js';
import { readRiskRules } from '../../tasks/risk/rules.js';
import { orderExists } from '../../warehouse/order-risk-store.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';

interface Options {
  db?: string;
  json?: boolean;
  csv?: boolean;
  order?: string;
  since?: Date;
  rules?: string;
  limit?: number;
}

export function toRiskCsv(rows: readonly ScoredOrder[]): string {
  return (
    [
      csvRow(['order_id', 'score', 'reasons']),
      ...rows.map((r) => csvRow([r.orderId, r.score.toFixed(6), r.reasons.join(' | ')])),
    ].join('\n') + '\n'
  );
}

function scoreCommand(): Command {
  return new Command('score')
    .description('score orders with the promoted risk model and your rules; store them in order_risk')
    .addOption(new Option('--order <id>', 'only this order'))
    .addOption(
      new Option('--since <day>', 'only orders placed on or after this day (YYYY-MM-DD)').argParser((v) => {
        try {
          return parseCutoff(v);
        } catch (err) {
          throw new InvalidArgumentError((err as Error).message.replace('cutoff', 'since'));
        }
      }),
    )
    .addOption(new Option('--rules <file>', 'YAML or JSON rules file (docs/risk.md)'))
    .addOption(
      new Option('--limit <n>', 'print at most n orders, riskiest first (all are stored)').argParser((v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0)
          throw new InvalidArgumentError(`limit must be a whole number >= 0, got '${v}'`);
        return n;
      }),
    )
    .addOption(dbOption())
    .addOption(jsonOption().conflicts('csv'))
    .addOption(
      new Option('--csv', 'print order_id,score,reasons as CSV, one row per order').conflicts('json'),
    )
    .action(async (opts: Options) => {
      const rules = opts.rules ? readRiskRules(opts.rules) : [];
      const list = await withWarehouse(
        opts.db,
        async (wh) => {
          if (opts.order !== undefined && !(await orderExists(wh, opts.order))) {
            throw new Error(`order '${opts.order}' is not in ${wh.location}`);
          }
          const progress = startProgress(wh, 'risk score');
          try {
            return await scoreOrdersAndStore(wh, {
              ...(opts.order !== undefined ? { orderIds: [opts.order] } : {}),
              ...(opts.since ? { since: opts.since } : {}),
              rules,
            });
          } finally {
            progress.stop();
          }
        },
        { clickhouse: true },
      );
      if (opts.csv) return void process.stdout.write(toRiskCsv(scoredOrderRows(list)));
      // Riskiest first, by row number: only the orders printed become objects.
      const ranked = Array.from({ length: list.length }, (_, r) => r).sort(
        (a, b) => list.score[b]! - list.score[a]! || (list.orderIds[a]! < list.orderIds[b]! ? -1 : 1),
      );
      const shownRows = opts.limit !== undefined ? ranked.slice(0, opts.limit) : ranked.slice(0, 20);
      const shown = shownRows.map((r) => scoredOrderAt(list, r));
      const held = list.held.filter(Boolean).length;
      if (opts.json)
        return printJson({
          orders: list.length,
          held,
          scores: opts.limit !== undefined ? shown : ranked.map((r) => scoredOrderAt(list, r)),
        });
      process.stdout.write(
        formatTable(
          ['order', 'customer', 'score', 'held', 'reasons'],
          shown.map((r) => [
            r.orderId,
            r.customerId ?? '',
            r.score.toFixed(3),
            r.held ? 'yes' : '',
            r.reasons.join('; '),
          ]),
        ) +
          `\n${list.length.toLocaleString('en-US')} orders scored with risk@${list.length ? list.modelVersion : '-'}, ` +
          `${held.toLocaleString('en-US')} held for review; stored in order_risk\n`,
      );
    });
}

export function riskCommand(): Command {
  return new Command('risk').description('order risk scores with reasons').addCommand(scoreCommand());
}
