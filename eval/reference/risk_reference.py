"""Reference figures for the 'risk' eval suite (issue 10): XGBoost on the fraud matrix of
eval/suites/fraud.ts under the issue's two protocols, with precision at a 2% and 5% review rate.

Run:    /usr/bin/python3 eval/reference/risk_reference.py > eval/reference/risk_reference.json
Needs:  Debian 12's python3-pandas, python3-sklearn (1.2.1), python3-xgboost (1.7.4). Reads
        fraud/Fraud_Data_subset.csv under the datasets folder. About a minute on 2 cores.
Protocols (the same rows as eval/suites/risk.ts):
  (a) shuffled: rows (in purchase-time order) sorted by hash32(row index), the murmur3 finaliser
      of src/core/random.ts; the first 70% train, the rest test;
  (b) time: the earliest 70% by purchase_time train, the latest 30% test.
Model: XGBoost hist, 300 trees, depth 5, eta 0.05, subsample and colsample 0.8, seed 1, no early
stopping (the issue's reference configuration).
Prints: JSON: per protocol the test size, fraud rate, ROC-AUC, PR-AUC (average precision) and
        precision and recall at review rates 2% and 5%, to 4 decimals.
Used by: eval/suites/risk.ts (the reference rows, the protocol (a) floors).
"""

import math

import numpy as np
import xgboost as xgb
from sklearn.metrics import average_precision_score, roc_auc_score

from common import emit
from fraud_matrix import fraud_matrix, top_positive_rate

x, y = fraud_matrix()
n = len(y)


def hash32(v: np.ndarray) -> np.ndarray:
    """src/core/random.ts hash32 on uint32 values."""
    h = v.astype(np.uint64) & 0xFFFFFFFF
    h = ((h ^ (h >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
    return (h ^ (h >> 16)) & 0xFFFFFFFF


cut = math.floor(n * 0.7)
shuffled = np.lexsort((np.arange(n), hash32(np.arange(n))))
splits = {"shuffled": (shuffled[:cut], shuffled[cut:]), "time": (np.arange(cut), np.arange(cut, n))}
PARAMS = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_bin": 256,
    "eta": 0.05,
    "max_depth": 5,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "nthread": 2,
    "seed": 1,
}
out = {"purchases": n, "xgboostVersion": xgb.__version__}
for name, (train, test) in splits.items():
    booster = xgb.train(
        {**PARAMS, "base_score": float(y[train].mean())},
        xgb.DMatrix(x[train], label=y[train], missing=np.nan),
        num_boost_round=300,
    )
    p = booster.predict(xgb.DMatrix(x[test], missing=np.nan))
    t = y[test]
    figures = {"test": len(test), "fraudRate": round(float(t.mean()), 4)}
    figures["rocAuc"] = round(roc_auc_score(t, p), 4)
    figures["prAuc"] = round(average_precision_score(t, p), 4)
    for rate in (0.02, 0.05):
        precision = top_positive_rate(t, p, rate)
        figures[f"precisionAt{round(rate * 100)}"] = round(precision, 4)
        figures[f"recallAt{round(rate * 100)}"] = round(precision * rate * len(t) / t.sum(), 4)
    out[name] = figures
emit(out)
