"""Online Retail daily units backtested with the forecast eval's protocol (issue 9), from the raw
file, independently of Shopsight's importer, series SQL and models.

Run:    /usr/bin/python3 eval/reference/forecast_online_retail.py > eval/reference/forecast_online_retail.json
Needs:  Debian 12 python3-pandas 1.5.3, python3-statsmodels 0.13.5; reads
        online-retail/online_retail.csv.gz under the datasets folder. About two minutes.
Prints: JSON, for two definitions of the lines: the series (days, first day, ids and units of
        the total and of the top 5 countries and the top 50 products by units), and per level the
        MASE of seasonal naive, the 28-day mean and statsmodels' Holt-Winters (ExponentialSmoothing:
        additive damped trend, additive season of 7, fitted by least squares), averaged over origins
        and series.
        "raw" (the issue's definition): lines of invoices not starting with "C" with Quantity > 0
        (cancellations and negative quantities left out), every stock code. "warehouse": the same
        without the lines Shopsight's import quarantines, exact duplicates of an earlier line (all
        eight fields equal) and lines with UnitPrice <= 0. Days from the first to the last invoice
        day, zero-filled. Origins: 12, one week apart, the last at (days - 14); horizon 14. MASE: mean
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
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
duplicate = df.duplicated(keep="first")
df["Quantity"] = df["Quantity"].astype(int)
df["UnitPrice"] = df["UnitPrice"].astype(float)
df["day"] = pd.to_datetime(df["InvoiceDate"]).dt.normalize()
days = pd.date_range(df["day"].min(), df["day"].max(), freq="D")
raw = df[~df["InvoiceNo"].str.startswith("C") & (df["Quantity"] > 0)]
warehouse = raw[~duplicate[raw.index] & (raw["UnitPrice"] > 0)]


def daily(frame: pd.DataFrame) -> np.ndarray:
    return frame.groupby("day")["Quantity"].sum().reindex(days, fill_value=0).to_numpy(dtype=float)


def top(sales: pd.DataFrame, column: str, n: int) -> list:
    # Largest first, ties by id (as the series SQL orders them).
    units = sales.groupby(column)["Quantity"].sum().reset_index()
    return units.sort_values([ "Quantity", column], ascending=[False, True])[column].tolist()[:n]


def levels_of(sales: pd.DataFrame) -> dict:
    return {
        "total": {"total": daily(sales)},
        "country": {c: daily(sales[sales["Country"] == c]) for c in top(sales, "Country", 5)},
        "product": {p: daily(sales[sales["StockCode"] == p]) for p in top(sales, "StockCode", 50)},
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


def backtest(levels: dict) -> dict:
    return {level: score(series) for level, series in levels.items()}


def score(series: dict) -> dict:
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
    return {
        "ids": list(series.keys()),
        "units": [float(v.sum()) for v in series.values()],
        "mase": {m: round(float(np.mean(v)), 4) for m, v in scores.items()},
        "skipped": skipped,
    }


emit({
    "days": n,
    "firstDay": str(days[0].date()),
    "origins": origins,
    "raw": backtest(levels_of(raw)),
    "warehouse": backtest(levels_of(warehouse)),
})
