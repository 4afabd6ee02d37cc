"""The feature matrix of eval/suites/fraud.ts (fraudDataset), built with pandas: shared by
fraud_reference.py and risk_reference.py (not a script itself).
"""

import numpy as np
import pandas as pd

from common import dataset

FEATURES = [
    "purchase_value",
    "age",
    "log_seconds_signup_to_purchase",
    "purchase_hour",
    "purchase_weekday",
    "signup_hour",
    "device_earlier_purchases",
    "seconds_since_device_previous_purchase",
    "source_ads",
    "source_direct",
    "browser_firefox",
    "browser_ie",
    "browser_opera",
    "browser_safari",
    "sex_male",
]


def fraud_matrix() -> tuple[np.ndarray, np.ndarray]:
    """Rows in purchase-time order (ties by user_id) x FEATURES, and the 0/1 fraud labels."""
    d = pd.read_csv(dataset("fraud", "Fraud_Data_subset.csv"), dtype=str)
    d["signup_at"] = pd.to_datetime(d["signup_time"], format="%m/%d/%y %H:%M")
    d["purchase_at"] = pd.to_datetime(d["purchase_time"], format="%m/%d/%y %H:%M")
    d["user"] = d["user_id"].astype(int)
    # Purchase-time order, ties (minute resolution) broken by user_id, as the suite's SQL orders them.
    d = d.sort_values(["purchase_at", "user"], kind="mergesort").reset_index(drop=True)
    x = pd.DataFrame(
        {
            "purchase_value": d["purchase_value"].astype(float),
            "age": d["age"].astype(float),
            "log_seconds_signup_to_purchase": np.log1p((d["purchase_at"] - d["signup_at"]).dt.total_seconds()),
            "purchase_hour": d["purchase_at"].dt.hour,
            # DuckDB's dayofweek: Sunday = 0; pandas: Monday = 0.
            "purchase_weekday": (d["purchase_at"].dt.dayofweek + 1) % 7,
            "signup_hour": d["signup_at"].dt.hour,
            "device_earlier_purchases": d.groupby("device_id").cumcount(),
            "seconds_since_device_previous_purchase": d.groupby("device_id")["purchase_at"].diff().dt.total_seconds(),
            "source_ads": (d["source"] == "Ads").astype(int),
            "source_direct": (d["source"] == "Direct").astype(int),
            "browser_firefox": (d["browser"] == "FireFox").astype(int),
            "browser_ie": (d["browser"] == "IE").astype(int),
            "browser_opera": (d["browser"] == "Opera").astype(int),
            "browser_safari": (d["browser"] == "Safari").astype(int),
            "sex_male": (d["sex"] == "M").astype(int),
        }
    )[FEATURES].to_numpy(dtype=np.float32)
    y = d["class"].astype(int).to_numpy()
    return x, y


def top_positive_rate(labels: np.ndarray, scores: np.ndarray, fraction: float) -> float:
    """Positive rate in the top fraction by score (precision when that share is reviewed); a tied
    group straddling the cut counts with its average positive rate (as src/ml/metrics/classification.ts)."""
    k = fraction * len(labels)
    order = np.argsort(-scores, kind="mergesort")
    s, lab = scores[order], labels[order]
    taken = pos = 0.0
    i = 0
    while i < len(s) and taken < k:
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        group, hits = j - i, lab[i:j].sum()
        use = min(group, k - taken)
        pos += hits * use / group
        taken += use
        i = j
    return pos / taken
