/**
 * @module cli/commands/train
 * `shopsight train <task>`: one subcommand per task family, each in its own file
 * (train-customers.ts, ...), added here one line each.
 */
import { Command } from 'commander';
import { trainCustomersCommand } from './train-customers.js';
import { trainRecommendCommand } from './train-recommend.js';
import { trainSentimentCommand } from './train-sentiment.js';
import { trainRiskCommand } from './train-risk.js';
import { trainUpliftCommand } from './train-uplift.js';

export function trainCommand(): Command {
  const cmd = new Command('train').description(
    'train models on the warehouse, store them in the registry and promote them',
  );
  cmd.addCommand(trainCustomersCommand());
  cmd.addCommand(trainRecommendCommand());
  cmd.addCommand(trainSentimentCommand());
  cmd.addCommand(trainRiskCommand());
  cmd.addCommand(trainUpliftCommand());
  return cmd;
}
