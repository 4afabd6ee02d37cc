/**
 * Recommendation benchmarks (issue 4): item-kNN neighbours for a 100,000-item generated catalogue in
 * a child process (time and peak RSS), and on Amazon Beauty each registered model's training time
 * and the time of one recommendation call (score every item, top 10 unseen), against popularity's
 * call as the same-run baseline.
 *
 *   BENCH_KNN_USERS=200000 BENCH_ONLY=recommend npm run bench   # a quicker scale run
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadInteractions } from '../../src/features/interactions.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { recommendScratch, recommendTopK } from '../../src/ml/recommend/recommend.js';
import { trainingData } from '../../src/ml/recommend/training-data.js';
import type { ItemScorer } from '../../src/ml/recommend/types.js';
import { RECOMMENDERS } from '../../src/tasks/recommend/models.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { dataset } from '../../eval/datasets.js';
import type { BenchContext } from '../context.js';
import { median } from '../machine.js';

const KNN_USERS = Number(process.env['BENCH_KNN_USERS'] ?? 1_000_000);
const KNN_ITEMS = 100_000;
const KNN_K = 100;
/** Users asked for recommendations per model (every n-th user, so all parts of the id range). */
const CALLS = 1000;

export async function recommend({ root, report, note }: BenchContext): Promise<void> {
  // 1. Item-kNN at catalogue scale, alone in a child process.
  {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'bench', 'knn-child.ts'),
        String(KNN_USERS),
        String(KNN_ITEMS),
        String(KNN_K),
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      trainSeconds: number;
      trainCpuSeconds: number;
      maxRssMB: number;
      interactions: number;
      neighbours: number;
    };
    report({
      name: `item-kNN top-${KNN_K} neighbours, ${KNN_ITEMS.toLocaleString('en')} items, ${KNN_USERS.toLocaleString('en')} users, ${r.interactions.toLocaleString('en')} interactions (Zipf popularity)`,
      figure: `${r.trainSeconds.toFixed(1)} s wall, ${r.trainCpuSeconds.toFixed(1)} s CPU, peak RSS ${(r.maxRssMB / 1024).toFixed(2)} GiB (process, incl. generating the data)`,
      baseline: 'gorse users report 14 GB / 30 min at 50k items (not measured here)',
      target: 'peak RSS <= 2 GiB',
      ok: r.maxRssMB <= 2048,
    });
  }

  // 2. Every registered model on Beauty: training time and one recommendation call.
  const wh = await DuckDBWarehouse.open(':memory:');
  await importSource(wh, {
    target: dataset('amazon-beauty', 'Beauty.txt'),
    preset: getPreset('sequences'),
  });
  const { sequences, itemCategories } = (await loadInteractions(wh)).data;
  await wh.close();
  const data = { ...trainingData(sequences), itemCategories };
  const step = Math.max(1, Math.floor(sequences.users / CALLS));
  const callMs = (scorer: ItemScorer): { median: number; p95: number } => {
    const scratch = recommendScratch(scorer.items, 10);
    const times: number[] = [];
    for (let u = 0; u < sequences.users; u += step) {
      const history = sequences.itemIds.subarray(sequences.offsets[u]!, sequences.offsets[u + 1]!);
      const t = performance.now();
      recommendTopK(scorer, u, history, scratch);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { median: median(times), p95: times[Math.floor(times.length * 0.95)]! };
  };
  const rows: string[] = [];
  let baseline: number | undefined;
  for (const [name, entry] of Object.entries(RECOMMENDERS)) {
    const needs = entry.needs ?? [];
    if (needs.includes('categories')) continue; // Beauty has no categories
    const t = performance.now();
    const cpu = process.cpuUsage();
    const scorer = await entry.train(data, { seed: 1 });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const call = callMs(scorer);
    if (name === 'popularity') baseline = call.median;
    rows.push(
      `| ${name} | ${seconds.toFixed(2)} | ${((used.user + used.system) / 1e6).toFixed(2)} | ${call.median.toFixed(3)} | ${call.p95.toFixed(3)} |`,
    );
    report({
      name: `${name} on Beauty: one recommendation (score 12,101 items, top 10 unseen), median of ${CALLS}`,
      figure: `${call.median.toFixed(3)} ms${baseline ? ` (${(call.median / baseline).toFixed(1)}x popularity)` : ''}; training ${seconds.toFixed(2)} s`,
      baseline: baseline ? `popularity ${baseline.toFixed(3)} ms` : '-',
      target: '< 5 ms',
      ok: call.median < 5,
    });
  }
  note(
    [
      'Each registered model trained on all of Beauty (22,363 users, 198,502 interactions) in this process, then asked for',
      'the top 10 of every 22nd user. Wall and CPU seconds differ when other work shares the 2 cores.',
      '',
      '| model | train s (wall) | train s (CPU) | call median ms | call p95 ms |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
}
