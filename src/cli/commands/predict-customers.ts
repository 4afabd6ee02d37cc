/**
 * @module cli/commands/predict-customers
 * `shopsight predict customers`: scores every customer who has bought, as of the day after the
 * last order, with the promoted churn, propensity and clv models; replaces the
 * customer_predictions table and prints the customers most at risk first.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { csvRow } from '../../core/csv.js';
import { scoreAndStoreCustomers } from '../../registry/score-customers.js';
import type { CustomerPrediction } from '../../schema/predictions.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';

interface Options {
  db?: string;
  json?: boolean;
  csv?: boolean;
  limit?: number;
}

const day = (d: Date | null): string => (d ? d.toISOString().slice(0, 10) : '');

/** A prediction's value as CSV text (quoted by csvRow): dates ISO, lists joined by ' | ', objects as JSON. */
function cellText(v: unknown): string {
  return v instanceof Date
    ? v.toISOString()
    : Array.isArray(v)
      ? v.join(' | ')
      : v === null
        ? ''
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
}

function toCsv(rows: readonly CustomerPrediction[]): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]!) as (keyof CustomerPrediction)[];
  return [csvRow(cols), ...rows.map((r) => csvRow(cols.map((c) => cellText(r[c]))))].join('\n') + '\n';
}

/** One line on where P(alive) comes from, or why it is unavailable (the rows share one CLV model). */
function pAliveNote(rows: readonly CustomerPrediction[]): string {
  const first = rows[0];
  if (!first) return '';
  return first.p_alive_unavailable === null
    ? `p_alive from ${first.purchase_model}\n`
    : `p_alive UNAVAILABLE (stored as null): ${first.p_alive_unavailable}\n`;
}

export function predictCustomersCommand(): Command {
  return new Command('customers')
    .description(
      'churn risk, purchase propensity, next order, spend tier and CLV for every customer, with reasons',
    )
    .addOption(dbOption())
    .addOption(jsonOption().conflicts('csv'))
    .addOption(new Option('--csv', 'print every field as CSV on stdout').conflicts('json'))
    .addOption(
      new Option('--limit <n>', 'print at most n customers, most at risk first (all are stored)').argParser(
        (v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0)
            throw new InvalidArgumentError(`limit must be a whole number >= 0, got '${v}'`);
          return n;
        },
      ),
    )
    .action(async (opts: Options) => {
      const rows = await withWarehouse(
        opts.db,
        async (wh) => {
          const progress = startProgress(wh, 'predict customers');
          try {
            return await scoreAndStoreCustomers(wh, (label, ordinal, total) =>
              progress.step(label, 0, 1, ordinal, total),
            );
          } finally {
            progress.stop();
          }
        },
        { clickhouse: true },
      );
      const shown = [...rows].sort(
        (a, b) => b.churn_probability - a.churn_probability || (a.customer_id < b.customer_id ? -1 : 1),
      );
      const out = opts.limit !== undefined ? shown.slice(0, opts.limit) : shown;
      if (opts.json) return printJson({ customers: rows.length, predictions: out });
      if (opts.csv) return void process.stdout.write(toCsv(out));
      process.stdout.write(
        formatTable(
          [
            'customer',
            'churn',
            'risk',
            'buy 30d',
            'spend tier',
            'CLV 365d',
            'next order',
            'top churn reason',
          ],
          out.map((r) => [
            r.customer_id,
            `${(r.churn_probability * 100).toFixed(0)}%`,
            r.churn_risk,
            `${(r.purchase_probability * 100).toFixed(0)}%`,
            r.spend_tier,
            r.clv_365d,
            day(r.next_order_at),
            r.churn_reasons[0] ?? '',
          ]),
        ) +
          `\n${rows.length.toLocaleString('en-US')} customers scored as of ${day(rows[0]?.as_of ?? null)}, stored in customer_predictions\n` +
          pAliveNote(rows),
      );
    });
}
