/**
 * @module cli/commands/predict
 * `shopsight predict <task>`: score with the promoted models; one subcommand per file.
 */
import { Command } from 'commander';
import { predictCustomersCommand } from './predict-customers.js';

export function predictCommand(): Command {
  const cmd = new Command('predict').description('score with the promoted models and store the results');
  cmd.addCommand(predictCustomersCommand());
  return cmd;
}
