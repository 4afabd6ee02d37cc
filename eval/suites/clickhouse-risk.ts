/**
 * Issue 14, order risk: the clickhouse-train suite's checks for `train risk`, `risk score` and
 * `evaluate risk --labels` on Online Retail, imported into a 2-shard cluster and into DuckDB (the
 * suite does the imports). On each engine: the order risk feature matrix (25,900 orders x 20, every
 * feature as of its order), `train risk` without labels (isolation forest, seed 1) and with labels
 * (a GBDT; labels: the orders that end cancelled, from a file, as a stand-in for known fraud: the
 * sample has none), each stored and promoted in that engine's registry, and every order scored and
 * stored. Checks: the matrices are equal value for value, every stored metric (the threshold among
 * them) equals DuckDB's, the newest page of stored scores lists the same orders and scores.
 *
 * Before LOG_DIFF_NOISE (features/order-risk-features.ts) 3 of the 518,000 values differed by under
 * 1e-15 and the GBDT's held-out AUC in its fourth digit; since, every check is equal (fresh-clone CI,
 * 2 December 2026).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orderRiskFeatures } from '../../src/features/order-risk-features.js';
import { scoreOrdersAndStore, trainRiskAndRegister } from '../../src/registry/risk.js';
import { listOrderRisk } from '../../src/warehouse/order-risk-list.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { equals, holds, type Check } from '../check.js';
import { same, sameMetrics } from './clickhouse-same.js';

const SAME = 'the DuckDB run on the same file in the same run';

/** `ch` and `wh` hold the same Online Retail import; `dir` takes the labels file. */
export async function clickhouseRiskChecks(
  suite: string,
  ch: Warehouse,
  wh: Warehouse,
  dir: string,
): Promise<Check[]> {
  const checks: Check[] = [];
  const [ma, mb] = [await orderRiskFeatures(ch), await orderRiskFeatures(wh)];
  let differ = 0;
  for (let i = 0; i < Math.min(ma.values.length, mb.values.length); i++)
    if (!Object.is(ma.values[i], mb.values[i])) differ++;
  checks.push(
    equals(suite, 'order risk features: orders (ClickHouse)', 25_900, ma.rows, 'shared/datasets/README.md'),
    holds(
      suite,
      'order risk feature matrix equals DuckDB value by value',
      JSON.stringify(ma.orderIds) === JSON.stringify(mb.orderIds) && same(ma.values, mb.values),
      `${ma.rows} x ${ma.cols} against ${mb.rows} x ${mb.cols}, ${differ} values differ`,
      SAME,
    ),
  );

  const labels = join(dir, 'risk-labels.csv');
  const cancelled = await wh.columns(
    "SELECT order_id, CAST(status = 'cancelled' AS INTEGER) AS c FROM orders",
    {
      order_id: 'str',
      c: 'i32',
    },
  );
  writeFileSync(
    labels,
    ['order_id,label', ...cancelled.order_id.map((id, i) => `${id},${cancelled.c[i]}`)].join('\n') + '\n',
  );
  for (const options of [{ seed: 1 }, { seed: 1, labels }]) {
    const name = options.labels ? 'GBDT on labels' : 'isolation forest';
    const [a, b] = [await trainRiskAndRegister(ch, options), await trainRiskAndRegister(wh, options)];
    checks.push(
      ...sameMetrics(
        suite,
        `train risk (${name}) from the cluster: `,
        b.record.metrics,
        a.record.metrics,
        SAME,
      ),
    );
  }
  const [sa, sb] = [await scoreOrdersAndStore(ch), await scoreOrdersAndStore(wh)];
  const [pa, pb] = [await listOrderRisk(ch, { pageSize: 100 }), await listOrderRisk(wh, { pageSize: 100 })];
  const page = (p: typeof pa): string =>
    JSON.stringify(p.orders.map((o) => [o.orderId, o.score, o.held, o.reasons, o.customerId, o.total]));
  checks.push(
    holds(
      suite,
      'risk score from the cluster: every order stored, the top 100 listed as on DuckDB',
      sa.length === sb.length && pa.scored === pb.scored && pa.held === pb.held && page(pa) === page(pb),
      `${pa.scored} scored, ${pa.held} held; top 100 ${page(pa) === page(pb) ? 'equal' : 'differ'}`,
      SAME,
    ),
  );
  return checks;
}
