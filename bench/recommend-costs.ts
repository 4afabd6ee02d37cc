/**
 * Measures the rates of src/tasks/recommend/cost.ts: for each costed model, one fit on the
 * leave-last-out training part of a store and one scoring of its validation cases, timed in CPU
 * seconds of this process (all threads) and wall seconds; rate = CPU seconds / work. CPU time is
 * used because the development machine is shared: wall time there is several times the CPU time
 * and says more about the neighbours than about the model.
 *
 *   node --import tsx bench/recommend-costs.ts store.duckdb [models] [cases]
 *
 * The rates in cost.ts came from a generated store (`shopsight generate --customers 10000
 * --products 5000 --seed 1`, imported with the shopsight preset), 2,000 cases; docs/recommendations.md
 * has the run.
 */
import { loadInteractions } from '../src/features/interactions.js';
import { evaluateRanking } from '../src/ml/metrics/ranking.js';
import { pickCases } from '../src/ml/recommend/split.js';
import { COSTS, dataSize } from '../src/tasks/recommend/cost.js';
import { leaveLastOutSplit } from '../src/tasks/recommend/evaluate.js';
import { getRecommender } from '../src/tasks/recommend/models.js';
import { openWarehouse } from '../src/warehouse/open.js';

const [db, list, casesArg] = process.argv.slice(2);
if (!db) throw new Error('usage: recommend-costs <store.duckdb> [model,model] [cases]');
const models = list ? list.split(',') : Object.keys(COSTS);
const maxCases = Number(casesArg ?? 2000);

const wh = await openWarehouse(db);
const d = await loadInteractions(wh);
await wh.close();
const whole = leaveLastOutSplit(d.data.sequences);
const n = Math.min(maxCases, whole.validation.users.length);
const step = whole.validation.users.length / n;
const positions = Int32Array.from({ length: n }, (_, i) => Math.floor(i * step));
const validation = pickCases(whole.validation, positions);
const size = dataSize(whole.train, n);
console.log(JSON.stringify(size));

/** Short runs of the iterated models: their cost is linear in the parameter. */
const STEPS: Record<string, Record<string, number>> = {
  sasrec: { epochs: 2 },
  als: { iterations: 5 },
  bpr: { epochs: 5 },
};

for (const model of models) {
  const f = COSTS[model]!;
  const params = STEPS[model] ?? {};
  const steps = Object.values(params)[0] ?? getRecommender(model).shorten?.default ?? 1;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const scorer = await getRecommender(model).train(whole.train, { seed: 1, params });
  const fitCpu = cpuSeconds(cpu0);
  const fitWall = (performance.now() - t0) / 1000;
  const cpu1 = process.cpuUsage();
  const t1 = performance.now();
  evaluateRanking(scorer, validation);
  const caseCpu = cpuSeconds(cpu1);
  const caseWall = (performance.now() - t1) / 1000;
  const fitWork = f.fixedWork(size) + f.stepWork(size) * steps;
  const caseWork = f.caseWork(size) * n;
  console.log(
    `${model}: fit ${fitCpu.toFixed(2)} s CPU (${fitWall.toFixed(2)} s wall), ` +
      `scoring ${n} cases ${caseCpu.toFixed(2)} s CPU (${caseWall.toFixed(2)} s wall); ` +
      `fitRate ${(fitCpu / fitWork).toExponential(2)}, caseRate ${(caseCpu / caseWork).toExponential(2)}`,
  );
}

function cpuSeconds(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}
