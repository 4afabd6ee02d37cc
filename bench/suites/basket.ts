/**
 * Basket mining (issue 4): FP-growth and rule generation on Online Retail (19,773 baskets x 3,908
 * items, from the bundled file through the importer and loadBaskets) and on Groceries (9,835 x 169).
 * Baseline, same run: a naive pair count (every pair of every basket into a dense items x items
 * table, i.e. apriori's level 2 without candidate pruning), against FP-growth limited to pairs, which
 * must report the same number of frequent itemsets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadBaskets } from '../../src/features/baskets.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { type Baskets, basketsFromNames } from '../../src/ml/basket/baskets.js';
import { fpGrowth, type FpGrowthOptions } from '../../src/ml/basket/fpgrowth.js';
import { associationRules } from '../../src/ml/basket/rules.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { datasetPath } from '../../eval/datasets.js';
import type { BenchContext } from '../context.js';
import { median, timed } from '../machine.js';

const RUNS = 5;

/** Median wall time of `f` over RUNS runs after one warm-up, in ms. */
function ms<T>(f: () => T): { ms: number; value: T } {
  let value = f();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    value = f();
    times.push(performance.now() - t);
  }
  return { ms: median(times), value };
}

/** "3.0x faster" / "34x slower" than the baseline. */
function speed(ratio: number): string {
  return ratio >= 1
    ? `${ratio.toFixed(1)}x faster than the baseline`
    : `${(1 / ratio).toFixed(0)}x slower than the baseline`;
}

/** Frequent items plus frequent pairs, counted the naive way: a dense table of every pair. */
function naivePairCount(b: Baskets, minCount: number): number {
  const n = b.items;
  const single = new Int32Array(n);
  const pairs = new Int32Array(n * n);
  for (let k = 0; k < b.count; k++) {
    const from = b.offsets[k]!;
    const to = b.offsets[k + 1]!;
    for (let x = from; x < to; x++) {
      const i = b.itemIds[x]!;
      single[i]!++;
      for (let y = x + 1; y < to; y++) {
        const j = b.itemIds[y]!;
        pairs[i < j ? i * n + j : j * n + i]!++;
      }
    }
  }
  let found = 0;
  for (let i = 0; i < n; i++) if (single[i]! >= minCount) found++;
  for (let p = 0; p < pairs.length; p++) if (pairs[p]! >= minCount) found++;
  return found;
}

/**
 * `pairsTarget`: on a 169-item catalogue the dense pair table is tiny and a plain loop wins, so there
 * the target is only that both find the same itemsets; on 3,908 items FP-growth should be faster.
 */
function mine(
  ctx: BenchContext,
  label: string,
  baskets: Baskets,
  supports: readonly number[],
  pairsTarget: 'faster' | 'same itemsets',
): void {
  const pairsAt = supports[0]!;
  const opts: FpGrowthOptions = { minSupport: pairsAt, maxLength: 2 };
  const fp2 = ms(() => fpGrowth(baskets, opts));
  const naive = ms(() => naivePairCount(baskets, fp2.value.minCount));
  ctx.report({
    name: `${label}: items + pairs at support ${pairsAt} (count >= ${fp2.value.minCount}), median of ${RUNS}`,
    figure: `FP-growth ${fp2.ms.toFixed(0)} ms (${fp2.value.count} itemsets), ${speed(naive.ms / fp2.ms)}`,
    baseline: `naive pair count ${naive.ms.toFixed(0)} ms (${naive.value} itemsets)`,
    target: pairsTarget === 'faster' ? 'same itemsets, faster than the baseline' : 'same itemsets',
    ok: naive.value === fp2.value.count && (pairsTarget !== 'faster' || fp2.ms < naive.ms),
  });
  for (const minSupport of supports) {
    const fp = ms(() => fpGrowth(baskets, { minSupport }));
    const rules = ms(() => associationRules(fp.value, { minConfidence: 0.5 }));
    ctx.report({
      name: `${label}: all itemsets (<= 10 items) at support ${minSupport} (count >= ${fp.value.minCount}), median of ${RUNS}`,
      figure: `FP-growth ${fp.ms.toFixed(0)} ms, ${fp.value.count.toLocaleString('en-US')} itemsets; rules (conf >= 0.5) ${rules.ms.toFixed(0)} ms, ${rules.value.count.toLocaleString('en-US')} rules`,
      baseline: '-',
      target: '< 2 s',
      ok: fp.ms + rules.ms < 2000,
    });
  }
}

export async function basket(ctx: BenchContext): Promise<void> {
  const load = loadavg()[0]!.toFixed(1);
  const wh = await DuckDBWarehouse.open(join(ctx.work, 'retail.duckdb'));
  await importSource(wh, {
    target: join(ctx.root, 'fixtures', 'online-retail', 'online_retail.csv.gz'),
    preset: getPreset('online-retail'),
  });
  await loadBaskets(wh);
  const loads: number[] = [];
  let data = await loadBaskets(wh);
  for (let i = 0; i < 3; i++) {
    const t = await timed(() => loadBaskets(wh));
    loads.push(t.seconds * 1000);
    data = t.value;
  }
  await wh.close();
  const b = data.baskets;
  ctx.report({
    name: 'Online Retail: loadBaskets from the warehouse (warm, median of 3)',
    figure: `${median(loads).toFixed(0)} ms for ${b.count.toLocaleString('en-US')} baskets, ${b.itemIds.length.toLocaleString('en-US')} basket-item pairs`,
    baseline: '-',
    target: '< 2 s',
    ok: median(loads) < 2000,
  });
  mine(ctx, 'Online Retail', b, [0.01, 0.005], 'faster');
  // What BoughtTogether.fit mines by default: support 0.003, itemsets of <= 3, rules at confidence 0.1.
  {
    const fp = ms(() => fpGrowth(b, { minSupport: 0.003, maxLength: 3 }));
    const rules = ms(() => associationRules(fp.value, { minConfidence: 0.1, minLift: 1 }));
    ctx.report({
      name: `Online Retail: bought-together defaults, support 0.003 (count >= ${fp.value.minCount}), itemsets <= 3, median of ${RUNS}`,
      figure: `FP-growth ${fp.ms.toFixed(0)} ms, ${fp.value.count.toLocaleString('en-US')} itemsets; rules (conf >= 0.1, lift >= 1) ${rules.ms.toFixed(0)} ms, ${rules.value.count.toLocaleString('en-US')} rules`,
      baseline: '-',
      target: '< 2 s',
      ok: fp.ms + rules.ms < 2000,
    });
  }

  const path = datasetPath('groceries', 'groceries_baskets.csv');
  if (!existsSync(path)) {
    ctx.note(`Groceries not found at ${path}: its rows were skipped.`);
    return;
  }
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  mine(ctx, 'Groceries', basketsFromNames(lines.map((l) => l.split(','))).baskets, [0.001], 'same itemsets');
  ctx.note(
    `Timings share 2 cores with other work on the development machine (1-minute load average ${load} at the ` +
      'start of this suite), so they vary by 2x or more between runs. Measured once outside the suite: Online Retail at support 0.003 with itemsets of up to 10 ' +
      'items gives 174,563 itemsets (1.7-2.8 s) and 430,858 rules at confidence 0.5 (1.1-2.2 s); at 0.002 ' +
      '(40 baskets) 7.6 million itemsets in 15 s and 45 million rules in 450 s (long runs of near-identical ' +
      'invoices), which is why the bought-together defaults cap itemsets at 3 items.',
  );
}
