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

from common import dataset, emit, mine

lines = dataset("groceries", "groceries_baskets.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
names = sorted({name for line in lines for name in line.split(",")})
index = {name: i for i, name in enumerate(names)}
baskets = [sorted({index[name] for name in line.split(",")}) for line in lines]
mined = mine(baskets, names, min_support=0.001, digits=6)
summary = mined["summary"]
emit({**summary, "wholeMilkBaskets": mined["sets"][(index["whole milk"],)]})
