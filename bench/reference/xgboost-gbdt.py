"""Reference figures for the 'gbdt' bench suite: XGBoost's `hist` on the very rows the bench trains on.

Run:    node --import tsx bench/gbdt-child.ts 1000000 30 100 6 0 /tmp/gbdt   # writes /tmp/gbdt.*.f32
        /usr/bin/python3 bench/reference/xgboost-gbdt.py /tmp/gbdt 30 2 [rounds] [depth]
        (npm run bench with BENCH_ONLY=gbdt does both, when /usr/bin/python3 can import xgboost.)
Needs:  Debian 12's python3-xgboost (1.7.4) and python3-sklearn (1.2.1):
        apt-get install -y python3-xgboost python3-sklearn.
Reads:  <prefix>.x.f32 (rows x cols, row-major little-endian float32, NaN = missing), <prefix>.y.f32
        (0/1 labels), <prefix>.tx.f32 and <prefix>.ty.f32 (the 100,000 held-out rows), as
        bench/gbdt-child.ts writes them.
Trains: tree_method hist, max_bin 256 (255 value bins + missing, like ours), 100 rounds of depth 6,
        eta 0.1, lambda 1, min_child_weight 1, gamma 0, base_score = the training label mean (our
        base score is its logit), nthread as given: the parameters of bench/suites/gbdt.ts.
Prints: one JSON line: rows, cols, threads, dmatrixSeconds (xgb.DMatrix from the numpy arrays),
        trainSeconds (xgb.train, which in 1.7 also builds the quantile sketch and the binned
        matrix), trainCpuSeconds (process CPU during xgb.train), auc (held-out ROC-AUC,
        scikit-learn), maxRssMB (peak resident memory of the whole process, data included).
"""

import json
import resource
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score


def cpu_seconds() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit("usage: xgboost-gbdt.py <prefix> <cols> <threads> [rounds=100] [depth=6]")
    prefix, cols, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    depth = int(sys.argv[5]) if len(sys.argv) > 5 else 6
    x = np.fromfile(f"{prefix}.x.f32", dtype="<f4").reshape(-1, cols)
    y = np.fromfile(f"{prefix}.y.f32", dtype="<f4")
    tx = np.fromfile(f"{prefix}.tx.f32", dtype="<f4").reshape(-1, cols)
    ty = np.fromfile(f"{prefix}.ty.f32", dtype="<f4")
    if x.shape[0] != y.shape[0]:
        sys.exit(f"{prefix}.x.f32 holds {x.shape[0]} rows of {cols} but {prefix}.y.f32 {y.shape[0]} labels")

    t0 = time.perf_counter()
    dtrain = xgb.DMatrix(x, label=y, missing=np.nan, nthread=threads)
    dmatrix_seconds = time.perf_counter() - t0

    params = {
        "objective": "binary:logistic",
        "tree_method": "hist",
        "max_bin": 256,
        "max_depth": depth,
        "eta": 0.1,
        "lambda": 1.0,
        "min_child_weight": 1.0,
        "gamma": 0.0,
        "base_score": float(y.mean()),
        "nthread": threads,
        "seed": 1,
    }
    c0 = cpu_seconds()
    t0 = time.perf_counter()
    booster = xgb.train(params, dtrain, num_boost_round=rounds)
    train_seconds = time.perf_counter() - t0
    train_cpu = cpu_seconds() - c0

    p = booster.predict(xgb.DMatrix(tx, missing=np.nan, nthread=threads))
    print(
        json.dumps(
            {
                "rows": int(x.shape[0]),
                "cols": cols,
                "threads": threads,
                "xgboost": xgb.__version__,
                "dmatrixSeconds": dmatrix_seconds,
                "trainSeconds": train_seconds,
                "trainCpuSeconds": train_cpu,
                "auc": float(roc_auc_score(ty, p)),
                "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
