/**
 * @module cli/commands/train-uplift
 * `shopsight train uplift --campaign C [--outcome visit|conversion] [--method auto|NAME]
 * [--features a,b,c]`: one uplift model per treatment of the campaign against its control, chosen
 * among the candidates by Qini on three stratified splits (tasks/marketing/train-uplift.ts), stored
 * and promoted as task `uplift:<campaign>` (docs/marketing.md).
 */
import { Command, Option } from 'commander';
import { trainUpliftAndRegister } from '../../registry/uplift.js';
import { OUTCOMES, type Outcome } from '../../tasks/marketing/campaign-data.js';
import { UPLIFT_CANDIDATES } from '../../tasks/marketing/params.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';

interface Options {
  campaign: string;
  outcome: Outcome;
  method: string;
  features?: string;
  db?: string;
  json?: boolean;
}

export function trainUpliftCommand(): Command {
  return new Command('uplift')
    .description("uplift models for a campaign's treatments against its control (whom an offer changes)")
    .requiredOption('--campaign <id>', 'the campaign (e.g. hillstrom after `import --preset hillstrom`)')
    .addOption(
      new Option('--outcome <name>', 'what the treatment should raise')
        .choices([...OUTCOMES])
        .default('visit'),
    )
    .addOption(
      new Option('--method <name>', 'auto: best mean Qini over 3 splits; or one candidate')
        .choices(['auto', ...UPLIFT_CANDIDATES.map((c) => c.name)])
        .default('auto'),
    )
    .option('--features <list>', 'comma-separated feature names (default: every feature the contacts carry)')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const features = opts.features
        ?.split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      const { result, record } = await withWarehouse(opts.db, (wh) =>
        trainUpliftAndRegister(wh, {
          campaign: opts.campaign,
          outcome: opts.outcome,
          method: opts.method,
          ...(features ? { features } : {}),
        }),
      );
      if (opts.json) {
        return printJson({
          model: record.modelId,
          method: result.chosen,
          contacts: result.contacts,
          withoutOutcome: result.withoutOutcome,
          treatments: result.treatments,
          control: result.control,
          features: result.features,
          comparison: result.comparison,
        });
      }
      const lines = [
        `campaign ${opts.campaign}: ${result.contacts.toLocaleString('en-US')} contacts, outcome ${opts.outcome}, ` +
          `control '${result.control}', treatments ${result.treatments.map((t) => `'${t}'`).join(', ')}` +
          (result.withoutOutcome ? ` (${result.withoutOutcome} without a known outcome left out)` : ''),
        `features: ${result.features.join(', ')}`,
      ];
      for (const c of result.comparison) {
        lines.push(
          '',
          `${c.treatment} vs ${result.control} (3 splits):`,
          formatTable(
            ['model', 'Qini mean', 'Qini sd', 'uplift@30%'],
            c.summary.map((s) => [
              s.name,
              s.qini.mean.toFixed(4),
              s.qini.sd.toFixed(4),
              s.upliftAt30.mean.toFixed(4),
            ]),
          ),
        );
      }
      lines.push('', `chosen: ${result.chosen}; stored and promoted as ${record.modelId}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
