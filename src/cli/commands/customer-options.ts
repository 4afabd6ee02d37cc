/**
 * @module cli/commands/customer-options
 * Options and printing shared by `train customers` and `evaluate customers`.
 */
import { InvalidArgumentError, Option } from 'commander';
import { parseCutoff } from '../../features/cutoff.js';
import type { ClvFitReport, ModelFitSummary } from '../../tasks/customers/clv.js';
import type { ClassifierReport, CustomerEvaluation } from '../../tasks/customers/train.js';
import { CV_FOLDS } from '../../tasks/customers/params.js';
import { formatTable } from '../context.js';

export const cutoffOption = (): Option =>
  new Option(
    '--cutoff <day>',
    'learn from data before this day (default: the latest day with a whole horizon after it)',
  ).argParser((v) => {
    try {
      return parseCutoff(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  });

export const horizonOption = (): Option =>
  new Option('--horizon <days>', 'churn horizon in days').default(90).argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`horizon must be a whole number of days >= 1, got '${v}'`);
    return n;
  });

/** `--seed <n>`, an integer checked before any work (also used by the recommend commands). */
export const seedOption = (description = 'seed of the customer split', fallback = 42): Option =>
  new Option('--seed <n>', description).default(fallback).argParser((v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`seed must be an integer, got '${v}'`);
    return n;
  });

const f4 = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');

function classifierTable(name: string, r: ClassifierReport): string {
  const rows = (['gbdt', 'logistic', 'rfmRule'] as const).map((k) => {
    const m = r.test[k];
    const label = k === 'rfmRule' ? 'RFM rule' : k === r.chosen ? `${k} (chosen)` : k;
    return [label, f4(m.rocAuc), f4(m.prAuc), f4(m.brier), m.liftTopDecile.toFixed(2)];
  });
  return (
    `${name} (${r.horizonDays} days; positive rate ${(r.positiveRate * 100).toFixed(1)}%; ` +
    `selection ROC-AUC gbdt ${f4(r.selectionRocAuc.gbdt)} vs logistic ${f4(r.selectionRocAuc.logistic)}; ` +
    `tuned by ${CV_FOLDS}-fold CV: gbdt ${r.tuned.gbdt.maxLeaves} leaves, min child hessian ${r.tuned.gbdt.minChildHessian}, ` +
    `${r.tuned.gbdt.rounds} trees; logistic l2 ${r.tuned.logistic.l2})\n` +
    formatTable(['model', 'ROC-AUC', 'PR-AUC', 'Brier', 'lift@10%'], rows)
  );
}

const MODEL_NAMES = { bgnbd: 'BG/NBD', paretonbd: 'Pareto/NBD', nbd: 'NBD (no dropout)' } as const;

/**
 * Every CLV fit tried, with whether its returned point converged and whether it is on the
 * no-dropout boundary, then which purchase model is served and, when P(alive) is not, why.
 */
export function formatClvFits(fit: ClvFitReport, title: string): string {
  const row = (name: string, f: ModelFitSummary<object> | null): string[] =>
    f === null
      ? [name, 'not fitted', '', '', '', '']
      : [
          name,
          f.logLikelihood.toFixed(2),
          f.converged ? 'yes' : 'NO',
          f.gradientMaxAbs.toExponential(1),
          f.likelihoodRatio === undefined ? '' : f.likelihoodRatio.toFixed(2),
          f.boundary === undefined ? '' : (f.boundary ?? 'no'),
        ];
  return [
    `${title} (served: ${MODEL_NAMES[fit.served]})`,
    formatTable(
      ['model', 'log-likelihood', 'converged', 'max gradient', '2 (LL - LL NBD)', 'boundary'],
      [
        row('BG/NBD', fit.bgnbd),
        row('Pareto/NBD', fit.paretonbd),
        row('NBD (no dropout)', fit.nbd),
        row('Gamma-Gamma', fit.gammaGamma),
      ],
    ),
    fit.pAliveUnavailable === null
      ? `P(alive): from ${MODEL_NAMES[fit.served]}`
      : `P(alive): UNAVAILABLE (${fit.pAliveUnavailable})`,
  ].join('\n');
}

/** The evaluation as text: protocol, then each task's figures side by side. */
export function formatEvaluation(e: CustomerEvaluation): string {
  const clv = e.clv;
  return [
    `${e.customers.toLocaleString('en-US')} customers as of ${e.cutoff}; split ${e.split.train}/${e.split.select}/${e.split.test} (fit/select/test)`,
    `protocol: ${e.protocol}`,
    '',
    classifierTable('churn', e.churn),
    '',
    classifierTable('purchase propensity', e.propensity),
    '',
    `spend in the next ${clv.horizonDays} days (${clv.protocol})`,
    formatTable(
      ['prediction', 'Spearman', 'mean abs error'],
      [
        [
          `${MODEL_NAMES[clv.fit.served]} x Gamma-Gamma`,
          f4(clv.model.spearman),
          clv.model.meanAbsoluteError.toFixed(2),
        ],
        [
          'same as last period',
          f4(clv.naiveLastPeriod.spearman),
          clv.naiveLastPeriod.meanAbsoluteError.toFixed(2),
        ],
      ],
    ),
    '',
    formatClvFits(clv.fit, `CLV fits on purchase days before ${e.cutoff}`),
    '',
    `next order date (${e.nextOrder.protocol})`,
    formatTable(
      ['customers', 'prediction', 'mean abs error (days)'],
      [
        [`${e.nextOrder.buyers} buyers`, 'model blend', e.nextOrder.meanAbsoluteErrorDays.toFixed(1)],
        [
          `${e.nextOrder.repeatBuyers} with >= 2 order days`,
          'model blend',
          e.nextOrder.repeatModelErrorDays.toFixed(1),
        ],
        [
          `${e.nextOrder.repeatBuyers} with >= 2 order days`,
          'own rhythm',
          e.nextOrder.repeatOwnRhythmErrorDays.toFixed(1),
        ],
      ],
    ),
  ].join('\n');
}
