"""Reference for src/ml/metrics/group-sequential.test.ts: two-sided group-sequential boundaries.

Computed independently of Shopsight's recursive integration: the z statistics at looks with
information fractions t_1 < ... < t_K are jointly normal with corr(Z_i, Z_j) = sqrt(t_i / t_j), and
scipy's multivariate normal CDF (Genz's algorithm, with lower limits) gives the probability of
staying inside |Z_i| < c_i at every look. Boundaries are solved with brentq:

- O'Brien & Fleming (1979), K equally spaced looks, c_k = C sqrt(K / k), C such that the chance of
  ever crossing is alpha (Jennison & Turnbull 2000, Table 2.3, print C = 1.977, 2.004, 2.024, 2.040
  for K = 2..5 at alpha 0.05);
- Lan & DeMets (1983) spending with the O'Brien-Fleming-type function applied to each side at
  alpha / 2 (as R's gsDesign and ldbounds do): a(t) = 2 - 2 Phi(z_{alpha/4} / sqrt(t)) per side, so
  look k spends 2 (a(t_k) - a(t_{k-1})) in all.

Run:    /usr/bin/python3 eval/reference/group_sequential.py > eval/reference/group_sequential.json
Needs:  Debian 12's python3-scipy (1.10.1; lower_limit in multivariate_normal.cdf) and python3-numpy.
        No dataset. About a minute.
Prints: JSON: the O'Brien-Fleming constants and boundaries for K = 1..5 at alpha 0.05, and the
        Lan-DeMets O'Brien-Fleming-type boundaries for 5 equal looks at alpha 0.05 and for the
        unequal fractions 0.3, 0.7, 1 at alpha 0.05, to 6 decimals.
Used by: src/ml/metrics/group-sequential.test.ts (asserted to 3e-3, the accuracy of Genz's algorithm here).
"""

import numpy as np
from scipy.optimize import brentq
from scipy.stats import multivariate_normal, norm

from common import emit


def inside(fractions, bounds):
    """P(|Z_i| < c_i for every look) under H0."""
    k = len(fractions)
    if k == 1:
        return float(norm.cdf(bounds[0]) - norm.cdf(-bounds[0]))
    t = np.array(fractions)
    cov = np.sqrt(np.minimum.outer(t, t) / np.maximum.outer(t, t))
    c = np.array(bounds)
    return float(
        multivariate_normal.cdf(
            c, mean=np.zeros(k), cov=cov, maxpts=2_000_000 * k, abseps=1e-9, releps=1e-7, lower_limit=-c
        )
    )


def obrien_fleming(looks, alpha):
    fractions = [(k + 1) / looks for k in range(looks)]
    at = lambda c: [c * np.sqrt(looks / (k + 1)) for k in range(looks)]
    constant = brentq(lambda c: (1 - inside(fractions, at(c))) - alpha, 1.5, 4.0, xtol=1e-7)
    return constant, at(constant)


def spending(fractions, alpha):
    side = lambda t: 2 - 2 * norm.cdf(norm.ppf(1 - alpha / 4) / np.sqrt(t))
    bounds = []
    for k, t in enumerate(fractions):
        target = 2 * side(t)  # total spent by t
        f = lambda c: (1 - inside(fractions[: k + 1], bounds + [c])) - target
        bounds.append(brentq(f, 1.0, 12.0, xtol=1e-7))
    return bounds


def main():
    of = {}
    for looks in range(1, 6):
        constant, bounds = obrien_fleming(looks, 0.05)
        of[str(looks)] = {"constant": round(constant, 6), "boundaries": [round(b, 6) for b in bounds]}
    emit(
        {
            "alpha": 0.05,
            "obrienFleming": of,
            "spendingEqual5": [round(b, 6) for b in spending([0.2, 0.4, 0.6, 0.8, 1.0], 0.05)],
            "spendingUnequal": {"fractions": [0.3, 0.7, 1.0], "boundaries": [round(b, 6) for b in spending([0.3, 0.7, 1.0], 0.05)]},
        }
    )


main()
