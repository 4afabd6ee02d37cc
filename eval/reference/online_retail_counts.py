"""Online Retail (UCI) counted from the raw file, independently of Shopsight's importer: the
figures the 'import' and 'customers' eval suites assert.

Run:    /usr/bin/python3 eval/reference/online_retail_counts.py > eval/reference/online_retail_counts.json
Needs:  Python 3.10+ standard library only; reads online-retail/online_retail.csv.gz under the
        datasets folder ($SHOPSIGHT_DATASETS, else ../shared/datasets). Under a minute.
Prints: JSON: rows, invoices, customers, stock codes, countries and rows without CustomerID (the
        dataset README's figures, recounted); cancelled orders = distinct invoices starting with
        "C"; exact duplicate lines = lines equal in all eight fields to an earlier line; and, for
        the churn evaluation at cutoff 2011-09-09, the customers with a sales invoice (not "C")
        before the cutoff and the share of them with no sales invoice in the following 90 days.
Used by: eval/suites/import-counts.ts (cancelled orders, exact duplicates) and
        eval/suites/customers.ts (customers and churn rate, issue 3's figures).
"""

import csv
import gzip
from collections import Counter
from datetime import datetime, timedelta

from common import dataset, emit

CUTOFF = datetime(2011, 9, 9)
HORIZON = timedelta(days=90)

with gzip.open(dataset("online-retail", "online_retail.csv.gz"), "rt", encoding="utf-8", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
col = {name: i for i, name in enumerate(header)}
INV, CODE, DATE, CUST, COUNTRY = (col[c] for c in ("InvoiceNo", "StockCode", "InvoiceDate", "CustomerID", "Country"))

seen: Counter = Counter()
duplicates = 0
for r in rows:
    key = tuple(r)
    if seen[key]:
        duplicates += 1
    seen[key] += 1

before: set[str] = set()
after: set[str] = set()
for r in rows:
    if r[INV].startswith("C") or not r[CUST]:
        continue
    at = datetime.strptime(r[DATE], "%Y-%m-%d %H:%M:%S")
    if at < CUTOFF:
        before.add(r[CUST])
    elif at < CUTOFF + HORIZON:
        after.add(r[CUST])
churned = len(before - after)

emit(
    {
        "rows": len(rows),
        "invoices": len({r[INV] for r in rows}),
        "customers": len({r[CUST] for r in rows if r[CUST]}),
        "stockCodes": len({r[CODE] for r in rows}),
        "countries": len({r[COUNTRY] for r in rows}),
        "rowsWithoutCustomerId": sum(1 for r in rows if not r[CUST]),
        "cancelledOrders": len({r[INV] for r in rows if r[INV].startswith("C")}),
        "exactDuplicateLines": duplicates,
        "churn": {
            "cutoff": CUTOFF.date().isoformat(),
            "horizonDays": HORIZON.days,
            "customersBeforeCutoff": len(before),
            "churned": churned,
            "churnRate": round(churned / len(before), 4),
        },
    }
)
