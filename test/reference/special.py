"""mpmath reference values (25 digits) for erf, erfc, erfcx, the normal CDF and the bivariate normal CDF.
Run: python3 test/reference/special.py > test/reference/special.json"""
import json
from mpmath import mp, mpf, erf, erfc, exp, log, ncdf, npdf, quad, sqrt, inf

mp.dps = 25
xs = [-30, -8, -3.5, -2.0001, -2, -1.9999, -1, -0.3, -1e-8, 0, 1e-8, 0.05, 0.5, 1, 1.5, 1.9999, 2, 2.0001, 2.5, 3, 4, 5.5, 8, 12, 26, 40]
rows = []
for x in xs:
    X = mpf(x)
    rows.append({"x": x, "erf": float(erf(X)), "erfc": float(erfc(X)), "erfcx": float(exp(X * X) * erfc(X)) if x > -26 else None, "ncdf": float(ncdf(X))})


def bvn_x(h, k, r):
    """Phi2(h, k; r) = int_{-inf}^h phi(x) Phi((k - r x)/sqrt(1 - r^2)) dx. mpmath's quad stops on an
    absolute error, so the integrand is divided by its value at x = h (its maximum in the tails) first."""
    if r == 1:
        return ncdf(min(h, k))
    if r == -1:
        return max(mpf(0), ncdf(h) - ncdf(-k))
    w = sqrt(1 - r * r)
    L0 = log(npdf(h) * ncdf((k - r * h) / w))
    # the integrand peaks at x = h and falls off within ~1/(|h| + |k|) in the far tails: cut geometrically
    cuts = [h - mpf(2) ** j for j in range(6, -9, -1)]
    return exp(L0) * quad(lambda x: exp(-L0) * npdf(x) * ncdf((k - r * x) / w), [-inf] + cuts + [h])


def bvn(h, k, r):
    """Both orders of integration at 40 digits; they must agree to 1e-28 relative."""
    with mp.workdps(40):
        h, k, r = mpf(h), mpf(k), mpf(r)
        a, b = bvn_x(h, k, r), bvn_x(k, h, r)
        assert abs(a - b) <= mpf(10) ** -28 * abs(a) or a == b == 0, (h, k, r, a, b)
        q = (h * h - 2 * r * h * k + k * k) / (1 - r * r) if abs(r) < 1 else None
        return a, q


# (h, k, rho): identities (rho = 0, h = k = 0), both tails, rho near and at +-1, the far lower tail with
# rho < 0 (where Genz's form from rho = 0 cancels), and the arguments of the ELU kernels
# (c s, -s, -c), (-s, -c s, c), (-(s1 + c s2), -(s2 + c s1), c) at s = 0.1 ... 5.
BVN = [
    (0, 0, 0), (0, 0, 0.5), (0, 0, -0.5), (0, 0, 0.999), (0, 0, -0.999), (1.3, -0.4, 0), (-5, -6, 0),
    (2, 3, 0.3), (2, 3, -0.3), (-1, 1, -0.9999), (-1, 1, 0.9999), (1, -1, 0.5), (-0.7, 0.7, -0.2),
    (-2, -1.5, 0.7), (-2, -1.5, -0.7), (-5, -5, 0.5), (-5, -5, -0.5), (-10, -8, -0.7), (-10, -10, 0.99),
    (-10, -10, -0.99), (-20, -15, 0.3), (-30, -30, 0.95), (-3, 4, -0.9), (5, -35, 0.5), (-3, -3, 0.9999999),
    (-3, -2.9, 0.9999999), (-3, -3, -0.9999999), (-3, 3.1, -0.9999999), (-2, 3, 1), (2, -3, -1), (-2, 3, -1),
    (0.3, 0.4, 1), (8, 9, 0.6), (-1e-3, -2e-3, 0.1),
    (4.5, -5, -0.9), (-5, -4.5, 0.9), (-9.5, -9.5, 0.9), (0.03, -0.1, -0.3), (-0.1, -0.03, 0.3),
    (-0.13, -0.13, 0.3), (-0.5, -5, 0.1), (-5, -0.5, 0.1), (-5.05, -5.05, 0.01), (2.5, -5, -0.5),
    (-2.5, -2.5, -0.5), (4.995, -5, -0.999), (-0.005, -0.005, -0.999), (-5, 4.995, 0.999), (-9.995, -9.995, 0.999),
]
bvn_rows = []
for h, k, r in BVN:
    p, q = bvn(h, k, r)
    row = {"h": h, "k": k, "rho": r, "p": float(p)}
    if q is not None and h + k <= 0:
        # e^{Q/2} Phi2: the tilted-orthant scaling the ELU kernels use (O(1) however small Phi2 is, when
        # the corner (h, k) dominates; rows where an edge dominates and e^{Q/2} Phi2 is huge are left out)
        with mp.workdps(40):
            sc = exp(mpf(float(q / 2))) * p
            if sc < 10:
                row["s"] = float(q / 2)
                row["scaled"] = float(sc)
    bvn_rows.append(row)
print(json.dumps({"generator": "test/reference/special.py", "rows": rows, "bvn": bvn_rows}, indent=1))
