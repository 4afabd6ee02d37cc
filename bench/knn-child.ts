/**
 * Item-kNN neighbours on a generated catalogue, in its own process so the peak RSS is the model's
 * alone. Users draw ~10 items (5..15) from a Zipf(1) popularity over the catalogue, seeded.
 * Prints {generateSeconds, trainSeconds, trainCpuSeconds, maxRssMB, users, items, interactions, neighbours} as JSON.
 *
 *   node --import tsx bench/knn-child.ts <users> <items> <k>
 */
import { Rng } from '../src/core/random.js';
import { trainItemKnn } from '../src/ml/recommend/item-knn.js';
import { trainingData } from '../src/ml/recommend/training-data.js';

const [users, items, k] = process.argv.slice(2).map(Number) as [number, number, number];
if (!users || !items || !k) throw new Error('usage: knn-child <users> <items> <k>');

const t0 = performance.now();
const rng = new Rng(42);
// Zipf(1): item j (0-based) has weight 1 / (j + 1); sample by binary search on the cumulative table.
const cumulative = new Float64Array(items);
let total = 0;
for (let j = 0; j < items; j++) cumulative[j] = total += 1 / (j + 1);
const offsets = new Int32Array(users + 1);
for (let u = 0; u < users; u++) offsets[u + 1] = offsets[u]! + 5 + rng.int(11);
const itemIds = new Int32Array(offsets[users]!);
for (let p = 0; p < itemIds.length; p++) {
  const x = rng.float() * total;
  let lo = 0;
  let hi = items - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  // Scatter popularity ranks over the index space so popular items are not all in the first block.
  itemIds[p] = Math.imul(lo, 7919) % items;
}
const data = trainingData({ users, items, offsets, itemIds });
const generateSeconds = (performance.now() - t0) / 1000;

const t1 = performance.now();
const cpu = process.cpuUsage();
const model = trainItemKnn(data, { neighbours: k });
const trainSeconds = (performance.now() - t1) / 1000;
const used = process.cpuUsage(cpu);
process.stdout.write(
  JSON.stringify({
    generateSeconds,
    trainSeconds,
    trainCpuSeconds: (used.user + used.system) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    users,
    items,
    interactions: itemIds.length,
    neighbours: model.neighbours.indices.length,
  }) + '\n',
);
