/**
 * @module cli/commands/copy
 * `shopsight copy --segment at_risk [--lang zh-CN]`: a short campaign message for a segment from
 * its real figures (docs/assistant.md): an RFM segment, a churn tier of the stored predictions
 * (`churn_high`), or `uplift:<campaign>` (the customers its uplift model would contact, `--budget`).
 */
import { Command, Option } from 'commander';
import {
  campaignCopy,
  CHURN_SEGMENTS,
  COPY_LANGUAGES,
  UPLIFT_SEGMENT_PREFIX,
  type CopyLanguage,
} from '../../assistant/copy/copy.js';
import { LlmClient } from '../../assistant/llm/client.js';
import { readLlmConfig } from '../../assistant/llm/config.js';
import { parseBudget } from '../../tasks/marketing/target.js';
import { RFM_SEGMENTS } from '../../warehouse/analytics/rfm-segments.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';

export function copyCommand(): Command {
  return new Command('copy')
    .description('draft a campaign message for a segment from its real figures and top products')
    .addOption(
      new Option(
        '--segment <name>',
        `an RFM segment (${RFM_SEGMENTS.join(', ')}), a churn tier of the stored predictions (${CHURN_SEGMENTS.join(', ')}) or ${UPLIFT_SEGMENT_PREFIX}<campaign>`,
      ).makeOptionMandatory(),
    )
    .addOption(new Option('--lang <code>', 'language').choices([...COPY_LANGUAGES]).default('en'))
    .option(
      '--budget <share>',
      `${UPLIFT_SEGMENT_PREFIX}<campaign>: share of its customers to contact (default 30%)`,
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(
      async (opts: { segment: string; lang: CopyLanguage; budget?: string; db?: string; json?: boolean }) => {
        if (opts.budget !== undefined && !opts.segment.startsWith(UPLIFT_SEGMENT_PREFIX))
          throw new Error(`--budget is for ${UPLIFT_SEGMENT_PREFIX}<campaign> segments only`);
        const budget = opts.budget === undefined ? undefined : parseBudget(opts.budget);
        const config = readLlmConfig();
        const c = await withWarehouse(opts.db, (wh) =>
          campaignCopy(wh, opts.segment, opts.lang, config ? new LlmClient(config) : undefined, {
            ...(budget !== undefined ? { budget } : {}),
          }),
        );
        if (opts.json) return printJson(c);
        const f = c.figures;
        const money = (v: number | null): string => (v === null ? '-' : v.toFixed(2));
        process.stdout.write(
          [
            `Subject: ${c.subject}`,
            '',
            c.body,
            '',
            `segment ${f.segment} (${f.label}) as of ${f.asOf}: ${f.customers} customers, ` +
              `${money(f.avgOrders)} orders, ${money(f.avgSpend)} spent, ${money(f.avgDaysSinceOrder)} days since the last order on average`,
            ...(f.avgChurnProbability !== undefined
              ? [`mean churn probability ${f.avgChurnProbability.toFixed(3)}`]
              : []),
            ...(f.avgUplift !== undefined
              ? [
                  `campaign ${f.campaign}: top ${((f.budget ?? 0) * 100).toFixed(0)}% by uplift, mean uplift of ${f.outcome} ${f.avgUplift.toFixed(4)}, mostly '${f.treatment}'`,
                ]
              : []),
            `top products: ${f.topProducts.map((p) => `${p.product_id} ${p.title ?? ''} (${p.customers} customers)`).join('; ') || 'none'}`,
            ...c.notes.map((n) => `note: ${n}`),
          ].join('\n') + '\n',
        );
      },
    );
}
