/**
 * @module cli/commands/target
 * `shopsight target --campaign C --budget 30% [--cost 0.1 --margin 0.3] --out list.csv`: the
 * campaign's customers to contact, ranked by expected incremental outcome (or profit with cost and
 * margin), each with the treatment to send and its reasons, from the promoted `uplift:<C>` model
 * (tasks/marketing/target.ts). CSV columns: rank, customer_id, treatment, uplift, expected_profit,
 * reasons.
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { csvRow } from '../../core/csv.js';
import { campaignTargets } from '../../registry/campaign-targets.js';
import { parseBudget } from '../../tasks/marketing/target.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';

interface Options {
  campaign: string;
  budget: string;
  cost?: string;
  margin?: string;
  out: string;
  db?: string;
  json?: boolean;
}

function money(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`--${name} ${text}: not a number`);
  return v;
}

export function targetCommand(): Command {
  return new Command('target')
    .description(
      'whom to contact in the next send of a campaign, with which treatment and why (uplift model)',
    )
    .requiredOption('--campaign <id>', 'the campaign whose promoted uplift model ranks its customers')
    .requiredOption(
      '--budget <share>',
      'share of the customers to contact, e.g. 30% (more than 0%, at most 100%)',
    )
    .option('--cost <amount>', 'cost of one contact (with --margin: rank by expected incremental profit)')
    .option('--margin <share>', 'margin on revenue, 0 to 1 (with --cost)')
    .requiredOption(
      '--out <file>',
      'CSV to write: rank, customer_id, treatment, uplift, expected_profit, reasons',
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const budget = parseBudget(opts.budget);
      const cost = money('cost', opts.cost);
      const margin = money('margin', opts.margin);
      const { list, meta } = await withWarehouse(opts.db, (wh) =>
        campaignTargets(wh, opts.campaign, {
          budget,
          ...(cost !== undefined ? { cost } : {}),
          ...(margin !== undefined ? { margin } : {}),
        }),
      );
      const lines = [csvRow(['rank', 'customer_id', 'treatment', 'uplift', 'expected_profit', 'reasons'])];
      for (const r of list.rows) {
        lines.push(
          csvRow([
            String(r.rank),
            r.customerId,
            r.treatment,
            r.uplift.toFixed(6),
            r.expectedProfit === null ? '' : r.expectedProfit.toFixed(4),
            r.reasons,
          ]),
        );
      }
      writeFileSync(opts.out, lines.join('\n') + '\n');
      const summary = {
        out: opts.out,
        campaign: opts.campaign,
        outcome: meta.outcome,
        method: meta.method,
        customers: list.customers,
        budgetCustomers: list.budgetCustomers,
        listed: list.rows.length,
        valuePerResponse: list.valuePerResponse,
        byTreatment: Object.fromEntries(
          [...new Set(list.rows.map((r) => r.treatment))].map((t) => [
            t,
            list.rows.filter((r) => r.treatment === t).length,
          ]),
        ),
      };
      if (opts.json) return printJson(summary);
      const dropped = list.budgetCustomers - list.rows.length;
      process.stdout.write(
        `${opts.out}: ${list.rows.length.toLocaleString('en-US')} of ${list.customers.toLocaleString('en-US')} customers ` +
          `(budget ${list.budgetCustomers.toLocaleString('en-US')}` +
          (dropped
            ? `; ${dropped.toLocaleString('en-US')} left out: no positive expected ${cost !== undefined ? 'profit' : 'uplift'}`
            : '') +
          `), ranked by expected incremental ${cost !== undefined ? `profit (value per response ${list.valuePerResponse!.toFixed(2)})` : meta.outcome}; ` +
          `treatments: ${Object.entries(summary.byTreatment)
            .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
            .join(', ')}\n`,
      );
    });
}
