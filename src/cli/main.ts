#!/usr/bin/env node
/**
 * @module cli/main
 * The `shopsight` command. Each subcommand lives in cli/commands/<name>.ts and is a thin caller of
 * the library: no SQL and no business logic here.
 */
import { Command } from 'commander';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

const program = new Command('shopsight')
  .description(
    'Open-source data mining for e-commerce: clean tables, analytics, predictions, recommendations.',
  )
  .version(version)
  .showHelpAfterError();

// Subcommands register here, one line each, in the order help lists them. A command's module is
// loaded only when it runs (all of them for help or an unknown name): loading every command's
// modules (the models, the generator) cost `shopsight import` about 0.2 s of CPU at start-up.
const COMMANDS: Record<string, () => Promise<Command>> = {
  demo: async () => (await import('./commands/demo.js')).demoCommand(),
  start: async () => (await import('./commands/start.js')).startCommand(),
  report: async () => (await import('./commands/report.js')).reportCommand(),
  import: async () => (await import('./commands/import.js')).importCommand(),
  status: async () => (await import('./commands/status.js')).statusCommand(),
  quarantine: async () => (await import('./commands/quarantine.js')).quarantineCommand(),
  generate: async () => (await import('./commands/generate.js')).generateCommand(),
  analyze: async () => (await import('./commands/analyze.js')).analyzeCommand(),
  models: async () => (await import('./commands/models.js')).modelsCommand(),
  train: async () => (await import('./commands/train.js')).trainCommand(),
  predict: async () => (await import('./commands/predict.js')).predictCommand(),
  evaluate: async () => (await import('./commands/evaluate.js')).evaluateCommand(),
  recommend: async () => (await import('./commands/recommend.js')).recommendCommand(),
  clv: async () => (await import('./commands/clv.js')).clvCommand(),
  serve: async () => (await import('./commands/serve.js')).serveCommand(),
  keys: async () => (await import('./commands/keys.js')).keysCommand(),
  customers: async () => (await import('./commands/customers.js')).customersCommand(),
  reviews: async () => (await import('./commands/reviews.js')).reviewsCommand(),
  risk: async () => (await import('./commands/risk.js')).riskCommand(),
  ask: async () => (await import('./commands/ask.js')).askCommand(),
  support: async () => (await import('./commands/support.js')).supportCommand(),
  copy: async () => (await import('./commands/copy.js')).copyCommand(),
  target: async () => (await import('./commands/target.js')).targetCommand(),
  uplift: async () => (await import('./commands/uplift.js')).upliftCommand(),
  campaign: async () => (await import('./commands/campaign.js')).campaignCommand(),
  privacy: async () => (await import('./commands/privacy.js')).privacyCommand(),
  forecast: async () => (await import('./commands/forecast.js')).forecastCommand(),
  reorder: async () => (await import('./commands/reorder.js')).reorderCommand(),
  price: async () => (await import('./commands/price.js')).priceCommand(),
};
// `--version` needs none of them: loading them all cost it about 2 s of CPU, where node alone
// starts in 0.15 s.
const named = process.argv[2];
const needed =
  named === '--version' || named === '-V'
    ? []
    : named && Object.hasOwn(COMMANDS, named)
      ? [named]
      : Object.keys(COMMANDS);
for (const name of needed) {
  program.addCommand(await COMMANDS[name]!());
}

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`shopsight: ${message}\n`);
  process.exitCode = 1;
});
