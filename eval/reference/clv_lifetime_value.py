"""Reference for src/ml/clv/lifetime-value.test.ts: customer lifetime value of two CDNOW-style
customers, computed the way the `lifetimes` package does (a loop over discounting periods of the
BG/NBD conditional expectation, times the Gamma-Gamma expected spend), with scipy's hyp2f1.

Run:    /usr/bin/python3 eval/reference/clv_lifetime_value.py > eval/reference/clv_lifetime_value.json
Needs:  Debian 12's python3-scipy (1.10.1; installed with python3-sklearn). No dataset. Instant.
Prints: JSON: the parameters used (BG/NBD and Gamma-Gamma as published for CDNOW, in weeks),
        the horizon (52 weeks), period (4.345 weeks) and discount rate (0.01 per period), and the
        value for x = 2, t_x = 30.43, T = 38.86, mean spend 22.35 and for x = 0, T = 38.86, to
        full double precision.
Used by: src/ml/clv/lifetime-value.test.ts (CLV_X2 and CLV_X0, asserted to 8 decimals).
"""

import math

from scipy.special import hyp2f1

from common import emit

BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}
HORIZON, PERIOD, DISCOUNT = 52, 4.345, 0.01


def expected(t: float, x: int, tx: float, T: float) -> float:
    """BG/NBD E[Y(t) | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10)."""
    r, alpha, a, b = BG["r"], BG["alpha"], BG["a"], BG["b"]
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    alive = 1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) if x > 0 else 1
    return (a + b + x - 1) / (a - 1) * bracket / alive


def spend(x: int, m: float) -> float:
    """Gamma-Gamma expected spend per purchase (Fader, Hardie & Lee 2005b, eq. 5)."""
    p, q, gamma = GG["p"], GG["q"], GG["gamma"]
    return p * (gamma + x * m) / (p * x + q - 1)


def clv(x: int, tx: float, T: float, m: float) -> float:
    """Periods of PERIOD up to HORIZON (the last one partial), each discounted at its end."""
    total, before = 0.0, 0.0
    for k in range(1, math.ceil(HORIZON / PERIOD - 1e-12) + 1):
        up_to = expected(min(k * PERIOD, HORIZON), x, tx, T)
        total += (up_to - before) / (1 + DISCOUNT) ** k
        before = up_to
    return spend(x, m) * total


emit(
    {
        "bgnbd": BG,
        "gammaGamma": GG,
        "horizon": HORIZON,
        "period": PERIOD,
        "discountRate": DISCOUNT,
        "clvX2": clv(2, 30.43, 38.86, 22.35),
        "clvX0": clv(0, 0, 38.86, 0),
    }
)
