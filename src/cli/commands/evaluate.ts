/**
 * @module cli/commands/evaluate
 * `shopsight evaluate <task>`: hold-out figures of a task's models against baselines, without
 * storing anything; one subcommand per file.
 */
import { Command } from 'commander';
import { evaluateCustomersCommand } from './evaluate-customers.js';
import { evaluateForecastCommand } from './evaluate-forecast.js';
import { evaluateRecommendCommand } from './evaluate-recommend.js';
import { evaluateRiskCommand } from './evaluate-risk.js';

export function evaluateCommand(): Command {
  const cmd = new Command('evaluate').description(
    'measure models on held-out data, side by side with baselines',
  );
  cmd.addCommand(evaluateCustomersCommand());
  cmd.addCommand(evaluateRecommendCommand());
  cmd.addCommand(evaluateForecastCommand());
  cmd.addCommand(evaluateRiskCommand());
  return cmd;
}
