/** Every eval suite, in the order they run. A new suite is one file in this folder plus one line here. */
import type { Suite } from '../check.js';
import { importCounts } from './import-counts.js';
import { fraud } from './fraud.js';
import { recommend } from './recommend.js';
import { customers } from './customers.js';
import { basket } from './basket.js';
import { clv } from './clv.js';
import { reviews } from './reviews.js';
import { risk } from './risk.js';
import { assistantAsk } from './assistant-ask.js';
import { assistantKnowledge } from './assistant-knowledge.js';
import { uplift } from './uplift.js';
import { bandit } from './bandit.js';
import { forecast } from './forecast.js';
import { clickhouse } from './clickhouse.js';
import { clickhouseTrain } from './clickhouse-train.js';

export const SUITES: readonly Suite[] = [
  { name: 'import', run: importCounts },
  { name: 'fraud', run: fraud },
  { name: 'recommend', run: recommend },
  { name: 'customers', run: customers },
  { name: 'basket', run: basket },
  { name: 'clv', run: clv },
  { name: 'reviews', run: reviews },
  { name: 'risk', run: risk },
  { name: 'assistant-ask', run: assistantAsk },
  { name: 'assistant-knowledge', run: assistantKnowledge },
  { name: 'uplift', run: uplift },
  { name: 'bandit', run: bandit },
  { name: 'forecast', run: forecast },
  { name: 'clickhouse', run: clickhouse },
  { name: 'clickhouse-train', run: clickhouseTrain },
];
