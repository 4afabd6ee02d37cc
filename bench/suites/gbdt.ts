/**
 * GBDT benchmark (issue 3): 1,000,000 x 30 synthetic rows (seeded; a known nonlinear function of six
 * features plus Bernoulli noise, 5% missing in one feature), 100 trees of depth 6, trained in a child
 * process for its own peak RSS. Same-run baseline: the same training on 100,000 rows, scaled x10
 * (training cost should be linear in rows), and the same training with one histogram worker thread.
 * Also prediction throughput on 100,000 held-out rows.
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

interface ChildResult {
  rows: number;
  threads: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  predictRowsPerSecond: number;
  auc: number;
  maxRssMB: number;
}

function train(root: string, rows: number, threads: number): ChildResult {
  const out = execFileSync(
    'node',
    [
      '--import',
      'tsx',
      join(root, 'bench', 'gbdt-child.ts'),
      String(rows),
      String(COLS),
      String(ROUNDS),
      String(DEPTH),
      String(threads),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out) as ChildResult;
}

export async function gbdt({ root, report, note }: BenchContext): Promise<void> {
  const small = train(root, ROWS / 10, 0);
  const full = train(root, ROWS, 0);
  const workers = train(root, ROWS, 1);
  const scaled = small.trainSeconds * 10;
  report({
    name: `GBDT train, ${ROWS.toLocaleString('en-US')} x ${COLS}, ${ROUNDS} trees depth ${DEPTH}, one thread`,
    figure: `${full.trainSeconds.toFixed(1)} s (${full.trainCpuSeconds.toFixed(1)} s CPU), peak RSS ${full.maxRssMB.toFixed(0)} MiB`,
    baseline: `${(ROWS / 10).toLocaleString('en-US')} rows ${small.trainSeconds.toFixed(1)} s, x10 = ${scaled.toFixed(1)} s (${(full.trainSeconds / scaled).toFixed(2)}x of linear)`,
    target: ROWS >= 1_000_000 ? '< 60 s' : '(target is set for 1M rows)',
    ok: ROWS < 1_000_000 || full.trainSeconds < 60,
  });
  report({
    name: 'GBDT train with one histogram worker thread (2 threads in all)',
    figure: `${workers.trainSeconds.toFixed(1)} s (${(workers.trainSeconds / full.trainSeconds).toFixed(2)}x one thread), peak RSS ${workers.maxRssMB.toFixed(0)} MiB`,
    baseline: `one thread ${full.trainSeconds.toFixed(1)} s`,
    target: 'faster than one thread (else leave params.threads at 0)',
    ok: workers.trainSeconds < full.trainSeconds,
  });
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
      'Reference (measured once by hand, not in this run): XGBoost 1.7.4 (python3, `hist`, max_bin 256,',
      'the same parameters and the very same 1M rows) took 20.5 s CPU on one thread and reached a held-out',
      'ROC-AUC of 0.8310 (ours: 0.8303). The machine was shared by several busy processes at the time (load',
      'average 7-9 on 2 cores), so its wall times (76.6 s on one thread, 135 s on two) were not usable.',
    ].join('\n'),
  );
}
