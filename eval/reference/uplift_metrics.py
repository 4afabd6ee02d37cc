"""Reference for src/ml/uplift/metrics.test.ts: scikit-uplift's metrics on a small fixture.

scikit-uplift is not packaged in Debian, so its formulas are re-implemented here in numpy from its
source and documentation (sklift 0.5.1, sklift/metrics/metrics.py; docs
https://www.uplift-modeling.com/en/latest/api/metrics/index.html): uplift_curve, qini_curve,
perfect_qini_curve (negative_effect=True), perfect_uplift_curve, qini_auc_score,
uplift_auc_score and uplift_at_k (strategies 'overall' and 'by_group'), with sklearn.metrics.auc
for the trapezoid areas, exactly as sklift calls it.

Run:    /usr/bin/python3 eval/reference/uplift_metrics.py > eval/reference/uplift_metrics.json
Needs:  Debian 12's python3-numpy (1.24.2) and python3-sklearn (1.2.1). No dataset. Instant.
Prints: JSON: the fixture (y, treatment, uplift; ten rows with ties), its Qini and uplift curves,
        the perfect Qini curve, the Qini coefficient, the uplift AUC score, and uplift at k = 0.3
        and 0.5 for both strategies, to full double precision.
Used by: src/ml/uplift/metrics.test.ts (asserted to 12 decimals).
"""

import warnings

import numpy as np
from sklearn.metrics import auc

from common import emit

warnings.simplefilter("ignore", RuntimeWarning)  # the empty-slice mean, reported as null

Y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0]
T = [1, 1, 0, 1, 0, 1, 1, 0, 0, 0]
U = [0.5, 0.5, 0.3, 0.8, 0.1, 0.3, 0.9, -0.2, 0.3, 0.0]


def _points(y_true, uplift, treatment):
    y_true, uplift, treatment = np.array(y_true), np.array(uplift), np.array(treatment)
    desc = np.argsort(uplift, kind="mergesort")[::-1]
    y_true, uplift, treatment = y_true[desc], uplift[desc], treatment[desc]
    y_ctrl, y_trmnt = y_true.copy(), y_true.copy()
    y_ctrl[treatment == 1] = 0
    y_trmnt[treatment == 0] = 0
    distinct = np.where(np.diff(uplift))[0]
    idx = np.r_[distinct, uplift.size - 1]
    num_trmnt = np.cumsum(treatment)[idx]
    y_t = np.cumsum(y_trmnt)[idx].astype(float)
    num_all = idx + 1
    num_ctrl = num_all - num_trmnt
    y_c = np.cumsum(y_ctrl)[idx].astype(float)
    return num_all, num_trmnt, num_ctrl, y_t, y_c


def _origin(x, y):
    if x.size == 0 or y[0] != 0 or x[0] != 0:
        x, y = np.r_[0, x], np.r_[0, y]
    return x, y


def uplift_curve(y_true, uplift, treatment):
    n_all, n_t, n_c, y_t, y_c = _points(y_true, uplift, treatment)
    v = (np.divide(y_t, n_t, out=np.zeros_like(y_t), where=n_t != 0)
         - np.divide(y_c, n_c, out=np.zeros_like(y_c), where=n_c != 0)) * n_all
    return _origin(n_all, v)


def qini_curve(y_true, uplift, treatment):
    n_all, n_t, n_c, y_t, y_c = _points(y_true, uplift, treatment)
    n_t, n_c = n_t.astype(float), n_c.astype(float)
    v = y_t - y_c * np.divide(n_t, n_c, out=np.zeros_like(n_t), where=n_c != 0)
    return _origin(n_all, v)


def perfect_qini_curve(y_true, treatment):
    y, t = np.array(y_true), np.array(treatment)
    return qini_curve(y, y * t - y * (1 - t), t)


def perfect_uplift_curve(y_true, treatment):
    y, t = np.array(y_true), np.array(treatment)
    cr = np.sum((y == 1) & (t == 0))
    tn = np.sum((y == 0) & (t == 1))
    summand = y if cr > tn else t
    return uplift_curve(y, 2 * (y == t) + summand, t)


def _normalised(actual, perfect):
    xb, yb = np.array([0, perfect[0][-1]]), np.array([0, perfect[1][-1]])
    base = auc(xb, yb)
    return (auc(*actual) - base) / (auc(*perfect) - base)


def qini_auc_score(y, u, t):
    return _normalised(qini_curve(y, u, t), perfect_qini_curve(y, t))


def uplift_auc_score(y, u, t):
    return _normalised(uplift_curve(y, u, t), perfect_uplift_curve(y, t))


def uplift_at_k(y_true, uplift, treatment, strategy, k):
    y, u, t = np.array(y_true), np.array(uplift), np.array(treatment)
    order = np.argsort(u, kind="mergesort")[::-1]
    if strategy == "overall":
        n = int(len(y) * k)
        top_y, top_t = y[order][:n], t[order][:n]
        return float(top_y[top_t == 1].mean() - top_y[top_t == 0].mean())
    n_c, n_t = int((t == 0).sum() * k), int((t == 1).sum() * k)
    return float(y[order][t[order] == 1][:n_t].mean() - y[order][t[order] == 0][:n_c].mean())


def listed(curve):
    return {"x": [float(v) for v in curve[0]], "y": [float(v) for v in curve[1]]}


emit({
    "fixture": {"y": Y, "treatment": T, "uplift": U},
    "qiniCurve": listed(qini_curve(Y, U, T)),
    "upliftCurve": listed(uplift_curve(Y, U, T)),
    "perfectQiniCurve": listed(perfect_qini_curve(Y, T)),
    "qiniAucScore": float(qini_auc_score(Y, U, T)),
    "upliftAucScore": float(uplift_auc_score(Y, U, T)),
    "upliftAtK": {
        # null: a group with no row in the top (numpy's mean of an empty slice is NaN)
        f"{s}@{k}": None if np.isnan(v) else v
        for s in ("overall", "by_group")
        for k in (0.3, 0.5)
        for v in [uplift_at_k(Y, U, T, s, k)]
    },
})
