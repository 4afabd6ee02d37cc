"""Shared by the reference scripts in this folder (not a script itself).

Where the public datasets are: $SHOPSIGHT_DATASETS, else ../shared/datasets beside the checkout
(the same rule as eval/datasets.ts). Frequent itemsets by Eclat over Python big-int tidsets and
single-consequent association rules from them: a method independent of Shopsight's FP-growth.
"""

import json
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def dataset(*parts: str) -> Path:
    root = Path(os.environ.get("SHOPSIGHT_DATASETS") or REPO.parent / "shared" / "datasets")
    path = root.joinpath(*parts)
    if not path.exists():
        sys.exit(f"missing dataset file {path}: set SHOPSIGHT_DATASETS or place shared/datasets beside the checkout")
    return path


def emit(result: dict) -> None:
    """Prints the figures as JSON (redirect to the .json beside the script to record them)."""
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def eclat(baskets: list[list[int]], n_items: int, min_count: int) -> dict[tuple[int, ...], int]:
    """Every itemset (sorted item tuple) in at least min_count baskets, with its basket count."""
    tids = [0] * n_items
    for b, items in enumerate(baskets):
        for i in items:
            tids[i] |= 1 << b
    out: dict[tuple[int, ...], int] = {}

    def grow(prefix: tuple[int, ...], ext: list[tuple[int, int]]) -> None:
        for k, (item, tid) in enumerate(ext):
            itemset = prefix + (item,)
            out[itemset] = tid.bit_count()
            nxt = []
            for other, tid2 in ext[k + 1 :]:
                joint = tid & tid2
                if joint.bit_count() >= min_count:
                    nxt.append((other, joint))
            if nxt:
                grow(itemset, nxt)

    grow((), [(i, t) for i, t in enumerate(tids) if t.bit_count() >= min_count])
    return out


def rules(sets: dict[tuple[int, ...], int], n_baskets: int, min_confidence: tuple[int, int]):
    """X => {y} for every frequent itemset of two or more items and every y in it, with
    n(XY) / n(X) >= min_confidence (a fraction num/den, compared in integers: no float rounding at
    the boundary). Returns (antecedent, consequent, n_xy, n_x, n_y, lift) tuples."""
    num, den = min_confidence
    out = []
    for itemset, n_xy in sets.items():
        if len(itemset) < 2:
            continue
        for y in itemset:
            x = tuple(i for i in itemset if i != y)
            n_x = sets[x]
            if n_xy * den >= num * n_x:
                n_y = sets[(y,)]
                out.append((x, y, n_xy, n_x, n_y, n_xy * n_baskets / (n_x * n_y)))
    return out


def mine(baskets: list[list[int]], names: list[str], min_support: float, digits: int) -> dict:
    """Baskets, items and pairs; Eclat at min_support (count >= ceil(min_support N)); rules at
    confidence 0.5 and the top 10 by lift (highest first, as arules' inspect(sort(rules, by =
    "lift")); ties by count, then by name), lifts rounded to `digits`. Also returns the itemsets."""
    n = len(baskets)
    min_count = math.ceil(min_support * n)
    sets = eclat(baskets, len(names), min_count)
    found = rules(sets, n, (1, 2))
    found.sort(key=lambda r: (-r[5], -r[2], [names[i] for i in r[0]], names[r[1]]))

    def text(x, y) -> str:
        return "{" + ", ".join(sorted(names[i] for i in x)) + "} => {" + names[y] + "}"

    summary = {
        "baskets": n,
        "items": len(names),
        "basketItemPairs": sum(len(b) for b in baskets),
        "minCount": min_count,
        "frequentItemsets": len(sets),
        "rulesAtConfidence0.5": len(found),
        "rulesAtConfidenceExactly0.5": sum(1 for r in found if r[2] * 2 == r[3]),
        "topByLift": [
            {"rule": text(x, y), "nXY": nxy, "nX": nx, "nY": ny, "lift": round(lift, digits)}
            for x, y, nxy, nx, ny, lift in found[:10]
        ],
    }
    return {"summary": summary, "sets": sets}
