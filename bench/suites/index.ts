/** Every benchmark suite, in the order they run. A new suite is one file here plus one line below. */
import type { BenchSuite } from '../context.js';
import { dense } from './dense.js';
import { factors } from './factors.js';
import { foundation } from './foundation.js';
import { basket } from './basket.js';
import { gbdt } from './gbdt.js';
import { importSuite } from './import.js';
import { clv } from './clv.js';
import { recommend } from './recommend.js';
import { trainRecommend } from './train-recommend.js';
import { serverRecommend } from './server-recommend.js';
import { serverEvents } from './server-events.js';
import { reviews } from './reviews.js';
import { dashboard } from './dashboard.js';
import { forecast } from './forecast.js';
import { risk } from './risk.js';
import { clickhouseScale } from './clickhouse-scale.js';

export const BENCH_SUITES: readonly BenchSuite[] = [
  { name: 'foundation', title: 'Foundation: import and analytics', run: foundation },
  {
    name: 'import',
    title: "Import: Online Retail against DuckDB's own read, whole process",
    run: importSuite,
  },
  { name: 'gbdt', title: 'GBDT: training and prediction (src/ml/gbdt)', run: gbdt },
  { name: 'dense', title: 'Dense math: float32 matrix products (src/ml/dense)', run: dense },
  { name: 'factors', title: 'Factor models: ALS, BPR, EASE on Beauty (src/ml/recommend)', run: factors },
  { name: 'basket', title: 'Basket mining: FP-growth and association rules', run: basket },
  { name: 'clv', title: 'CLV models: BG/NBD and Pareto/NBD fits on CDNOW (src/ml/clv)', run: clv },
  { name: 'recommend', title: 'Recommendations: item-kNN at scale, call latency', run: recommend },
  {
    name: 'train-recommend',
    title: '`train recommend` on a new 50,000 x 20,000 store, within its budget',
    run: trainRecommend,
  },
  {
    name: 'server-recommend',
    title: 'HTTP API: recommendations for random known users at 100 / 500 / 1,000 requests/s, soak RSS',
    run: serverRecommend,
  },
  { name: 'server-events', title: 'Server: event ingestion over HTTP (POST /v1/events)', run: serverEvents },
  {
    name: 'reviews',
    title: 'Review sentiment: training on reviews-zh, scoring 100,000 reviews',
    run: reviews,
  },
  {
    name: 'dashboard',
    title: 'Dashboard: Overview first load on Online Retail, bundle size',
    run: dashboard,
  },
  {
    name: 'forecast',
    title: 'Forecasting: auto for 4,000 product series at horizon 28 (src/ml/forecast)',
    run: forecast,
  },
  { name: 'risk', title: 'Order risk: scoring 1,000,000 orders, one order through the library', run: risk },
  {
    name: 'clickhouse-scale',
    title: 'ClickHouse at scale: generated events into DuckDB and a 3-node cluster, import, disk, queries',
    run: clickhouseScale,
    onlyWhenNamed: true,
  },
];
