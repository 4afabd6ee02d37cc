"""Reference for src/ml/linear/sparse-logistic.test.ts: scikit-learn's LogisticRegression (lbfgs)
on a small sparse fixture built by formula, binary, binary with sample weights, and multinomial.

Run:    /usr/bin/python3 eval/reference/sparse_logistic_sklearn.py > eval/reference/sparse_logistic_sklearn.json
Needs:  Debian 12's python3-sklearn (1.2.1) and python3-scipy. No dataset. Instant.
Prints: JSON: the fixture (40 rows x 8 columns as [column, value] pairs per row, 3-class labels,
        binary labels, sample weights) and, for each case, C, the coefficients (classes x features),
        intercepts and predict_proba of the first 5 rows as scikit-learn fits them (tol=1e-12; its
        lbfgs still stops on a relative objective change of 64 eps, with gradient entries ~1e-6),
        and the same objective's exact minimiser: scikit-learn's fit polished by Newton steps
        (numpy, exact Hessian) until the largest gradient entry is below 1e-13 ("exact").
Used by: src/ml/linear/sparse-logistic.test.ts (exact: weights, intercepts to 1e-6, probabilities;
        scikit-learn's own fit: to 1e-4).
"""

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from common import emit

ROWS, COLS = 40, 8


def fixture():
    rows = []
    for i in range(ROWS):
        row = []
        for j in range(COLS):
            if (i * 7 + j * 3) % 5 < 2:
                row.append([j, ((i * 3 + j * 5) % 7 + 1) / 7])
        rows.append(row)
    y3 = []
    for i, row in enumerate(rows):
        score = [0.0, 0.0, 0.0]
        for j, v in row:
            score[j % 3] += v
        c = int(np.argmax(score))
        if i % 6 == 0:
            c = (c + 1) % 3  # label noise, so no class is separable
        y3.append(c)
    y2 = [1 if c == 0 else 0 for c in y3]
    weights = [1 + (i % 3) for i in range(ROWS)]
    return rows, y3, y2, weights


def matrix(rows):
    data, ind, ptr = [], [], [0]
    for row in rows:
        for j, v in row:
            ind.append(j)
            data.append(v)
        ptr.append(len(ind))
    # float32 values, as Shopsight's CSR stores them
    return sp.csr_matrix((np.array(data, dtype=np.float32).astype(np.float64), ind, ptr), shape=(ROWS, COLS))


def fit(X, y, C, multi_class, sample_weight=None):
    m = LogisticRegression(C=C, solver="lbfgs", tol=1e-12, max_iter=100000, multi_class=multi_class)
    m.fit(X, y, sample_weight=sample_weight)
    sw = np.ones(ROWS) if sample_weight is None else sample_weight
    W, b = polish(X.toarray(), np.array(y), sw, 1.0 / C, m.coef_.copy(), m.intercept_.copy())
    return {
        "C": C,
        "coef": m.coef_.tolist(),
        "intercept": m.intercept_.tolist(),
        "proba": m.predict_proba(X[:5]).tolist(),
        "exact": {"coef": W.tolist(), "intercept": b.tolist(), "proba": proba(X[:5].toarray(), W, b).tolist()},
    }


def proba(X, W, b):
    Z = X @ W.T + b
    if W.shape[0] == 1:
        p = 1 / (1 + np.exp(-Z[:, 0]))
        return np.stack([1 - p, p], axis=1)
    Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)


def polish(X, y, sw, l2, W, b):
    """Newton's method on sum_i sw_i loss_i + l2/2 ||W||^2 (intercepts free), from scikit-learn's fit."""
    k, d = W.shape
    Xb = np.hstack([X, np.ones((ROWS, 1))])
    pen = np.diag(np.r_[np.full(d, l2), 0.0])
    for _ in range(50):
        theta = np.hstack([W, b[:, None]])  # k x (d+1)
        if k == 1:
            p = 1 / (1 + np.exp(-(Xb @ theta[0])))
            g = Xb.T @ (sw * (p - y)) + pen @ theta[0]
            H = Xb.T @ (Xb * (sw * p * (1 - p))[:, None]) + pen
            step = np.linalg.solve(H, g)[None, :]
            grad = g
        else:
            P = proba(X, W, b)
            Y = np.eye(k)[y]
            G = ((P - Y) * sw[:, None]).T @ Xb + theta @ pen  # k x (d+1)
            # Hessian of softmax: blocks (c, c') = X^T diag(sw p_c (delta - p_c')) X; the intercept
            # direction common to all classes is flat, so solve by least squares (minimum-norm step).
            D = d + 1
            H = np.zeros((k * D, k * D))
            for c in range(k):
                for c2 in range(k):
                    w8 = sw * P[:, c] * ((c == c2) - P[:, c2])
                    H[c * D:(c + 1) * D, c2 * D:(c2 + 1) * D] = Xb.T @ (Xb * w8[:, None]) + (pen if c == c2 else 0)
            step = np.linalg.lstsq(H, G.reshape(-1), rcond=None)[0].reshape(k, D)
            grad = G
        W, b = W - step[:, :d], b - step[:, d]
        if np.abs(grad).max() / sw.sum() < 1e-13:
            break
    return W, b


rows, y3, y2, weights = fixture()
X = matrix(rows)
emit(
    {
        "rows": rows,
        "labels3": y3,
        "labels2": y2,
        "weights": weights,
        "binary": fit(X, y2, 2.0, "auto"),
        "binaryWeighted": fit(X, y2, 1.0, "auto", np.array(weights, dtype=float)),
        "multinomial": fit(X, y3, 1.0, "multinomial"),
    }
)
