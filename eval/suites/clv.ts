/**
 * Issue "Customer intelligence": the CLV models on CDNOW.
 *
 * 1. Published parameters: BG/NBD, Pareto/NBD and Gamma-Gamma fitted to the published CDNOW
 *    summaries (read through DuckDB as `shopsight clv fit` does) within 1% of the papers' figures.
 * 2. Holdout (the protocol of Fader, Hardie and Lee 2005 and the BTYD vignette): the 2,357-customer
 *    elog (cdnowElog.csv), same-day purchases merged, calibration 1997-01-01..1997-09-30 (39 weeks),
 *    holdout 1997-10-01..1998-06-30 (39 weeks). Models are fitted on the calibration summary; for
 *    every customer the conditional expectation E[Y(39) | x, t_x, T] is compared with the repeat
 *    transactions they actually made in the holdout, per calibration frequency (0..7+).
 * 3. Boundary checks (issue 15): the CDNOW fits are interior (not flagged); on Online Retail, at
 *    `train customers`' default cutoff and on all data, both BG/NBD and Pareto/NBD are flagged as
 *    no-dropout boundary fits and the NBD is served with P(alive) unavailable.
 */
import { bgNbdConditionalExpected, fitBgNbd } from '../../src/ml/clv/bg-nbd.js';
import { fitGammaGamma } from '../../src/ml/clv/gamma-gamma.js';
import { fitParetoNbd, paretoNbdConditionalExpected } from '../../src/ml/clv/pareto-nbd.js';
import { btydSummary } from '../../src/features/btyd-summary.js';
import { customerFeatures } from '../../src/features/customer-features.js';
import { dataRange, defaultCutoff } from '../../src/features/cutoff.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { fitClv } from '../../src/tasks/customers/clv.js';
import { latestCutoff } from '../../src/tasks/customers/train.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { openWarehouse } from '../../src/warehouse/open.js';
import { readSummaryFile } from '../../src/warehouse/summary-file.js';
import { afterLooking, equals, holds, within, type Check, type SuiteResult } from '../check.js';
import { dataset } from '../datasets.js';
import { calibrationSummary, CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END, loadElog } from './clv-cdnow.js';

const SUITE = 'clv';
const FHL = 'Fader, Hardie & Lee (2005), Marketing Science 24(2), table 1';
const BTYD = 'BTYD vignette (pnbd.EstimateParameters on cdnowSummary)';
const LIFETIMES = 'lifetimes docs: GammaGammaFitter on the 946 returning customers';

export async function clv(): Promise<SuiteResult> {
  const checks: Check[] = [];
  const wh = await openWarehouse(':memory:', { migrations: [] });
  try {
    // 1. Published parameters.
    const summary = await readSummaryFile(wh, dataset('cdnow', 'cdnow_customers_summary.csv'), [
      'frequency',
      'recency',
      'T',
    ]);
    const s = summary.columns;
    const bg = fitBgNbd(s.frequency, s.recency, s.T);
    // 1%: the published figures carry 3-4 significant digits and optimisers stop at slightly
    // different points of a flat likelihood. Set with the first fits (fc57d9a); the largest gap
    // measured is 0.1% (Pareto/NBD beta), so it was not widened to admit a result.
    const published = (name: string, expected: number, actual: number, source: string): void => {
      checks.push(
        within(SUITE, name, expected, actual, 0.01, `${source}; ±1% for rounding and optimiser stop`),
      );
    };
    published('BG/NBD r', 0.243, bg.params.r, FHL);
    published('BG/NBD alpha', 4.414, bg.params.alpha, FHL);
    published('BG/NBD a', 0.793, bg.params.a, FHL);
    published('BG/NBD b', 2.426, bg.params.b, FHL);
    const pn = fitParetoNbd(s.frequency, s.recency, s.T);
    for (const [name, fit] of [
      ['BG/NBD', bg],
      ['Pareto/NBD', pn],
    ] as const) {
      checks.push(
        holds(
          SUITE,
          `CDNOW ${name} fit converged and not on the no-dropout boundary`,
          fit.converged && fit.dropout.boundary === null,
          `converged ${fit.converged}, boundary ${fit.dropout.boundary ?? 'no'}, 2 (LL - LL_NBD) = ${fit.dropout.likelihoodRatio.toFixed(1)}`,
          'docs/clv.md: an interior fit with real dropout',
        ),
      );
    }
    published('Pareto/NBD r', 0.5534, pn.params.r, BTYD);
    published('Pareto/NBD alpha', 10.5802, pn.params.alpha, BTYD);
    published('Pareto/NBD s', 0.6061, pn.params.s, BTYD);
    published('Pareto/NBD beta', 11.6562, pn.params.beta, BTYD);
    const spend = await readSummaryFile(
      wh,
      dataset('cdnow', 'cdnow_customers_summary_with_transactions.csv'),
      ['frequency', 'monetary_value'],
      { frequency: ['x'], monetary_value: ['zbar'] },
    );
    const gg = fitGammaGamma(spend.columns.frequency, spend.columns.monetary_value);
    published('Gamma-Gamma p', 6.25, gg.params.p, LIFETIMES);
    published('Gamma-Gamma q', 3.74, gg.params.q, LIFETIMES);
    published('Gamma-Gamma gamma', 15.44, gg.params.gamma, LIFETIMES);

    // 2. Holdout, from the transactions.
    await loadElog(wh, dataset('cdnow', 'cdnowElog.csv'));
    const cal = await calibrationSummary(wh, CDNOW_CALIBRATION_END, CDNOW_HOLDOUT_END);
    let mismatched = 0;
    for (let i = 0; i < cal.length; i++) {
      const same =
        cal.frequency[i] === s.frequency[i] &&
        Math.abs(cal.recency[i]! - s.recency[i]!) < 0.006 &&
        Math.abs(cal.T[i]! - s.T[i]!) < 0.006;
      if (!same) mismatched++;
    }
    checks.push(
      equals(
        SUITE,
        'customers in the elog calibration summary',
        2357,
        cal.length,
        'shared/datasets/README.md (cdnow: the 2,357-customer cohort)',
      ),
    );
    checks.push(
      equals(
        SUITE,
        'calibration rows differing from the published summary',
        0,
        mismatched,
        'cdnow_customers_summary.csv, row by row (recency and T compared to its 2-decimal rounding)',
      ),
    );
    const bgCal = fitBgNbd(cal.frequency, cal.recency, cal.T);
    const pnCal = fitParetoNbd(cal.frequency, cal.recency, cal.T);
    const BUCKETS = 8;
    const n = new Float64Array(BUCKETS);
    const actual = new Float64Array(BUCKETS);
    const predBg = new Float64Array(BUCKETS);
    const predPn = new Float64Array(BUCKETS);
    for (let i = 0; i < cal.length; i++) {
      const x = cal.frequency[i]!;
      const k = Math.min(x, BUCKETS - 1);
      n[k]!++;
      actual[k] = actual[k]! + cal.holdout[i]!;
      predBg[k] = predBg[k]! + bgNbdConditionalExpected(bgCal.params, 39, x, cal.recency[i]!, cal.T[i]!);
      predPn[k] = predPn[k]! + paretoNbdConditionalExpected(pnCal.params, 39, x, cal.recency[i]!, cal.T[i]!);
    }
    const sum = (a: Float64Array): number => a.reduce((p, v) => p + v, 0);
    const totalActual = sum(actual);
    const totalBg = sum(predBg);
    const totalPn = sum(predPn);
    // The bound is ours, chosen after looking: with CDNOW's published parameters both models
    // under-forecast the 39-week holdout by about 12% (1,653 / 1,666 vs 1,882 repeat transactions;
    // CDNOW's holdout repeat rate runs above the calibration trend). 15% keeps that honest result
    // passing and catches a broken likelihood, summary or expectation, which miss by far more.
    const bound = afterLooking(
      '15%, set after measuring a gap of about -12% for both models (see the report)',
    );
    for (const [name, total] of [
      ['BG/NBD', totalBg],
      ['Pareto/NBD', totalPn],
    ] as const) {
      checks.push(
        holds(
          SUITE,
          `${name} total holdout purchases within 15% of actual`,
          Math.abs(total / totalActual - 1) <= 0.15,
          `${total.toFixed(1)} predicted vs ${totalActual} actual (${pct(total / totalActual - 1)})`,
          bound,
        ),
      );
    }
    const increasing = Array.from(predBg).every((v, k) => k === 0 || v / n[k]! > predBg[k - 1]! / n[k - 1]!);
    checks.push(
      holds(
        SUITE,
        'BG/NBD mean holdout prediction rises with calibration frequency',
        increasing,
        Array.from(predBg, (v, k) => (v / n[k]!).toFixed(2)).join(' < '),
        'FHL (2005) fig. 5: conditional expectations increase with x',
      ),
    );

    const rows = Array.from({ length: BUCKETS }, (_, k) => {
      const m = n[k]!;
      return `| ${k === BUCKETS - 1 ? `${k}+` : k} | ${m} | ${(actual[k]! / m).toFixed(3)} | ${(predBg[k]! / m).toFixed(3)} | ${(predPn[k]! / m).toFixed(3)} |`;
    });
    const report = [
      '### CLV models on CDNOW',
      '',
      `Fitted parameters (2,357-customer published summary, weeks; standard errors from the numerical Hessian):`,
      '',
      '| model | parameters | log-likelihood | iterations |',
      '| --- | --- | --- | --- |',
      `| BG/NBD | ${fmtParams(bg.params, bg.stdErrors)} | ${bg.logLikelihood.toFixed(2)} | ${bg.iterations} |`,
      `| Pareto/NBD | ${fmtParams(pn.params, pn.stdErrors)} | ${pn.logLikelihood.toFixed(2)} | ${pn.iterations} |`,
      `| Gamma-Gamma (946 repeat customers) | ${fmtParams(gg.params, gg.stdErrors)} | ${gg.logLikelihood.toFixed(2)} | ${gg.iterations} |`,
      '',
      'Holdout protocol: cdnowElog.csv, same-day purchases merged; calibration 1997-01-01..1997-09-30 (39 weeks),',
      'holdout 1997-10-01..1998-06-30 (39 weeks); models fitted on the calibration summary (built in SQL, identical',
      'to the published summary); per customer E[Y(39) | x, t_x, T] vs actual repeat transactions in the holdout,',
      'averaged per calibration frequency:',
      '',
      '| calibration repeat purchases | customers | actual holdout (mean) | BG/NBD (mean) | Pareto/NBD (mean) |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      `| all | ${cal.length} | total ${totalActual} | total ${totalBg.toFixed(1)} | total ${totalPn.toFixed(1)} |`,
    ].join('\n');
    const boundary = await onlineRetailBoundary(checks);
    return { checks, report: `${report}\n\n${boundary}` };
  } finally {
    await wh.close();
  }
}

/** Part 3: Online Retail's BTYD fits are flagged as boundary fits and the NBD is served. */
async function onlineRetailBoundary(checks: Check[]): Promise<string> {
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    await importSource(wh, {
      target: dataset('online-retail', 'online_retail.csv.gz'),
      preset: getPreset('online-retail'),
    });
    const range = (await dataRange(wh))!;
    const rows: string[] = [];
    for (const [label, cutoff] of [
      ['train customers default cutoff', latestCutoff(range, 90)],
      ['all data (the stored model)', defaultCutoff(range)],
    ] as const) {
      const m = await customerFeatures(wh, { cutoff, names: ['frequency'] });
      const model = fitClv(await btydSummary(wh, m.customerIds, cutoff));
      const f = model.fit;
      const on = `Online Retail, ${label} (${cutoff.toISOString().slice(0, 10)})`;
      checks.push(
        holds(
          SUITE,
          `${on}: BG/NBD flagged (boundary or not converged)`,
          f.bgnbd.boundary !== null || !f.bgnbd.converged,
          `converged ${f.bgnbd.converged}, boundary ${f.bgnbd.boundary ?? 'no'}`,
          'issue 15: a -> 0, P(alive) ~ 1 for everyone',
        ),
        holds(
          SUITE,
          `${on}: served model is not BG/NBD, P(alive) not a made-up 1.0`,
          model.purchases.model !== 'bgnbd' &&
            (model.purchases.model !== 'nbd' || model.pAliveUnavailable !== null),
          `served ${model.purchases.model}; P(alive) ${model.pAliveUnavailable === null ? 'served' : 'unavailable'}`,
          'issue 15 point 4: fall back to Pareto/NBD or mark P(alive) unavailable',
        ),
      );
      for (const [name, x] of [
        ['BG/NBD', f.bgnbd],
        ['Pareto/NBD', f.paretonbd],
        ['NBD', f.nbd],
      ] as const) {
        if (!x) continue;
        rows.push(
          `| ${label} | ${name} | ${fmtParams(x.params, x.stdErrors)} | ${x.logLikelihood.toFixed(2)} | ${x.converged ? 'yes' : 'no'} | ${x.likelihoodRatio?.toFixed(2) ?? ''} | ${x.boundary === undefined ? '' : (x.boundary ?? 'no')} |`,
        );
      }
      rows.push(
        `| ${label} | **served: ${model.purchases.model}** | | | | | ${model.pAliveUnavailable ?? 'P(alive) served'} |`,
      );
    }
    return [
      '### BTYD boundary checks on Online Retail',
      '',
      'Imported with the online-retail preset; purchase-day summaries (days) of every customer with a sales order before each cutoff.',
      '',
      '| summary | model | parameters (std error) | log-likelihood | converged | 2 (LL - LL_NBD) | boundary |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  } finally {
    await wh.close();
  }
}

function pct(v: number): string {
  return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
}

function fmtParams(p: object, se: object): string {
  const s = se as Record<string, number>;
  return Object.entries(p as Record<string, number>)
    .map(([k, v]) => `${k} ${v.toPrecision(4)} (${s[k]!.toPrecision(2)})`)
    .join(', ');
}
