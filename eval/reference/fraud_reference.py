"""Reference figures for the 'fraud' eval suite: XGBoost and scikit-learn on the same feature
matrix and the same temporal split as eval/suites/fraud.ts, built here with pandas (not DuckDB).

Run:    /usr/bin/python3 eval/reference/fraud_reference.py > eval/reference/fraud_reference.json
Needs:  Debian 12's python3-pandas (1.5.3), python3-sklearn (1.2.1) and python3-xgboost (1.7.4):
        apt-get install -y python3-pandas python3-sklearn python3-xgboost. Reads
        fraud/Fraud_Data_subset.csv under the datasets folder ($SHOPSIGHT_DATASETS, else
        ../shared/datasets). About a minute on 2 cores.
Prints: JSON: purchases, split sizes, then for XGBoost (hist, max_bin 256, the parameters of
        GBDT_PARAMS in fraud.ts, base_score = the fit rows' fraud rate, early stopping on logloss
        of the validation rows) seeds 1, 2, 3 and their mean, and for scikit-learn
        SimpleImputer(mean) + StandardScaler + LogisticRegression(C = 1 / l2) with l2 picked from
        {0.1, 1, 10, 100} by validation log-loss: test ROC-AUC, PR-AUC (average precision), Brier
        and top-decile lift, to 4 decimals (lift 2). Last, for contrast, XGBoost (150 trees, same
        parameters, seed 1) on a random 70/30 split of the same rows (scikit-learn's
        train_test_split, random_state 1): the figure a split that ignores time would report.
Used by: eval/suites/fraud.ts (the reference rows, the floors and the logistic check).
"""

import math

import numpy as np
import sklearn
import xgboost as xgb
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from common import emit
from fraud_matrix import fraud_matrix, top_positive_rate

x, y = fraud_matrix()

# The suite's temporalSplit: train = earliest 70%, of which the latest 15% validates; test = the rest.
train_end = math.floor(len(y) * 0.7)
valid_start = math.floor(train_end * 0.85)
fit, valid, test = slice(0, valid_start), slice(valid_start, train_end), slice(train_end, len(y))


def lift_at_top(labels: np.ndarray, scores: np.ndarray, fraction: float = 0.1) -> float:
    return top_positive_rate(labels, scores, fraction) / labels.mean()


def scores(p: np.ndarray) -> dict:
    t = y[test]
    return {
        "rocAuc": round(roc_auc_score(t, p), 4),
        "prAuc": round(average_precision_score(t, p), 4),
        "brier": round(brier_score_loss(t, p), 4),
        "liftTopDecile": round(lift_at_top(t, p), 2),
    }


# GBDT_PARAMS of eval/suites/fraud.ts in XGBoost's names (rounds and early stopping passed to train).
XGB_PARAMS = {
    "objective": "binary:logistic",
    "tree_method": "hist",
    "max_bin": 256,
    "eta": 0.05,
    "max_depth": 5,
    "min_child_weight": 1,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "nthread": 2,
}

dfit = xgb.DMatrix(x[fit], label=y[fit], missing=np.nan)
dvalid = xgb.DMatrix(x[valid], label=y[valid], missing=np.nan)
dtest = xgb.DMatrix(x[test], missing=np.nan)
runs = {}
for seed in (1, 2, 3):
    booster = xgb.train(
        {**XGB_PARAMS, "base_score": float(y[fit].mean()), "eval_metric": "logloss", "seed": seed},
        dfit,
        num_boost_round=1000,
        evals=[(dvalid, "valid")],
        early_stopping_rounds=50,
        verbose_eval=False,
    )
    p = booster.predict(dtest, iteration_range=(0, booster.best_iteration + 1))
    runs[str(seed)] = {**scores(p), "trees": booster.best_iteration + 1}

best = None
for l2 in (0.1, 1, 10, 100):
    model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), LogisticRegression(C=1 / l2, max_iter=1000))
    model.fit(x[fit], y[fit])
    loss = log_loss(y[valid], model.predict_proba(x[valid])[:, 1])
    if best is None or loss < best[0]:
        best = (loss, l2, model)

rest, held = train_test_split(np.arange(len(y)), test_size=0.3, random_state=1)
random_booster = xgb.train(
    {**XGB_PARAMS, "base_score": float(y[rest].mean()), "seed": 1},
    xgb.DMatrix(x[rest], label=y[rest], missing=np.nan),
    num_boost_round=150,
)
p_random = random_booster.predict(xgb.DMatrix(x[held], missing=np.nan))
random_split = {
    "rocAuc": round(roc_auc_score(y[held], p_random), 4),
    "prAuc": round(average_precision_score(y[held], p_random), 4),
}

keys = ("rocAuc", "prAuc", "brier", "liftTopDecile")
emit(
    {
        "purchases": len(y),
        "split": {"fit": valid_start, "validation": train_end - valid_start, "test": len(y) - train_end},
        "xgboost": {
            "version": xgb.__version__,
            "seeds": runs,
            "mean": {k: round(float(np.mean([r[k] for r in runs.values()])), 4 if k != "liftTopDecile" else 2) for k in keys},
            "lowest": {k: min(r[k] for r in runs.values()) for k in ("rocAuc", "prAuc")},
        },
        "sklearnLogistic": {"version": sklearn.__version__, "l2": best[1], **scores(best[2].predict_proba(x[test])[:, 1])},
        "xgboostRandomSplit": random_split,
    }
)
