/**
 * @module tasks/recommend/evaluate
 * Leave-last-out comparison of registered recommenders, and the pick `--model auto` uses.
 *
 * @example
 *   const r = await evaluateRecommenders(seqs, ['popularity', 'item-knn']);
 *   r.rows[0]; // { model: 'popularity', validation: RankingMetrics, test: RankingMetrics, trainSeconds, ... }
 *   r.best;    // name with the highest VALIDATION NDCG@10 (the test set never chooses)
 *   formatRecommendTable(r); // markdown table, protocol stated under it
 *
 * Protocol (the one the issue's reference figures were measured with): each model is trained on
 * `train` (all but each user's last two items) and scored on the validation cases (history = train
 * items, target = second-last item); then refit on `trainValid` (all but the last item) and scored
 * on the test cases (history = all but last, target = last). Full ranking over every item, history
 * excluded, ties at their expected rank (ml/metrics/ranking.ts).
 */
import { evaluateRanking, type RankingMetrics } from '../../ml/metrics/ranking.js';
import { leaveLastOut, temporalSplit, type RankingCases } from '../../ml/recommend/split.js';
import { trainingData } from '../../ml/recommend/training-data.js';
import type { Sequences, TrainingData } from '../../ml/recommend/types.js';
import { getRecommender, RECOMMENDERS, type TrainOptions } from './models.js';

export interface ModelResult {
  readonly model: string;
  readonly validation: RankingMetrics;
  readonly test: RankingMetrics;
  /** Fit on the training part (the validation model), seconds. */
  readonly trainSeconds: number;
  /** Process peak RSS after this model ran (monotonic over the run: read growth, not level). */
  readonly peakRssMB: number;
}

export interface RecommendEvaluation {
  readonly protocol: string;
  readonly rows: readonly ModelResult[];
  /** Highest validation NDCG@10. */
  readonly best: string;
  readonly validationCases: number;
  readonly testCases: number;
  /** Leave-last-out: users with < 3 items. Temporal: users with test items but no history. */
  readonly trainOnlyUsers: number;
  /** Models whose data needs were not met (e.g. no categories), with why. */
  readonly skipped: readonly { readonly model: string; readonly reason: string }[];
}

/** A split an evaluation runs on: fit on `train`, validate; refit on `refit`, test. */
export interface EvaluationSplit {
  readonly train: TrainingData;
  readonly validation: RankingCases;
  readonly refit: TrainingData;
  readonly test: RankingCases;
}

export interface EvaluateOptions {
  readonly seed?: number;
  /** Per-model options (hyper-parameters), by model name. */
  readonly modelOptions?: Readonly<Record<string, TrainOptions>>;
  /** Called after each model, e.g. for a progress line. */
  readonly onModel?: (row: ModelResult) => void;
  /** Extra fields for the training data (e.g. itemCategories). */
  readonly extra?: Partial<TrainingData>;
}

export const LEAVE_LAST_OUT_PROTOCOL =
  'leave-last-out: per user the last item is the test target, the second-last the validation target; ' +
  'models are fit on the rest for validation and refit on all but the last item for the test; ' +
  'users with < 3 items are kept in training only; full ranking over every item, the history excluded; ' +
  'ties at their expected rank; model choice by validation NDCG@10';

/** The leave-last-out split as an EvaluationSplit, `extra` (e.g. itemCategories) on both training parts. */
export function leaveLastOutSplit(
  seqs: Sequences,
  extra: Partial<TrainingData> = {},
): EvaluationSplit & { readonly trainOnlyUsers: number } {
  const s = leaveLastOut(seqs);
  return {
    train: { ...trainingData(s.train), ...extra },
    validation: s.validation,
    refit: { ...trainingData(s.trainValid), ...extra },
    test: s.test,
    trainOnlyUsers: s.trainOnlyUsers,
  };
}

export async function evaluateRecommenders(
  seqs: Sequences,
  models: readonly string[] = Object.keys(RECOMMENDERS),
  options: EvaluateOptions = {},
): Promise<RecommendEvaluation> {
  const split = leaveLastOutSplit(seqs, options.extra);
  const { run, skipped } = runnable(models, split.train);
  const { rows, failed } = await evaluateOnSplit(split, run, options);
  skipped.push(...failed);
  return {
    protocol: LEAVE_LAST_OUT_PROTOCOL,
    rows,
    best: bestByValidation(rows, skipped),
    validationCases: split.validation.users.length,
    testCases: split.test.users.length,
    trainOnlyUsers: split.trainOnlyUsers,
    skipped,
  };
}

const DAY_MS = 86_400_000;

export const temporalProtocol = (cutoff: Date, validationDays: number): string =>
  `temporal: models fit on interactions before ${day(cutoff.getTime() - validationDays * DAY_MS)} are validated on the ` +
  `items each customer first bought in the ${validationDays} days up to ${day(cutoff)}; refit on everything ` +
  `before ${day(cutoff)}, they are tested on the items each customer first bought from then on ` +
  `(one case per customer and new item; the customer's other new items are not candidates; customers ` +
  `with no history before the cutoff left out); full ranking over every item, history excluded, ties at ` +
  `their expected rank; model choice by validation NDCG@10`;

function day(ms: number | Date): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Temporal evaluation (a store with real timestamps, e.g. Online Retail): validation is the window of
 * `validationDays` before the cutoff, the test everything from the cutoff to `end`.
 */
export async function evaluateTemporal(
  seqs: Sequences,
  cutoff: Date,
  models: readonly string[] = Object.keys(RECOMMENDERS),
  options: EvaluateOptions & { readonly end?: Date; readonly validationDays?: number } = {},
): Promise<RecommendEvaluation> {
  const validationDays = options.validationDays ?? 30;
  const c = cutoff.getTime();
  const v = temporalSplit(seqs, c - validationDays * DAY_MS, c);
  const t = temporalSplit(seqs, c, options.end?.getTime() ?? Infinity);
  const split: EvaluationSplit = {
    train: { ...trainingData(v.train), ...options.extra },
    validation: v.cases,
    refit: { ...trainingData(t.train), ...options.extra },
    test: t.cases,
  };
  const { run, skipped } = runnable(models, split.train);
  const { rows, failed } = await evaluateOnSplit(split, run, options);
  skipped.push(...failed);
  return {
    protocol: temporalProtocol(cutoff, validationDays),
    rows,
    best: bestByValidation(rows, skipped),
    validationCases: v.cases.users.length,
    testCases: t.cases.users.length,
    trainOnlyUsers: t.coldUsers,
    skipped,
  };
}

/**
 * The models whose needs (times, categories) the data meets and that accept its size, and why the
 * others are skipped (nothing is trained here).
 */
export function runnable(
  models: readonly string[],
  data: TrainingData,
): { run: string[]; skipped: { model: string; reason: string }[] } {
  const run: string[] = [];
  const skipped: { model: string; reason: string }[] = [];
  for (const model of models) {
    const entry = getRecommender(model);
    const missing = (entry.needs ?? []).filter((n) =>
      n === 'times' ? !data.sequences.times : !data.itemCategories?.some((c) => c >= 0),
    );
    const refusal = entry.refuses?.({ users: data.matrix.rows, items: data.matrix.cols });
    if (missing.length) skipped.push({ model, reason: `the data has no ${missing.join(' or ')}` });
    else if (refusal) skipped.push({ model, reason: `refused: ${refusal}` });
    else run.push(model);
  }
  return { run, skipped };
}

/**
 * One model under a split: fit on `train`, score the validation cases; refit on `refit` (unless it
 * is the same data) and score the test cases.
 */
export async function evaluateModel(
  split: EvaluationSplit,
  model: string,
  trainOptions: TrainOptions,
): Promise<ModelResult> {
  const entry = getRecommender(model);
  const t = performance.now();
  const validationModel = await entry.train(split.train, trainOptions);
  const trainSeconds = (performance.now() - t) / 1000;
  const validation = evaluateRanking(validationModel, split.validation);
  const testModel =
    split.refit === split.train ? validationModel : await entry.train(split.refit, trainOptions);
  const test = evaluateRanking(testModel, split.test);
  return { model, validation, test, trainSeconds, peakRssMB: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Runs each model on any split (leave-last-out, temporal, ...). A model that throws is reported in
 * `failed` with its message; the others still run.
 */
export async function evaluateOnSplit(
  split: EvaluationSplit,
  models: readonly string[],
  options: EvaluateOptions = {},
): Promise<{ rows: ModelResult[]; failed: { model: string; reason: string }[] }> {
  const rows: ModelResult[] = [];
  const failed: { model: string; reason: string }[] = [];
  for (const model of models) {
    const trainOptions: TrainOptions = { seed: options.seed ?? 1, ...options.modelOptions?.[model] };
    try {
      const row = await evaluateModel(split, model, trainOptions);
      options.onModel?.(row);
      rows.push(row);
    } catch (e) {
      failed.push({ model, reason: `failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return { rows, failed };
}

export function bestByValidation(
  rows: readonly ModelResult[],
  notRun: readonly { readonly model: string; readonly reason: string }[] = [],
): string {
  let best = rows[0];
  for (const r of rows) if (r.validation.ndcg[10]! > best!.validation.ndcg[10]!) best = r;
  if (!best) {
    const why = notRun.map((n) => `${n.model}: ${n.reason}`).join('; ');
    throw new Error(`no recommender could be evaluated${why ? ` (${why})` : ''}`);
  }
  return best.model;
}

const f4 = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(4));

/**
 * Markdown: one row per model, test metrics, validation NDCG@10, coverage, training time. No memory
 * column: in one process the peak RSS only grows, so per-model peaks come from the bench's child
 * processes.
 */
export function formatRecommendTable(rows: readonly ModelResult[], best?: string): string {
  const head =
    '| model | HR@5 | HR@10 | HR@20 | NDCG@5 | NDCG@10 | NDCG@20 | coverage@10 | valid NDCG@10 | train s |\n' +
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n';
  const body = rows
    .map((r) => {
      const t = r.test;
      const name = r.model === best ? `**${r.model}** (best)` : r.model;
      return `| ${name} | ${f4(t.hr[5])} | ${f4(t.hr[10])} | ${f4(t.hr[20])} | ${f4(t.ndcg[5])} | ${f4(t.ndcg[10])} | ${f4(t.ndcg[20])} | ${t.coverage.toFixed(3)} | ${f4(r.validation.ndcg[10])} | ${r.trainSeconds.toFixed(2)} |`;
    })
    .join('\n');
  return head + body + '\n';
}
