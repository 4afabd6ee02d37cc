"""Online Retail (UCI) market baskets recounted from the raw file, independently of Shopsight's
importer, SQL and FP-growth: the figures the 'basket' eval suite asserts for Online Retail.

Run:    /usr/bin/python3 eval/reference/online_retail_baskets.py > eval/reference/online_retail_baskets.json
Needs:  Python 3.10+ standard library only; reads online-retail/online_retail.csv.gz under the
        datasets folder ($SHOPSIGHT_DATASETS, else ../shared/datasets). Under a minute.
Prints: JSON: baskets (one per invoice not starting with "C", holding the distinct merchandise
        stock codes of its lines with quantity > 0 and unit price > 0), items, basket-item pairs,
        the most frequent item and its basket count, frequent itemsets at support 0.01 (Eclat,
        common.py), rules X => {y} at confidence 0.5 and the top 10 by lift.
Used by: eval/suites/basket.ts (every Online Retail figure it asserts except the SQL cross-checks).
"""

import csv
import gzip

from common import dataset, emit, mine

# Not goods: the stock codes src/ingest/presets/online-retail.ts flags non-merchandise (postage,
# carriage, manual, discount, samples, bad debt, bank charges, Amazon fee, charity), and gift_* vouchers.
NON_MERCHANDISE = {"POST", "DOT", "C2", "M", "m", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK"}

orders: dict[str, set[str]] = {}
with gzip.open(dataset("online-retail", "online_retail.csv.gz"), "rt", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        code = r["StockCode"]
        if r["InvoiceNo"].startswith("C") or code in NON_MERCHANDISE or code.startswith("gift_"):
            continue
        if float(r["Quantity"]) > 0 and float(r["UnitPrice"]) > 0:
            orders.setdefault(r["InvoiceNo"], set()).add(code)

codes = sorted({c for items in orders.values() for c in items})
index = {c: i for i, c in enumerate(codes)}
baskets = [sorted(index[c] for c in orders[o]) for o in sorted(orders)]
mined = mine(baskets, codes, min_support=0.01, digits=4)
sets = mined["sets"]
top_item = min((s[0] for s in sets if len(s) == 1), key=lambda i: (-sets[(i,)], codes[i]))
emit({**mined["summary"], "mostFrequentItem": codes[top_item], "mostFrequentItemBaskets": sets[(top_item,)]})
