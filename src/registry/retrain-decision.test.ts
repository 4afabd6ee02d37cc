import { describe, expect, it } from 'vitest';
import { decidePromotion } from './retrain-decision.js';

describe('decidePromotion (hand-made metric pairs)', () => {
  it('promotes a version that scores better or the same', () => {
    const better = decidePromotion('churn', { selectionRocAuc: 0.74 }, { selectionRocAuc: 0.75 }, 0.005);
    expect(better).toEqual({
      promote: true,
      metric: 'selectionRocAuc',
      serving: 0.74,
      candidate: 0.75,
      tolerance: 0.005,
      reason: 'churn: new selection ROC-AUC 0.7500 vs serving 0.7400 (+0.0100), not worse: promoted',
    });
    expect(decidePromotion('recommend', { validationNdcg10: 0.1 }, { validationNdcg10: 0.1 }).promote).toBe(
      true,
    );
  });

  it('promotes a version worse by less than the tolerance, or exactly by it', () => {
    const within = decidePromotion(
      'recommend',
      { validationNdcg10: 0.062 },
      { validationNdcg10: 0.059 },
      0.005,
    );
    expect(within.promote).toBe(true);
    expect(within.reason).toBe(
      'recommend: new validation NDCG@10 0.0590 vs serving 0.0620 (-0.0030), within the tolerance 0.005: promoted',
    );
    // 0.745 - 0.75 is -0.0050000000000000044 in floating point: still "exactly the tolerance".
    expect(
      decidePromotion('propensity', { selectionRocAuc: 0.75 }, { selectionRocAuc: 0.745 }, 0.005).promote,
    ).toBe(true);
  });

  it('keeps the serving version when the new one is worse beyond the tolerance', () => {
    const worse = decidePromotion('clv', { spearman: 0.61 }, { spearman: 0.6 }, 0.005);
    expect(worse.promote).toBe(false);
    expect(worse.reason).toBe(
      'clv: new spend Spearman 0.6000 vs serving 0.6100 (-0.0100), worse by more than the tolerance 0.005: kept the serving version',
    );
    // Tolerance 0: any drop keeps the serving version.
    expect(decidePromotion('churn', { selectionRocAuc: 0.7 }, { selectionRocAuc: 0.6999 }, 0).promote).toBe(
      false,
    );
    // A wide tolerance lets the same drop through.
    expect(decidePromotion('clv', { spearman: 0.61 }, { spearman: 0.6 }, 0.02).promote).toBe(true);
  });

  it('never promotes a version without the metric; promotes over a serving version without one', () => {
    expect(decidePromotion('churn', { selectionRocAuc: 0.7 }, { rocAuc: 0.9 })).toMatchObject({
      promote: false,
      candidate: null,
      reason: 'churn: the new version has no selection ROC-AUC (selectionRocAuc); keeping the serving one',
    });
    expect(decidePromotion('churn', { selectionRocAuc: 0.7 }, { selectionRocAuc: NaN }).promote).toBe(false);
    expect(decidePromotion('churn', { rocAuc: 0.7 }, { selectionRocAuc: 0.6 })).toMatchObject({
      promote: true,
      serving: null,
      reason:
        'churn: the serving version has no selection ROC-AUC (selectionRocAuc) to compare with; the new one (0.6000) replaces it',
    });
    expect(decidePromotion('churn', undefined, { selectionRocAuc: 0.6 })).toMatchObject({
      promote: true,
      reason: 'churn: no version serves; the new one (selection ROC-AUC 0.6000) does',
    });
  });

  it('refuses a task with no metric and a negative tolerance', () => {
    expect(() => decidePromotion('forecast', {}, {})).toThrow(
      "no validation metric is defined for task 'forecast' (known: churn, propensity, clv, recommend, sentiment)",
    );
    expect(() => decidePromotion('churn', {}, {}, -0.1)).toThrow(
      'the retrain tolerance must be a number >= 0, got -0.1',
    );
  });
});
