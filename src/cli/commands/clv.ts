/**
 * @module cli/commands/clv
 * `shopsight clv fit <summary.csv> --model bgnbd|paretonbd|gammagamma [--json]`: fits a
 * customer-lifetime-value model to a summary file an analyst already has (columns frequency,
 * recency, T, plus monetary_value for gammagamma, or BTYD's x, t_x, T, zbar; other columns such as
 * ID are ignored) and prints
 * the parameters with standard errors, the log-likelihood, whether the returned point converged,
 * and for BG/NBD and Pareto/NBD whether the fit is on the no-dropout boundary (ml/clv/dropout-check.ts),
 * where its P(alive) means nothing. The file is read by DuckDB in a scratch in-memory warehouse; no
 * database file is touched.
 *
 * @example
 *   shopsight clv fit cdnow_customers_summary.csv --model bgnbd
 *   // parameter  estimate  std error
 *   // r              0.24       0.01   ...
 */
import { Command, Option } from 'commander';
import { ImportError } from '../../ingest/errors.js';
import { fitBgNbd } from '../../ml/clv/bg-nbd.js';
import { fitGammaGamma } from '../../ml/clv/gamma-gamma.js';
import { fitParetoNbd } from '../../ml/clv/pareto-nbd.js';
import type { DropoutCheck } from '../../ml/clv/dropout-check.js';
import type { FitResult } from '../../ml/clv/types.js';
import { ClvInputError } from '../../ml/clv/validate.js';
import { readSummaryFile } from '../../warehouse/summary-file.js';
import { openWarehouse } from '../../warehouse/open.js';
import { formatTable, jsonOption, printJson } from '../context.js';

export const CLV_MODELS = ['bgnbd', 'paretonbd', 'gammagamma'] as const;
export type ClvModelName = (typeof CLV_MODELS)[number];

/** The BTYD (R) names of the same columns, accepted too: cdnow_customers_summary_with_transactions.csv uses them. */
const BTYD_NAMES = { frequency: ['x'], recency: ['t_x'], monetary_value: ['zbar'] };

export interface SummaryFit {
  readonly file: string;
  readonly model: ClvModelName;
  readonly fit: FitResult<Record<string, number>>;
  /** BG/NBD and Pareto/NBD: the boundary check. */
  readonly dropout?: DropoutCheck;
}

/** Reads the summary file and fits the model; row problems come back as `file:line:column: reason`. */
export async function fitSummaryFile(file: string, model: ClvModelName): Promise<SummaryFit> {
  const columns =
    model === 'gammagamma'
      ? (['frequency', 'monetary_value'] as const)
      : (['frequency', 'recency', 'T'] as const);
  // A scratch engine: no canonical tables are needed to read one CSV.
  const wh = await openWarehouse(':memory:', { migrations: [] });
  let summary;
  try {
    summary = await readSummaryFile<string>(wh, file, columns, BTYD_NAMES);
  } finally {
    await wh.close();
  }
  const c = summary.columns;
  try {
    if (model === 'gammagamma') {
      const fit = fitGammaGamma(c['frequency']!, c['monetary_value']!);
      return { file, model, fit: fit as unknown as FitResult<Record<string, number>> };
    }
    const { dropout, ...fit } =
      model === 'bgnbd'
        ? fitBgNbd(c['frequency']!, c['recency']!, c['T']!)
        : fitParetoNbd(c['frequency']!, c['recency']!, c['T']!);
    return { file, model, fit: fit as unknown as FitResult<Record<string, number>>, dropout };
  } catch (err) {
    if (err instanceof ClvInputError) {
      // The model names the customer by index; the reader knows its line in the file.
      const line = err.index >= 0 ? summary.lines[err.index] : undefined;
      throw new ImportError({ file, line, column: err.column }, err.reason);
    }
    throw err;
  }
}

export function clvCommand(): Command {
  const clv = new Command('clv').description(
    'customer lifetime value models (BG/NBD, Pareto/NBD, Gamma-Gamma)',
  );
  clv
    .command('fit')
    .description('fit a model to a customer summary CSV (frequency, recency, T[, monetary_value])')
    .argument('<summary.csv>', 'one row per customer; times in any one unit (weeks, days)')
    .addOption(new Option('--model <model>', 'which model').choices([...CLV_MODELS]).makeOptionMandatory())
    .addOption(jsonOption())
    .action(async (file: string, opts: { model: ClvModelName; json?: boolean }) => {
      const { fit, dropout } = await fitSummaryFile(file, opts.model);
      if (opts.json) {
        return printJson({
          file,
          model: opts.model,
          params: fit.params,
          stdErrors: fit.stdErrors,
          logLikelihood: fit.logLikelihood,
          customers: fit.customers,
          iterations: fit.iterations,
          converged: fit.converged,
          gradientMaxAbs: fit.gradientMaxAbs,
          method: fit.method,
          ...(dropout
            ? {
                boundary: dropout.boundary,
                likelihoodRatio: dropout.likelihoodRatio,
                dropoutShare: dropout.dropoutShare,
                nbd: { params: dropout.nbd.params, logLikelihood: dropout.nbd.logLikelihood },
              }
            : {}),
        });
      }
      const rows = Object.keys(fit.params).map((k) => [k, fmt(fit.params[k]!), fmt(fit.stdErrors[k]!)]);
      process.stdout.write(
        [
          `${opts.model} fitted to ${fit.customers.toLocaleString('en-US')} customers of ${file}`,
          formatTable(['parameter', 'estimate', 'std error'], rows),
          '',
          `log-likelihood  ${fit.logLikelihood.toFixed(2)}`,
          `iterations      ${fit.iterations} (${fit.method})`,
          `converged       ${fit.converged ? 'yes' : 'NO: treat the estimates with care'} (largest gradient at the estimate ${fit.gradientMaxAbs.toExponential(1)})`,
          ...(dropout ? dropoutLines(dropout, opts.model) : []),
          ...(Object.values(fit.stdErrors).some((v) => !Number.isFinite(v))
            ? ['note: an infinite standard error means these data do not pin that parameter down']
            : []),
        ].join('\n') + '\n',
      );
    });
  return clv;
}

/** The boundary check in words: the statistic, and what to do when the fit is on the boundary. */
function dropoutLines(d: DropoutCheck, model: ClvModelName): string[] {
  const lines = [
    `dropout         ${d.dropoutShareMeaning} ${fmt(d.dropoutShare)}; 2 (LL - LL of the no-dropout NBD) = ${d.likelihoodRatio.toFixed(2)}`,
  ];
  if (d.boundary === null) return [...lines, 'boundary        no'];
  return [
    ...lines,
    `boundary        YES: ${d.boundary}`,
    `                P(alive) from this fit is not meaningful (about 1 for everyone by construction)` +
      (model === 'bgnbd' ? '; try --model paretonbd' : '; the data show no dropout for either model'),
  ];
}

/** Four significant digits, enough to compare with published figures (0.2426, 4.414, 11.66). */
function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}
