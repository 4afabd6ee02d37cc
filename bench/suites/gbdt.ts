/**
 * GBDT benchmark (issues 3 and 16): 1,000,000 x 30 synthetic rows (seeded; a known nonlinear function
 * of six features plus Bernoulli noise, 5% missing in one feature), 100 trees of depth 6, trained in
 * a child process for its own peak RSS, on one thread and on two (one worker). Same-run baselines:
 * the same training on 100,000 rows, scaled x10 (training cost should be linear in rows), and
 * XGBoost 1.7 `hist` on the very same rows with the same parameters on one and two threads
 * (bench/reference/xgboost-gbdt.py, run when /usr/bin/python3 can import xgboost and scikit-learn,
 * else reported as skipped); on two threads the median of PAIRS alternating runs of each. Also
 * prediction throughput on 100,000 held-out rows.
 *
 *   BENCH_GBDT_ROWS=200000 BENCH_ONLY=gbdt npm run bench   # a quicker run
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';

const ROWS = Number(process.env['BENCH_GBDT_ROWS'] ?? 1_000_000);
const COLS = 30;
const ROUNDS = 100;
const DEPTH = 6;
const PYTHON = '/usr/bin/python3';

interface ChildResult {
  rows: number;
  threads: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  predictRowsPerSecond: number;
  auc: number;
  maxRssMB: number;
}

interface XgboostResult {
  xgboost: string;
  threads: number;
  dmatrixSeconds: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  auc: number;
  maxRssMB: number;
}

function train(root: string, rows: number, threads: number, dataOut?: string): ChildResult {
  const args = [String(rows), String(COLS), String(ROUNDS), String(DEPTH), String(threads)];
  const out = execFileSync(
    'node',
    ['--import', 'tsx', join(root, 'bench', 'gbdt-child.ts'), ...args, ...(dataOut ? [dataOut] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out) as ChildResult;
}

/** Why the XGBoost reference cannot run here, or null when it can. */
function referenceMissing(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import xgboost, sklearn'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} cannot import xgboost and sklearn (apt-get install -y python3-xgboost python3-sklearn)`;
  }
}

function xgboost(root: string, data: string, threads: number): XgboostResult {
  const script = join(root, 'bench', 'reference', 'xgboost-gbdt.py');
  const args = [script, data, String(COLS), String(threads), String(ROUNDS), String(DEPTH)];
  return JSON.parse(execFileSync(PYTHON, args, { encoding: 'utf8' })) as XgboostResult;
}

const s = (x: number): string => `${x.toFixed(1)} s`;
const mib = (x: number): string => `${x.toFixed(0)} MiB`;

/**
 * The two-thread comparison runs as this many pairs, ours then XGBoost's, alternating: on this
 * 2-core machine one two-thread training moved by 5% from run to run at a load below 1.3 (10.7 s
 * and 11.2 s for the same model 14 minutes apart, docs/gbdt.md), as much as the gap measured.
 */
const PAIRS = 3;

/** The run whose train time is the median of `runs` (an odd count). */
function medianRun<T extends { trainSeconds: number }>(runs: T[]): T {
  return runs.slice().sort((x, y) => x.trainSeconds - y.trainSeconds)[runs.length >> 1]!;
}

export async function gbdt({ root, work, report, note }: BenchContext): Promise<void> {
  const data = join(work, 'gbdt');
  const small = train(root, ROWS / 10, 0);
  const full = train(root, ROWS, 0, data);
  const missing = referenceMissing();
  const ourPairs: ChildResult[] = [];
  const xgbPairs: XgboostResult[] = [];
  for (let i = 0; i < (missing ? 1 : PAIRS); i++) {
    ourPairs.push(train(root, ROWS, 1));
    if (!missing) xgbPairs.push(xgboost(root, data, 2));
  }
  const workers = medianRun(ourPairs);
  const xgb = missing ? null : [xgboost(root, data, 1), medianRun(xgbPairs)];
  const scaled = small.trainSeconds * 10;
  report({
    name: `GBDT train, ${ROWS.toLocaleString('en-US')} x ${COLS}, ${ROUNDS} trees depth ${DEPTH}, one thread`,
    figure: `${s(full.trainSeconds)} (${s(full.trainCpuSeconds)} CPU), peak RSS ${mib(full.maxRssMB)}`,
    baseline: `${(ROWS / 10).toLocaleString('en-US')} rows ${s(small.trainSeconds)}, x10 = ${s(scaled)} (${(full.trainSeconds / scaled).toFixed(2)}x of linear)`,
    target: ROWS >= 1_000_000 ? '< 60 s' : '(target is set for 1M rows)',
    ok: ROWS < 1_000_000 || full.trainSeconds < 60,
  });
  report({
    name: `GBDT train on two threads (one worker; the default on 2 cores from 100,000 rows), median of ${ourPairs.length}`,
    figure: `${s(workers.trainSeconds)} (${(workers.trainSeconds / full.trainSeconds).toFixed(2)}x one thread; ${s(workers.trainCpuSeconds)} CPU), peak RSS ${mib(workers.maxRssMB)}, AUC ${workers.auc.toFixed(4)}`,
    baseline: `one thread ${s(full.trainSeconds)}, AUC ${full.auc.toFixed(4)}`,
    target: 'faster than one thread, the same AUC (the same model to the bit)',
    ok: workers.trainSeconds < full.trainSeconds && workers.auc === full.auc,
  });
  if (xgb) {
    const samples = (runs: { trainSeconds: number }[]): string =>
      runs.map((r) => r.trainSeconds.toFixed(1)).join(' / ');
    for (const [ours, ref] of [
      [full, xgb[0]!],
      [workers, xgb[1]!],
    ] as const) {
      const threads =
        ref.threads === 1
          ? 'one thread'
          : `${ref.threads} threads, median of ${PAIRS} alternating pairs (ours ${samples(ourPairs)} s, XGBoost ${samples(xgbPairs)} s)`;
      const ratio = ours.trainSeconds / ref.trainSeconds;
      report({
        name: `GBDT vs XGBoost ${ref.xgboost} \`hist\`, same rows and parameters, ${threads}`,
        figure: `ours ${s(ours.trainSeconds)} (${ratio.toFixed(2)}x XGBoost's train), AUC ${ours.auc.toFixed(4)}, peak RSS ${mib(ours.maxRssMB)}`,
        baseline: `XGBoost ${s(ref.trainSeconds)} train (${s(ref.trainCpuSeconds)} CPU) + ${s(ref.dmatrixSeconds)} DMatrix, AUC ${ref.auc.toFixed(4)}, peak RSS ${mib(ref.maxRssMB)}`,
        target: "at most 1.0x XGBoost's train time, AUC within 0.001, less memory",
        ok: ratio <= 1 && Math.abs(ours.auc - ref.auc) <= 0.001 && ours.maxRssMB < ref.maxRssMB,
      });
    }
  } else {
    note(`XGBoost reference skipped: ${missing}.`);
  }
  report({
    name: 'GBDT held-out ROC-AUC (100,000 rows)',
    figure: full.auc.toFixed(4),
    baseline: `${small.auc.toFixed(4)} trained on ${(ROWS / 10).toLocaleString('en-US')} rows`,
    target: 'more rows, higher AUC',
    ok: full.auc >= small.auc,
  });
  report({
    name: `GBDT predict, ${ROUNDS} trees depth ${DEPTH}`,
    figure: `${(full.predictRowsPerSecond / 1e3).toFixed(0)}k rows/s`,
    baseline: '-',
    target: '-',
    ok: true,
  });
  note(
    [
      'The XGBoost rows come from bench/reference/xgboost-gbdt.py on the rows bench/gbdt-child.ts wrote',
      '(Debian python3-xgboost; re-run it by hand with the commands in its header). Its train time',
      'includes its quantile sketch and binned matrix, as ours includes our binning; the DMatrix copy',
      'from numpy is extra. Peak RSS is the whole process, the training data included, for both.',
      "From 100,000 rows ours quantizes the histograms' gradients to 8 bits (quantizedGradients 'auto',",
      "LightGBM's use_quantized_grad; leaves from the exact gradients); XGBoost's hist sums exact ones.",
    ].join('\n'),
  );
}
