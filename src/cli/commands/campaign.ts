/**
 * @module cli/commands/campaign
 * `shopsight campaign report C [--looks K [--sequential obrien-fleming --look k]] [--alpha 0.05]`: did the campaign work? Each treatment
 * against the control: contacts, visit and conversion rates, revenue per contact, the difference
 * with its interval, the test and the sample size the observed effect would need; the method and
 * the correction for several treatments and planned looks are printed with the figures
 * (tasks/marketing/campaign-report.ts).
 */
import { Command } from 'commander';
import { loadCampaign } from '../../tasks/marketing/campaign-data.js';
import {
  campaignReport,
  SEQUENTIAL_METHODS,
  type SequentialMethod,
} from '../../tasks/marketing/campaign-report.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

interface Options {
  looks: string;
  sequential: string;
  look?: string;
  alpha: string;
  db?: string;
  json?: boolean;
}

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(2)}%`);
const pts = (v: number | null): string =>
  v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(2)} pts`;
const VERDICTS = {
  b_better: 'treated better',
  a_better: 'control better',
  too_small: 'too small to tell',
  no_significant_difference: 'no significant difference',
} as const;
const p = (v: number | null): string => (v === null ? 'n/a' : v < 1e-4 ? v.toExponential(1) : v.toFixed(4));

export function campaignCommand(): Command {
  const cmd = new Command('campaign').description('campaign analysis: treated vs control');
  cmd.addCommand(
    new Command('report')
      .description(
        'treated vs control conversion and revenue per contact, with intervals, tests and sample sizes',
      )
      .argument('<campaign>', 'campaign id')
      .option(
        '--looks <k>',
        'how many times the result is read while the campaign runs (planned, equally spaced)',
        '1',
      )
      .option(
        '--sequential <method>',
        `correction for the looks: ${SEQUENTIAL_METHODS.join(' or ')} (O'Brien-Fleming-type alpha spending)`,
        'bonferroni',
      )
      .option('--look <k>', 'with --sequential obrien-fleming: which look this report is (default: the last)')
      .option('--alpha <level>', 'overall significance level', '0.05')
      .addOption(dbOption())
      .addOption(jsonOption())
      .action(async (campaign: string, opts: Options) => {
        const looks = Number(opts.looks);
        const alpha = Number(opts.alpha);
        if (!(alpha > 0 && alpha < 1)) throw new Error(`--alpha ${opts.alpha}: must be a number in (0, 1)`);
        const report = await withWarehouse(opts.db, async (wh) =>
          campaignReport(await loadCampaign(wh, campaign), {
            looks,
            alpha,
            sequential: opts.sequential as SequentialMethod,
            ...(opts.look === undefined ? {} : { look: Number(opts.look) }),
          }),
        );
        if (opts.json) return printJson(report);
        const arms = [report.control, ...report.treated];
        const lines = [
          `campaign ${report.campaign}: control '${report.control.variant}'`,
          '',
          formatTable(
            ['variant', 'contacts', 'visit rate', 'conversion rate', 'revenue per contact'],
            arms.map((a) => [
              a.variant,
              a.contacts,
              pct(a.known.visit ? a.successes.visit / a.known.visit : null),
              pct(a.known.conversion ? a.successes.conversion / a.known.conversion : null),
              a.revenuePerContact === null ? 'n/a' : a.revenuePerContact.toFixed(4),
            ]),
          ),
        ];
        const conf = `${Number(((1 - report.alphaPerTest) * 100).toPrecision(4))}% ${report.boundary === null ? 'CI' : 'RCI'}`;
        for (const c of report.comparisons) {
          const rows = (['visit', 'conversion'] as const).map((o) => {
            const t = c.outcomes[o];
            return [
              o,
              pts(t.difference),
              t.ci ? `${pts(t.ci[0])} .. ${pts(t.ci[1])}` : 'n/a',
              p(t.pValue),
              t.requiredPerArm === null ? 'n/a' : Math.ceil(t.requiredPerArm),
              VERDICTS[t.verdict],
            ];
          });
          if (c.revenue) {
            rows.push([
              'revenue per contact',
              c.revenue.difference.toFixed(4),
              `${c.revenue.ci[0].toFixed(4)} .. ${c.revenue.ci[1].toFixed(4)}`,
              p(c.revenue.pValue),
              '',
              c.revenue.pValue < report.alphaPerTest
                ? c.revenue.difference > 0
                  ? 'treated better'
                  : 'control better'
                : 'no significant difference',
            ]);
          }
          lines.push(
            '',
            `${c.treatment} - ${report.control.variant}:`,
            formatTable(['outcome', 'difference', conf, 'p-value', 'needed per arm', 'verdict'], rows),
          );
        }
        lines.push('', `method: ${report.method}`);
        process.stdout.write(lines.join('\n') + '\n');
      }),
  );
  return cmd;
}
