/**
 * The customer splits of the churn eval (eval/suites/customers.ts), as CSV lines `seed,row,part`
 * (part = fit, select or test; row = index of the customer in customer-id order), so that
 * eval/reference/churn-xgboost.py can score XGBoost on exactly the same test customers:
 *
 *   npx tsx eval/reference/churn-splits.ts 3362 > /tmp/churn-splits.csv
 *   /usr/bin/python3 eval/reference/churn-xgboost.py ../shared/datasets/online-retail/online_retail.csv.gz /tmp/churn-splits.csv
 */
import { splitCustomers } from '../../src/tasks/customers/split.js';
import { CHURN_SEEDS } from '../suites/customers.js';

const rows = Number(process.argv[2]);
if (!Number.isInteger(rows) || rows < 1) throw new Error('usage: churn-splits.ts <customers>');
const lines = ['seed,row,part'];
for (const seed of CHURN_SEEDS) {
  const s = splitCustomers(rows, { seed });
  for (const [part, idx] of [
    ['fit', s.train],
    ['select', s.select],
    ['test', s.test],
  ] as const)
    for (const r of idx) lines.push(`${seed},${r},${part}`);
}
process.stdout.write(lines.join('\n') + '\n');
