/**
 * Fits one factor model on all of Amazon Beauty in its own process and prints
 * {seconds, maxRssMB, ...} as JSON, so the peak memory measured is that model's alone.
 *
 *   node --import tsx bench/factors-child.ts als <threads> | bpr <epochs> | ease
 */
import { readFileSync } from 'node:fs';
import { dataset } from '../eval/datasets.js';
import { trainAls } from '../src/ml/recommend/als.js';
import { fitBpr } from '../src/ml/recommend/bpr.js';
import { fitEase } from '../src/ml/recommend/ease.js';
import { trainingData } from '../src/ml/recommend/training-data.js';
import type { TrainingData } from '../src/ml/recommend/types.js';

/** Beauty.txt: one line per user, `user item item ...`, 1-based ids, time order. */
function beauty(): TrainingData {
  const lines = readFileSync(dataset('amazon-beauty', 'Beauty.txt'), 'utf8').trim().split('\n');
  const offsets = new Int32Array(lines.length + 1);
  const ids: number[] = [];
  let items = 0;
  lines.forEach((line, u) => {
    for (const x of line.trim().split(/\s+/).slice(1)) {
      const i = Number(x) - 1;
      ids.push(i);
      if (i >= items) items = i + 1;
    }
    offsets[u + 1] = ids.length;
  });
  return trainingData({ users: lines.length, items, offsets, itemIds: Int32Array.from(ids) });
}

const [model, arg] = process.argv.slice(2);
const data = beauty();
const t = performance.now();
const cpu = process.cpuUsage();
let extra: Record<string, number> = {};
if (model === 'als') {
  await trainAls(data, { factors: 64, iterations: 15, threads: Number(arg ?? 1) });
} else if (model === 'bpr') {
  const epochs = Number(arg ?? 5);
  fitBpr(data, { factors: 64, epochs });
  extra = { epochs };
} else if (model === 'ease') {
  fitEase(data);
} else {
  throw new Error('usage: factors-child als <threads> | bpr <epochs> | ease');
}
const seconds = (performance.now() - t) / 1000;
const used = process.cpuUsage(cpu);
process.stdout.write(
  JSON.stringify({
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    users: data.matrix.rows,
    items: data.matrix.cols,
    interactions: data.sequences.itemIds.length,
    ...extra,
  }) + '\n',
);
