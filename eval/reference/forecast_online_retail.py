"""Online Retail daily units backtested with the forecast eval's protocol (issue 9), from the raw
file, independently of Shopsight's importer, series SQL and models.

Run:    /usr/bin/python3 eval/reference/forecast_online_retail.py > eval/reference/forecast_online_retail.json
Needs:  Debian 12 python3-pandas 1.5.3, python3-statsmodels 0.13.5; reads
        online-retail/online_retail.csv.gz under the datasets folder. About two minutes.
Prints: JSON: the series (days, first day, units of the total and of the top 5 countries and the
        top 50 products by units), and per level the MASE of seasonal naive, the 28-day mean and
        statsmodels' Holt-Winters (ExponentialSmoothing: additive damped trend, additive season of
        7, fitted by least squares), averaged over origins and series.
        Units: lines of invoices not starting with "C" with Quantity > 0 (cancellations and negative
        quantities left out), every stock code; days from the first to the last invoice day,
        zero-filled. Origins: 12, one week apart, the last at (days - 14); horizon 14. MASE: mean
        absolute error over the 14 days divided by the mean absolute seasonal difference (lag 7)
        of the training window; a series whose training window has a zero scale is left out.
Used by: eval/suites/forecast.ts (the reference rows and the floors).
"""

import gzip
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from common import dataset, emit

warnings.filterwarnings("ignore")
HORIZON, ORIGINS, STEP, SEASON = 14, 12, 7, 7

with gzip.open(dataset("online-retail", "online_retail.csv.gz"), "rt", encoding="utf-8") as f:
    df = pd.read_csv(f, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
df["day"] = pd.to_datetime(df["InvoiceDate"]).dt.normalize()
days = pd.date_range(df["day"].min(), df["day"].max(), freq="D")
sales = df[~df["InvoiceNo"].str.startswith("C") & (df["Quantity"] > 0)]


def daily(frame: pd.DataFrame) -> np.ndarray:
    return frame.groupby("day")["Quantity"].sum().reindex(days, fill_value=0).to_numpy(dtype=float)


countries = sales.groupby("Country")["Quantity"].sum().sort_values(ascending=False, kind="stable").index[:5]
products = sales.groupby("StockCode")["Quantity"].sum().sort_values(ascending=False, kind="stable").index[:50]
levels = {
    "total": {"total": daily(sales)},
    "country": {c: daily(sales[sales["Country"] == c]) for c in countries},
    "product": {p: daily(sales[sales["StockCode"] == p]) for p in products},
}


def holt_winters(train: np.ndarray) -> np.ndarray:
    fit = ExponentialSmoothing(train, trend="add", damped_trend=True, seasonal="add", seasonal_periods=SEASON).fit()
    return fit.forecast(HORIZON)


METHODS = {
    "seasonalNaive": lambda train: np.array([train[len(train) - SEASON + (j % SEASON)] for j in range(HORIZON)]),
    "mean28": lambda train: np.full(HORIZON, train[-28:].mean()),
    "holtWinters": holt_winters,
}

n = len(days)
last = n - HORIZON
origins = [last - STEP * k for k in range(ORIGINS)][::-1]
result = {"days": n, "firstDay": str(days[0].date()), "origins": origins, "levels": {}}
for level, series in levels.items():
    scores = {m: [] for m in METHODS}
    skipped = 0
    for y in series.values():
        for t in origins:
            train, test = y[:t], y[t : t + HORIZON]
            scale = np.mean(np.abs(train[SEASON:] - train[:-SEASON]))
            if scale == 0:
                skipped += 1
                continue
            for m, f in METHODS.items():
                scores[m].append(float(np.mean(np.abs(test - f(train))) / scale))
    result["levels"][level] = {
        "ids": list(series.keys()),
        "units": [float(v.sum()) for v in series.values()],
        "mase": {m: round(float(np.mean(v)), 4) for m, v in scores.items()},
        "skipped": skipped,
    }
emit(result)
