/**
 * @module cli/commands/recommend-options
 * Options of `train recommend` and `evaluate recommend`, each checked when parsed, so a typo is
 * refused (with a did-you-mean) before the warehouse is opened or anything is trained.
 */
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_BUDGET_SECONDS, parseBudget } from '../../tasks/recommend/budget.js';
import { checkRecommenderNames } from '../../tasks/recommend/models.js';

function checked<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

/** A comma-separated list of registered recommender names. */
export const recommenderListOption = (flags: string, description: string): Option =>
  new Option(flags, description).argParser(
    checked((v) => {
      const names = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (!names.length) throw new Error('give at least one model name');
      checkRecommenderNames(names);
      return names;
    }),
  );

export const modelOption = (): Option =>
  new Option('--model <name>', 'model to serve, or auto (best validation NDCG@10 within the budget)')
    .default('auto')
    .argParser(
      checked((v) => {
        if (v !== 'auto') checkRecommenderNames([v]);
        return v;
      }),
    );

export const budgetOption = (): Option =>
  new Option(
    '--budget <time>',
    'wall time auto may spend: 600, 90s, 10m, 1.5h or none; expensive candidates are shortened or skipped with a note',
  )
    .default(DEFAULT_BUDGET_SECONDS, '10m')
    .argParser(checked(parseBudget));
