/**
 * @module report/model-headlines
 * Which stored metric is a task's headline and which baseline it was compared with, for the report
 * and the dashboard's Models page (web/ imports this file: it has no imports of its own).
 */
export interface ModelHeadline {
  readonly metric: string;
  readonly label: string;
  readonly baseline: string;
  readonly baselineLabel: string;
}

export const MODEL_HEADLINES: Readonly<Record<string, ModelHeadline>> = {
  churn: { metric: 'rocAuc', label: 'ROC-AUC', baseline: 'rfmRuleRocAuc', baselineLabel: 'RFM rule' },
  propensity: { metric: 'rocAuc', label: 'ROC-AUC', baseline: 'rfmRuleRocAuc', baselineLabel: 'RFM rule' },
  clv: { metric: 'spearman', label: 'Spearman', baseline: 'naiveSpearman', baselineLabel: 'last period' },
  recommend: {
    metric: 'testNdcg10',
    label: 'NDCG@10',
    baseline: 'popularityNdcg10',
    baselineLabel: 'popularity',
  },
};
