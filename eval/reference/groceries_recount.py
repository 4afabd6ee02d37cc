"""Groceries (arules) recounted independently of Shopsight: baskets, frequent itemsets at support
0.001 and rules at confidence 0.5, by Eclat over big-int tidsets (common.py).

Run:    /usr/bin/python3 eval/reference/groceries_recount.py > eval/reference/groceries_recount.json
Needs:  Python 3.10+ standard library only; reads groceries/groceries_baskets.csv under the datasets
        folder ($SHOPSIGHT_DATASETS, else ../shared/datasets). A few seconds.
Prints: JSON: baskets, items, basket-item pairs, baskets holding whole milk, the number of frequent
        itemsets (count >= 10 of 9,835), the number of rules X => {y} (non-empty X), and the top 10
        rules by lift with n(XY), n(X), n(Y) and the lift to 6 decimals.
Used by: eval/suites/basket.ts (the Groceries itemset count and the top-5 lifts).
"""

import math

from common import dataset, eclat, emit, rules

MIN_SUPPORT = 0.001
lines = dataset("groceries", "groceries_baskets.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
names = sorted({name for line in lines for name in line.split(",")})
index = {name: i for i, name in enumerate(names)}
baskets = [sorted({index[name] for name in line.split(",")}) for line in lines]
n = len(baskets)
min_count = math.ceil(MIN_SUPPORT * n)
sets = eclat(baskets, len(names), min_count)
found = rules(sets, n, (1, 2))
# arules' inspect(sort(rules, by = "lift")): highest lift first (ties by count, then by name).
found.sort(key=lambda r: (-r[5], -r[2], [names[i] for i in r[0]], names[r[1]]))


def text(x, y) -> str:
    return "{" + ", ".join(sorted(names[i] for i in x)) + "} => {" + names[y] + "}"


emit(
    {
        "baskets": n,
        "items": len(names),
        "basketItemPairs": sum(len(b) for b in baskets),
        "wholeMilkBaskets": sets[(index["whole milk"],)],
        "minCount": min_count,
        "frequentItemsets": len(sets),
        "rulesAtConfidence0.5": len(found),
        "rulesAtConfidenceExactly0.5": sum(1 for r in found if r[2] * 2 == r[3]),
        "topByLift": [
            {"rule": text(x, y), "nXY": nxy, "nX": nx, "nY": ny, "lift": round(lift, 6)}
            for x, y, nxy, nx, ny, lift in found[:10]
        ],
    }
)
