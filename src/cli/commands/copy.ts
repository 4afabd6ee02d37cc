/**
 * @module cli/commands/copy
 * `shopsight copy --segment at_risk [--lang zh-CN]`: a short campaign message for an RFM segment
 * from its real figures (docs/assistant.md).
 */
import { Command, Option } from 'commander';
import { campaignCopy, COPY_LANGUAGES, type CopyLanguage } from '../../assistant/copy/copy.js';
import { LlmClient } from '../../assistant/llm/client.js';
import { readLlmConfig } from '../../assistant/llm/config.js';
import { RFM_SEGMENTS } from '../../warehouse/analytics/rfm-segments.js';
import { dbOption, jsonOption, printJson, withWarehouse } from '../context.js';

export function copyCommand(): Command {
  return new Command('copy')
    .description('draft a campaign message for an RFM segment from its real figures and top products')
    .addOption(new Option('--segment <name>', 'RFM segment').choices([...RFM_SEGMENTS]).makeOptionMandatory())
    .addOption(new Option('--lang <code>', 'language').choices([...COPY_LANGUAGES]).default('en'))
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: { segment: string; lang: CopyLanguage; db?: string; json?: boolean }) => {
      const config = readLlmConfig();
      const c = await withWarehouse(opts.db, (wh) =>
        campaignCopy(wh, opts.segment, opts.lang, config ? new LlmClient(config) : undefined),
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
          `top products: ${f.topProducts.map((p) => `${p.product_id} ${p.title ?? ''} (${p.customers} customers)`).join('; ') || 'none'}`,
          ...c.notes.map((n) => `note: ${n}`),
        ].join('\n') + '\n',
      );
    });
}
