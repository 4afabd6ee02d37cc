/**
 * The figures the reference scripts in this folder printed, as recorded beside each script
 * (`<name>.py` writes `<name>.json`; see README.md). Eval suites take expected numbers from here,
 * so every such number is reproducible from the repository: re-run the script, diff the JSON.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MissingInput } from '../check.js';
import { PROJECT_ROOT } from '../datasets.js';

export const REFERENCE_DIR = join(PROJECT_ROOT, 'eval', 'reference');

/** A script's recorded output and the source text naming it (for a check's `source`). */
export interface Recorded<T> {
  readonly figures: T;
  readonly source: string;
}

export function recorded<T>(script: string): Recorded<T> {
  const path = join(REFERENCE_DIR, `${script}.json`);
  if (!existsSync(path)) {
    throw new MissingInput(`no recorded output ${path}: run eval/reference/${script}.py (see its header)`);
  }
  return {
    figures: JSON.parse(readFileSync(path, 'utf8')) as T,
    source: `eval/reference/${script}.py (recorded in ${script}.json)`,
  };
}

export interface TopRule {
  readonly rule: string;
  readonly nXY: number;
  readonly nX: number;
  readonly nY: number;
  readonly lift: number;
}

/** groceries_recount.py */
export interface GroceriesRecount {
  readonly baskets: number;
  readonly items: number;
  readonly basketItemPairs: number;
  readonly wholeMilkBaskets: number;
  readonly minCount: number;
  readonly frequentItemsets: number;
  readonly 'rulesAtConfidence0.5': number;
  readonly topByLift: readonly TopRule[];
}

/** online_retail_baskets.py */
export interface OnlineRetailBaskets {
  readonly baskets: number;
  readonly items: number;
  readonly basketItemPairs: number;
  readonly mostFrequentItem: string;
  readonly mostFrequentItemBaskets: number;
  readonly minCount: number;
  readonly frequentItemsets: number;
  readonly 'rulesAtConfidence0.5': number;
  readonly topByLift: readonly TopRule[];
}

/** online_retail_counts.py */
export interface OnlineRetailCounts {
  readonly rows: number;
  readonly invoices: number;
  readonly customers: number;
  readonly stockCodes: number;
  readonly countries: number;
  readonly rowsWithoutCustomerId: number;
  readonly cancelledOrders: number;
  readonly exactDuplicateLines: number;
  readonly churn: {
    readonly cutoff: string;
    readonly horizonDays: number;
    readonly customersBeforeCutoff: number;
    readonly churned: number;
    readonly churnRate: number;
  };
}

export interface ClassifierScores {
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly brier: number;
  readonly liftTopDecile: number;
}

/** fraud_reference.py */
export interface FraudReference {
  readonly purchases: number;
  readonly split: { readonly fit: number; readonly validation: number; readonly test: number };
  readonly xgboost: {
    readonly version: string;
    readonly seeds: Record<string, ClassifierScores & { readonly trees: number }>;
    readonly mean: ClassifierScores;
    readonly lowest: { readonly rocAuc: number; readonly prAuc: number };
  };
  readonly sklearnLogistic: ClassifierScores & { readonly version: string; readonly l2: number };
  /** XGBoost on a random 70/30 split of the same rows, for contrast with the temporal split. */
  readonly xgboostRandomSplit: { readonly rocAuc: number; readonly prAuc: number };
}

/** Figures of one protocol in risk_reference.py. */
export interface RiskProtocolFigures {
  readonly test: number;
  readonly fraudRate: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly precisionAt2: number;
  readonly recallAt2: number;
  readonly precisionAt5: number;
  readonly recallAt5: number;
}

/** risk_reference.py */
export interface RiskReference {
  readonly purchases: number;
  readonly xgboostVersion: string;
  readonly shuffled: RiskProtocolFigures;
  readonly time: RiskProtocolFigures;
}
