/**
 * `train recommend` on a store it has not seen (issue 15): a generated store of 50,000 customers and
 * 20,000 products, imported, then `shopsight train recommend --json` with the default candidates and
 * budget, as a user would run it (a child process: the CLI's own time and memory). Records each
 * candidate's status, estimate and measured time, the final fit, and the whole command against its
 * budget, with the machine's load average (the machine is shared; wall times follow the load).
 *
 *   BENCH_REC_CUSTOMERS=5000 BENCH_REC_PRODUCTS=2000 BENCH_ONLY=train-recommend npm run bench  # quick
 *   BENCH_REC_BUDGET=20m ...                                                                 # another budget
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { TrainRecommendEvaluation } from '../../src/tasks/recommend/train.js';
import { builtCli } from '../cli.js';
import type { BenchContext } from '../context.js';

const CUSTOMERS = Number(process.env['BENCH_REC_CUSTOMERS'] ?? 50_000);
const PRODUCTS = Number(process.env['BENCH_REC_PRODUCTS'] ?? 20_000);
/** Passed to --budget as written; empty = the command's default. */
const BUDGET = process.env['BENCH_REC_BUDGET'] ?? '';

const n = (x: number): string => x.toLocaleString('en-US');
const s1 = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(1)} s`);
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

export async function trainRecommend({ work, root, report, note }: BenchContext): Promise<void> {
  const cli = builtCli(root);
  const store = join(work, 'store');
  const db = join(work, 'store.duckdb');
  const loadBefore = load();
  cli([
    'generate',
    '--customers',
    String(CUSTOMERS),
    '--products',
    String(PRODUCTS),
    '--seed',
    '1',
    '--out',
    store,
    '--json',
  ]);
  cli(['import', store, '--preset', 'shopsight', '--db', db, '--json']);

  const loadAtTrain = load();
  const t = performance.now();
  const out = JSON.parse(
    cli(['train', 'recommend', '--db', db, '--json', ...(BUDGET ? ['--budget', BUDGET] : [])]),
  ) as {
    model: { params: { model: string }; trainedOn: { users: number; items: number; interactions: number } };
    evaluation: TrainRecommendEvaluation;
  };
  const seconds = (performance.now() - t) / 1000;
  const e = out.evaluation;
  const size = out.model.trainedOn;
  const label = `${n(CUSTOMERS)} customers x ${n(PRODUCTS)} products`;

  for (const c of e.candidates) {
    report({
      name: `train recommend, ${label}: ${c.model}${c.model === e.best ? ' (chosen)' : ''}`,
      figure: c.seconds !== undefined ? `${s1(c.seconds)} (${c.status})` : c.status,
      baseline:
        c.estimateSeconds === undefined
          ? 'no estimate'
          : `estimate ${s1(c.estimateSeconds)}` +
            (c.slowdown && c.slowdown > 1.05
              ? ` (${s1(c.estimateSeconds / c.slowdown)} from the data's size x ${c.slowdown.toFixed(1)} measured slowdown)`
              : ''),
      target: '-',
      ok: c.status !== 'failed',
    });
  }
  report({
    name: `train recommend, ${label}: final fit of ${e.budget.finalFit.model} on all interactions`,
    figure: s1(e.budget.finalFit.seconds),
    baseline: `estimate ${s1(e.budget.finalFit.estimateSeconds)}`,
    target: '-',
    ok: true,
  });
  const budget = e.budget.seconds ?? Infinity;
  report({
    name: `train recommend, ${label}: the whole command (load, compare, final fit, store)`,
    figure: `${seconds.toFixed(0)} s`,
    baseline: '-',
    target: `within its budget, ${Number.isFinite(budget) ? `${budget} s` : 'none'}`,
    ok: seconds <= budget,
  });
  const best = e.rows.find((r) => r.model === e.best)!;
  const pop = e.rows.find((r) => r.model === 'popularity');
  note(
    [
      `Store: \`shopsight generate --customers ${CUSTOMERS} --products ${PRODUCTS} --seed 1\`, imported with the shopsight preset: ` +
        `${n(size.users)} users (customers and anonymous visitors), ${n(size.items)} items, ${n(size.interactions)} interactions. ` +
        `\`train recommend\` ran as a child process with the default candidates and ${BUDGET ? `\`--budget ${BUDGET}\`` : 'the default budget'}; ` +
        `per candidate, "figure" is its measured comparison (two fits, two scorings of ${n(e.validationCases)} cases) and "baseline" the estimate the budget decided with: ` +
        "the one from the data's size (CPU-based rates, src/tasks/recommend/cost.ts) times how much slower than estimated the candidates before it ran.",
      `Chosen: ${e.best}, test NDCG@10 ${best.test.ndcg[10]!.toFixed(4)} / HR@10 ${best.test.hr[10]!.toFixed(4)}` +
        (pop ? ` (popularity ${pop.test.ndcg[10]!.toFixed(4)} / ${pop.test.hr[10]!.toFixed(4)})` : '') +
        `. Time used as the command counts it: ${e.budget.usedSeconds.toFixed(0)} s of ${Number.isFinite(budget) ? `${budget} s` : 'no budget'}.`,
      `Notes the command gave: ${
        e.candidates
          .filter((c) => c.note)
          .map((c) => `${c.model}: ${c.note}`)
          .join('; ') || 'none'
      }.`,
      `1/5/15-minute load average: ${loadBefore} before generating, ${loadAtTrain} when training began, ${load()} at the end ` +
        '(2 cores shared with other work: wall times grow with the load; the estimates are CPU-based).',
    ].join('\n\n'),
  );
}
