/**
 * @module cli/commands/train-recommend
 * `shopsight train recommend [--model auto|NAME] [--budget 10m]`: measure the candidates
 * (leave-last-out, full ranking) within the time budget, fit the chosen one on all interactions,
 * store the serving bundle and promote it. With --json, stdout is one object: the stored model and
 * the evaluation (every candidate with its status, estimate, time and note; the budget).
 */
import { Command } from 'commander';
import { trainAndRegister } from '../../registry/training.js';
import { formatRecommendTable } from '../../tasks/recommend/evaluate.js';
import type { CandidateReport, TrainRecommendEvaluation } from '../../tasks/recommend/train.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import { seedOption } from './customer-options.js';
import { budgetOption, modelOption, recommenderListOption } from './recommend-options.js';

interface Options {
  db?: string;
  json?: boolean;
  model: string;
  candidates?: string[];
  seed: number;
  budget: number;
  promote: boolean;
}

const secs = (x: number | undefined): string => (x === undefined ? '' : x < 10 ? x.toFixed(1) : x.toFixed(0));

/** One line per candidate: what the budget decided, the estimate against the time it took. */
export function formatCandidates(e: TrainRecommendEvaluation): string {
  const rows = e.candidates.map((c: CandidateReport) => [
    c.model === e.best ? `${c.model} (chosen)` : c.model,
    c.status,
    secs(c.estimateSeconds),
    secs(c.seconds),
    c.note ?? '',
  ]);
  const b = e.budget;
  return [
    formatTable(['candidate', 'status', 'estimate s', 'took s', 'note'], rows),
    '',
    `final fit of ${b.finalFit.model} on all interactions: ${secs(b.finalFit.seconds)} s` +
      (b.finalFit.estimateSeconds !== undefined ? ` (estimate ${secs(b.finalFit.estimateSeconds)} s)` : ''),
    `time used ${secs(b.usedSeconds)} s` +
      (b.seconds !== null ? ` of a ${secs(b.seconds)} s budget` : '') +
      (b.slowdown > 1.05
        ? `; candidates ran ${b.slowdown.toFixed(1)}x slower than estimated (a busy machine?), later estimates were scaled by it`
        : ''),
  ].join('\n');
}

export function trainRecommendCommand(): Command {
  return new Command('recommend')
    .description(
      'recommendation models: compare within a time budget, fit the best (or the one named), store and promote',
    )
    .addOption(modelOption())
    .addOption(recommenderListOption('--candidates <list>', 'comma-separated models auto compares'))
    .addOption(budgetOption())
    .addOption(seedOption('seed for anything random', 1))
    .option('--no-promote', 'store the model without serving it')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      const startedAt = performance.now();
      const out = await withWarehouse(
        opts.db,
        async (wh) => {
          const progress = startProgress(wh, 'train recommend');
          try {
            const r = await trainAndRegister(
              wh,
              'recommend',
              {
                model: opts.model,
                ...(opts.candidates ? { candidates: opts.candidates } : {}),
                seed: opts.seed,
                budgetSeconds: opts.budget,
                startedAt,
                promote: opts.promote,
              },
              (label, ordinal, total) => progress.step(label, 0, 1, ordinal, total),
            );
            return { record: r.models[0], evaluation: r.evaluation };
          } finally {
            progress.stop();
          }
        },
        { viaServer: 'POST /v1/admin/train/recommend', clickhouse: true },
      );
      if (opts.json) return printJson({ model: out.record, evaluation: out.evaluation });
      process.stdout.write(
        [
          `${out.record.modelId} (${String(out.record.params['model'])}) stored` +
            (out.record.status === 'promoted' ? ' and promoted' : ''),
          '',
          formatRecommendTable(out.evaluation.rows, out.evaluation.best),
          `protocol: ${out.evaluation.protocol}`,
          '',
          formatCandidates(out.evaluation),
          '',
        ].join('\n'),
      );
    });
}
