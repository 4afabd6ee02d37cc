/**
 * @module tasks/risk/score-parallel
 * `scoreRisk` over many orders on every core: the rows are cut into one near-equal range per
 * thread; the calling thread scores the first range while RiskScoringThread workers (the server's
 * own scoring thread, ./score-thread.ts) score the others, and the parts are joined in row order.
 * Every order is scored by the same function on its own feature row, so the result is the one-thread
 * result to the bit (score-parallel.test.ts). Below MIN_PARALLEL_ROWS orders, starting a worker
 * costs more than it saves and everything runs here.
 *
 * @example
 *   const s = await scoreRiskParallel(model, m.values, m.rows, { rules }); // as scoreRisk(...)
 */
import { availableParallelism } from 'node:os';
import { riskToArtifact, type RiskModel } from './model.js';
import { RiskScoringThread } from './score-thread.js';
import { scoreRisk, type ScoredOrders, type ScoreOptions } from './score.js';

/** Fewer orders than this are scored on the calling thread alone (a worker starts in tens of ms). */
export const MIN_PARALLEL_ROWS = 50_000;

export interface ParallelScoreOptions extends ScoreOptions {
  /** Threads in all, the calling one included (default: the cores Node reports). */
  readonly threads?: number;
  /** Fewer orders are scored on the calling thread alone (default MIN_PARALLEL_ROWS). */
  readonly minRows?: number;
}

/** Splits [0, rows) into `parts` near-equal ranges: bounds[i]..bounds[i + 1]. */
function ranges(rows: number, parts: number): number[] {
  return Array.from({ length: parts + 1 }, (_, i) => Math.floor((rows * i) / parts));
}

/** The parts in row order, as one ScoredOrders. */
function join(parts: readonly ScoredOrders[], rows: number): ScoredOrders {
  const out: ScoredOrders = {
    score: new Float64Array(rows),
    modelScore: new Float64Array(rows),
    action: new Array<'hold' | 'allow' | null>(rows),
    reasonsJson: new Array<string>(rows),
    rulesHitJson: new Array<string>(rows),
  };
  let at = 0;
  for (const p of parts) {
    const n = p.score.length;
    out.score.set(p.score, at);
    out.modelScore.set(p.modelScore, at);
    for (let i = 0; i < n; i++) {
      out.action[at + i] = p.action[i]!;
      out.reasonsJson[at + i] = p.reasonsJson[i]!;
      out.rulesHitJson[at + i] = p.rulesHitJson[i]!;
    }
    at += n;
  }
  return out;
}

export async function scoreRiskParallel(
  model: RiskModel,
  values: Float32Array,
  rows: number,
  options: ParallelScoreOptions = {},
): Promise<ScoredOrders> {
  const cols = model.featureNames.length;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), rows));
  if (threads === 1 || rows < (options.minRows ?? MIN_PARALLEL_ROWS))
    return scoreRisk(model, values, rows, options);
  if (values.length !== rows * cols) {
    throw new Error(`risk scoring: ${values.length} values for ${rows} orders x ${cols} features`);
  }
  const rules = options.rules ?? [];
  const bounds = ranges(rows, threads);
  const artifact = riskToArtifact(model);
  const workers = Array.from({ length: threads - 1 }, () => new RiskScoringThread());
  try {
    // The workers' ranges are posted first, so they run while this thread scores its own.
    const pending = workers.map((w, i) => {
      const from = bounds[i + 1]!;
      const to = bounds[i + 2]!;
      return w.score(
        'risk',
        artifact,
        values.slice(from * cols, to * cols),
        to - from,
        rules,
        options.reasons,
      );
    });
    const first = scoreRisk(model, values.subarray(0, bounds[1]! * cols), bounds[1]!, options);
    return join([first, ...(await Promise.all(pending))], rows);
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}
