/**
 * Issue 4 "Recommendations", basket rules: FP-growth and association rules reproduce arules' published
 * Groceries figures, and on Online Retail (imported with the online-retail preset) the baskets, the
 * most frequent item and the rules match an independent Python recount of the raw file and SQL counts.
 */
import { readFileSync } from 'node:fs';
import { loadBaskets, type BasketData } from '../../src/features/baskets.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import { basketsFromNames } from '../../src/ml/basket/baskets.js';
import { CoOccurrence } from '../../src/ml/basket/co-occurrence.js';
import { fpGrowth, type FrequentItemsets } from '../../src/ml/basket/fpgrowth.js';
import { associationRules, ruleAt, type AssociationRules, type Rule } from '../../src/ml/basket/rules.js';
import { BoughtTogether } from '../../src/tasks/recommend/bought-together.js';
import { ContentSimilar } from '../../src/tasks/recommend/content.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { equals, holds, missing, within, type Check, type SuiteResult } from '../check.js';
import { dataset } from '../datasets.js';
import {
  recorded,
  type GroceriesRecount,
  type OnlineRetailBaskets,
  type Recorded,
} from '../reference/recorded.js';

const README = 'shared/datasets/README.md';
const ARULES = 'arules: apriori(Groceries, parameter = list(supp = 0.001, conf = 0.5)), "set of 5668 rules"';
/**
 * Lifts are sums and ratios of integer counts, so the recount and FP-growth agree to rounding of
 * the recorded digits: 1e-6 relative at 6 decimals (Groceries), 1e-5 at 4 (Online Retail, lift
 * about 79). Not tuned: any counting difference moves a lift by far more.
 */
const LIFT_TOLERANCE = 'tolerance: rounding of the recorded digits';
/** Two quantities our own code computes two ways (FP-growth vs SQL in this suite): must be equal. */
const SQL_HERE = 'SQL in this suite (eval/suites/basket.ts), exact';

function singletonSupport(sets: FrequentItemsets): Map<number, number> {
  const m = new Map<number, number>();
  for (let s = 0; s < sets.count; s++) {
    if (sets.offsets[s + 1]! - sets.offsets[s]! === 1) m.set(sets.items[sets.offsets[s]!]!, sets.support[s]!);
  }
  return m;
}

function ruleText(r: Rule, label: (i: number) => string): string {
  const set = (ids: number[]): string => `{${ids.map(label).sort().join(', ')}}`;
  return `${set(r.antecedent)} => ${set(r.consequent)}`;
}

function ruleTable(rules: AssociationRules, n: number, label: (i: number) => string): string {
  const lines = [
    '| # | rule | n(XY) | n(X) | n(Y) | support | confidence | lift | leverage | conviction |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (let i = 0; i < Math.min(n, rules.count); i++) {
    const r = ruleAt(rules, i);
    lines.push(
      `| ${i + 1} | ${ruleText(r, label)} | ${r.jointCount} | ${r.antecedentCount} | ${r.consequentCount} | ` +
        `${r.support.toFixed(6)} | ${r.confidence.toFixed(4)} | ${r.lift.toFixed(4)} | ${r.leverage.toFixed(6)} | ` +
        `${Number.isFinite(r.conviction) ? r.conviction.toFixed(4) : 'inf'} |`,
    );
  }
  return lines.join('\n');
}

async function groceries(checks: Check[], report: string[], py: Recorded<GroceriesRecount>): Promise<void> {
  const suite = 'basket: Groceries';
  const lines = readFileSync(dataset('groceries', 'groceries_baskets.csv'), 'utf8').trimEnd().split('\n');
  const { baskets, names } = basketsFromNames(lines.map((l) => l.split(',')));
  const sets = fpGrowth(baskets, { minSupport: 0.001 });
  const rules = associationRules(sets, { minConfidence: 0.5 });
  checks.push(
    equals(suite, 'baskets', 9835, baskets.count, README),
    equals(suite, 'items', 169, names.length, README),
    equals(suite, 'items bought (basket-item pairs)', 43_367, baskets.itemIds.length, README),
    equals(
      suite,
      'support count of {whole milk}',
      2513,
      singletonSupport(sets).get(names.indexOf('whole milk')) ?? -1,
      README,
    ),
    equals(
      suite,
      'frequent itemsets at support 0.001 (count >= 10)',
      py.figures.frequentItemsets,
      sets.count,
      py.source,
    ),
    equals(
      suite,
      'rules at support 0.001, confidence 0.5 (one item on the right)',
      5668,
      rules.count,
      ARULES,
    ),
  );
  // The top five by lift, as arules' inspect(sort(rules, by = "lift")) lists them; lifts from the
  // Python recount (the issue's "~15.2" for ranks 4 and 5 is 15.045 and 15.038 exactly).
  const top = [
    '{Instant food products, soda} => {hamburger meat}',
    '{popcorn, soda} => {salty snack}',
    '{baking powder, flour} => {sugar}',
    '{ham, processed cheese} => {white bread}',
    '{Instant food products, whole milk} => {hamburger meat}',
  ] as const;
  top.forEach((text, i) => {
    const name = `rule ${i + 1} lift`;
    const lifted = i < rules.count ? ruleText(ruleAt(rules, i), (j) => names[j]!) : 'no such rule';
    checks.push(equals(suite, `rule ${i + 1} by lift`, text, lifted, ARULES));
    const ref = py.figures.topByLift[i];
    if (!ref || ref.rule !== text || i >= rules.count) {
      const why = !ref || ref.rule !== text ? `recount's rule ${i + 1} is not ${text}` : 'rule not found';
      checks.push(missing(suite, name, ref ? String(ref.lift) : '?', why, py.source));
    } else {
      checks.push(
        within(suite, name, ref.lift, ruleAt(rules, i).lift, 1e-6, `${py.source}; ${LIFT_TOLERANCE}`, 6),
      );
    }
  });
  report.push(
    '### Groceries (arules), support >= 0.001 (10 of 9,835 baskets), confidence >= 0.5',
    '',
    `${sets.count} frequent itemsets, ${rules.count} rules with one item on the right and a non-empty left ` +
      "side (arules' definition; an empty left side would need an item in half the baskets, and none is). " +
      'Top 10 by lift:',
    '',
    ruleTable(rules, 10, (j) => names[j]!),
    '',
  );
}

/**
 * Hold-out check of "bought together": lists are built from orders before `cutoff`; each later order
 * with at least two products known before the cutoff gives one query, anchored on its product with
 * the smallest id (deterministic), and is a hit at k when the list's first k products include any of
 * the order's other known products. Baselines: plain co-occurrence counts and overall popularity.
 */
function holdOut(
  train: BasketData,
  test: BasketData,
  byLift: BoughtTogether,
  byConfidence: BoughtTogether,
  ks: readonly number[],
) {
  const K = Math.max(...ks);
  const index = new Map(train.productIds.map((id, i) => [id, i]));
  const co = new CoOccurrence(train.baskets);
  const popular = Array.from({ length: train.baskets.items }, (_, i) => i).sort(
    (a, b) => co.basketsWith(b) - co.basketsWith(a) || a - b,
  );
  const methods = [
    'bought together, rules by lift (default), then co-occurrence',
    "bought together, rules by confidence (rankBy: 'confidence')",
    'co-occurrence counts only',
    'popularity',
  ];
  const hits = methods.map(() => ks.map(() => 0));
  let queries = 0;
  for (let b = 0; b < test.baskets.count; b++) {
    const known: number[] = [];
    for (let j = test.baskets.offsets[b]!; j < test.baskets.offsets[b + 1]!; j++) {
      const i = index.get(test.productIds[test.baskets.itemIds[j]!]!);
      if (i !== undefined) known.push(i);
    }
    if (known.length < 2) continue;
    queries++;
    // Train indices follow sorted product ids, so the smallest index is the smallest id.
    const anchor = Math.min(...known);
    const rest = new Set(known.filter((i) => i !== anchor));
    const lists = [
      byLift.forProduct(train.productIds[anchor]!, K).map((p) => index.get(p.productId)!),
      byConfidence.forProduct(train.productIds[anchor]!, K).map((p) => index.get(p.productId)!),
      Array.from(co.top(anchor, K).items),
      popular.filter((i) => i !== anchor).slice(0, K),
    ];
    lists.forEach((list, m) =>
      ks.forEach((k, n) => {
        if (list.slice(0, k).some((i) => rest.has(i))) hits[m]![n]!++;
      }),
    );
  }
  return { queries, rows: methods.map((name, m) => ({ name, rates: hits[m]!.map((h) => h / queries) })) };
}

async function onlineRetail(
  checks: Check[],
  report: string[],
  py: Recorded<OnlineRetailBaskets>,
): Promise<void> {
  const suite = 'basket: Online Retail';
  const PY_RETAIL = py.source;
  const f = py.figures;
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    await importSource(wh, {
      target: dataset('online-retail', 'online_retail.csv.gz'),
      preset: getPreset('online-retail'),
    });
    const data = await loadBaskets(wh);
    const { baskets, productIds } = data;
    const titles = new Map(
      (
        await wh.rows<{ id: string; title: string | null }>('SELECT product_id AS id, title FROM products')
      ).map((r) => [r.id, r.title]),
    );
    const label = (i: number): string => `${productIds[i]} ${titles.get(productIds[i]!) ?? ''}`.trim();
    checks.push(
      equals(suite, 'baskets (sales orders with merchandise)', f.baskets, baskets.count, PY_RETAIL),
      equals(suite, 'items (merchandise products sold)', f.items, baskets.items, PY_RETAIL),
      equals(suite, 'basket-item pairs', f.basketItemPairs, baskets.itemIds.length, PY_RETAIL),
    );

    const minSupport = 0.01;
    const minConfidence = 0.5;
    const sets = fpGrowth(baskets, { minSupport });
    const rules = associationRules(sets, { minConfidence });
    // The most frequent item, from the FP-growth singletons, against the raw-file recount and SQL.
    let best = -1;
    let bestCount = -1;
    for (const [item, n] of singletonSupport(sets))
      if (n > bestCount || (n === bestCount && item < best)) [best, bestCount] = [item, n];
    const [sql] = await wh.rows<{ n: number }>(
      `SELECT count(DISTINCT i.order_id)::INTEGER AS n FROM order_items i JOIN orders o USING (order_id)
       WHERE i.product_id = ? AND o.status NOT IN ('cancelled', 'returned')`,
      [productIds[best]!],
    );
    checks.push(
      equals(suite, 'most frequent item', f.mostFrequentItem, productIds[best] ?? '', PY_RETAIL),
      equals(suite, 'its support count (FP-growth)', f.mostFrequentItemBaskets, bestCount, PY_RETAIL),
      sql
        ? equals(
            suite,
            'its support count = SQL count(DISTINCT order_id) of its sales orders',
            sql.n,
            bestCount,
            SQL_HERE,
          )
        : missing(
            suite,
            'its support count = SQL count',
            String(bestCount),
            'the SQL count returned no row',
            SQL_HERE,
          ),
      equals(
        suite,
        `frequent itemsets at support ${minSupport} (count >= ${sets.minCount})`,
        f.frequentItemsets,
        sets.count,
        PY_RETAIL,
      ),
      equals(
        suite,
        `rules at confidence ${minConfidence}`,
        f['rulesAtConfidence0.5'],
        rules.count,
        PY_RETAIL,
      ),
    );
    // The top rule's joint count, recounted in SQL: orders holding every item of the rule.
    const top = ruleAt(rules, 0);
    const ids = [...top.antecedent, ...top.consequent].map((i) => productIds[i]!);
    const [joint] = await wh.rows<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM (
         SELECT i.order_id FROM order_items i JOIN orders o USING (order_id)
         WHERE o.status NOT IN ('cancelled', 'returned') AND i.product_id IN (${ids.map(() => '?').join(', ')})
         GROUP BY i.order_id HAVING count(DISTINCT i.product_id) = ${ids.length})`,
      ids,
    );
    const pyTop = f.topByLift[0]!;
    checks.push(
      equals(
        suite,
        'top rule by lift',
        pyTop.rule,
        ruleText(top, (i) => productIds[i]!),
        PY_RETAIL,
      ),
      within(suite, 'top rule lift', pyTop.lift, top.lift, 1e-5, `${PY_RETAIL}; ${LIFT_TOLERANCE}`),
      joint
        ? equals(
            suite,
            'top rule n(XY) = SQL count of orders holding all three',
            joint.n,
            top.jointCount,
            SQL_HERE,
          )
        : missing(
            suite,
            'top rule n(XY) = SQL count',
            String(top.jointCount),
            'the SQL count returned no row',
            SQL_HERE,
          ),
    );

    // The task on top: "bought together" for the most frequent item, and a cold-start lookup.
    const bt = BoughtTogether.fromBaskets(data, titles);
    const together = bt.forProduct(productIds[best]!, 5);
    checks.push(
      holds(
        suite,
        'bought-together list for 85123A is full',
        together.length === 5,
        String(together.length),
        'task contract: 5 asked, and 85123A has far more than 5 co-purchased products',
      ),
    );
    // Point in time: lists from orders before 2011-11-01, scored on the orders after it.
    const cutoff = new Date('2011-11-01T00:00:00Z');
    const ks = [5, 10];
    const before = await loadBaskets(wh, { cutoff });
    const split = holdOut(
      before,
      await loadBaskets(wh, { from: cutoff }),
      BoughtTogether.fromBaskets(before, titles),
      BoughtTogether.fromBaskets(before, titles, { rankBy: 'confidence' }),
      ks,
    );
    const [ours, , , popularity] = split.rows;
    checks.push(
      holds(
        suite,
        'hold-out hit rate@10: bought together beats popularity',
        ours!.rates[1]! > popularity!.rates[1]!,
        `${ours!.rates[1]!.toFixed(4)} vs ${popularity!.rates[1]!.toFixed(4)}`,
        'baseline in the same run',
      ),
    );
    const cs = await ContentSimilar.fit(wh);
    const cold = cs.text.productIds.find(
      (id) => !cs.hasSales(id) && cs.forProduct(id, 1, { onlySold: true }).length > 0,
    );
    const similar = cold ? cs.forProduct(cold, 5, { onlySold: true }) : [];
    report.push(
      `### Online Retail, support >= ${minSupport} (${sets.minCount} of ${baskets.count} baskets), confidence >= ${minConfidence}`,
      '',
      'Baskets: one per sales order (cancelled and returned left out), distinct merchandise products ' +
        `(postage, fees, vouchers left out). ${sets.count} frequent itemsets, ${rules.count} rules. Top 10 by lift:`,
      '',
      ruleTable(rules, 10, label),
      '',
      `"Frequently bought together" with ${label(best)} (bought-together defaults: support >= 0.003, ` +
        'confidence >= 0.1, lift >= 1, itemsets of <= 3):',
      '',
      ...together.map((p) => `- ${p.productId} ${p.title ?? ''}: ${p.reason}`),
      '',
      `Hold-out (protocol: lists from sales orders before ${cutoff.toISOString().slice(0, 10)}; each later order ` +
        'with at least two products sold before then is one query, anchored on its smallest product id; a hit ' +
        `at k = one of the order's other products in the first k; ${split.queries} queries):`,
      '',
      `| method | ${ks.map((k) => `hit rate@${k}`).join(' | ')} |`,
      `|---|${ks.map(() => '---').join('|')}|`,
      ...split.rows.map((r) => `| ${r.name} | ${r.rates.map((x) => x.toFixed(4)).join(' | ')} |`),
      '',
      cold
        ? `Cold start: ${cold} ${cs.text.title[cs.text.productIds.indexOf(cold)] ?? ''} has no sales; most similar sold products by TF-IDF cosine of the title:`
        : 'Cold start: every catalogue product has sales.',
      '',
      ...similar.map(
        (p) => `- ${p.productId} ${p.title ?? ''}: ${p.reason} (cosine ${p.similarity.toFixed(3)})`,
      ),
      '',
    );
  } finally {
    await wh.close();
  }
}

export async function basket(): Promise<SuiteResult> {
  const checks: Check[] = [];
  const report: string[] = [
    'Protocol: FP-growth frequent itemsets, then rules X => {y} (one item on the right, non-empty left, ' +
      'support counted in baskets: support >= s means count >= ceil(s N)). Expected figures come from ' +
      "the dataset README, arules' published output, and an independent Python recount " +
      '(eval/reference/groceries_recount.py and online_retail_baskets.py: Eclat over big-int tidsets, ' +
      'their output recorded beside them and read here).',
    '',
  ];
  await groceries(checks, report, recorded<GroceriesRecount>('groceries_recount'));
  await onlineRetail(checks, report, recorded<OnlineRetailBaskets>('online_retail_baskets'));
  return { checks, report: report.join('\n') };
}
