"""High-precision reference NNGP and NTK kernels of noisy deep networks (mpmath, 18 digits) for
test/theory/kernels.test.ts. Independent of the TypeScript code: the layer recursion is written out here
from the model (src/theory/kernels/nngp.ts's module comment states the same equations), and every 2-D
Gaussian expectation with unequal variances is computed in mpmath by a route the TypeScript does not use:
ReLU and erf as one quad over u of the exact conditional expectation E[phi(v) | u]; ELU through
generate.py's exact conditional expectations; tanh by mpmath's adaptive-degree 2-D Gauss-Legendre on
[-9, 9]^2 in standard coordinates (Gaussian mass outside < 1e-18; agrees with a nested tanh-sinh quad to
20 digits on a test point). Run (about 40 CPU-minutes, mostly tanh):
    python3 test/reference/kernels.py > test/reference/kernels.json
"""
import json
import sys
from pathlib import Path

from mpmath import mp, mpf, sqrt, exp, erf, pi, quad, linspace, inf

sys.path.insert(0, str(Path(__file__).parent))
from generate import acts, E1, E2_elu, ELU_PARAMS, Phi, pdf  # noqa: E402

mp.dps = 18

# inputs of different norms (rows), d = 4
X = [["0.9", "-0.3", "1.2", "0.4"], ["0.1", "0.8", "-0.5", "1.5"], ["-1.1", "0.2", "0.3", "-0.6"]]
Y = [["0.5", "0.5", "0.5", "0.5"], ["2.0", "-1.0", "0.0", "0.7"]]

# (activation, noise spec, noise type, mu2, sigma_w2, sigma_b2, depth)
CASES = [
    ("relu", "none", "none", "1", "2", "0", 2),
    ("relu", "dropout:keep=0.8", "multiplicative", "1.25", "1.6", "0.1", 3),
    ("relu", "gauss_add:std=0.5", "additive", "0.25", "1.5", "0.05", 2),
    ("erf", "gauss_mult:std=0.5", "multiplicative", "1.25", "2.5", "0.2", 2),
    ("elu:alpha=1", "dropout:keep=0.9", "multiplicative", "10/9", "1.3", "0.1", 2),
    ("tanh", "dropout:keep=0.7", "multiplicative", "10/7", "1.8", "0.05", 2),
    ("tanh", "gauss_add:std=0.3", "additive", "0.09", "1.2", "0.1", 1),
]


def conditional(name, qa, qb, c, inner):
    """E[F(u) G(v)] as one quad over u = sa z of F(u) times the exact E[G(v) | u], v | u ~ N(mu, sig^2)
    with mu = c sb z, sig = sb sqrt(1 - c^2); `inner(mu, sig)` returns (E[phi(v)|u], E[phi'(v)|u])."""
    phi, dphi, _, kinks = acts()[name]
    sa, sb = sqrt(qa), sqrt(qb)
    sig = sb * sqrt(1 - c * c)
    brk = [-inf] + sorted(set([mpf(k) / sa for k in kinks] + [mpf(0)])) + [inf]
    e = quad(lambda z: pdf(z) * phi(sa * z) * inner(c * sb * z, sig)[0], brk)
    d = quad(lambda z: pdf(z) * dphi(sa * z) * inner(c * sb * z, sig)[1], brk)
    return e, d


def relu_inner(mu, sig):
    t = mu / sig
    return mu * Phi(t) + sig * pdf(t), Phi(t)


def erf_inner(mu, sig):
    s = 1 + 2 * sig * sig
    return erf(mu / sqrt(s)), 2 / sqrt(pi) * exp(-mu * mu / s) / sqrt(s)


def box(F, qa, qb, c):
    """2-D Gauss-Legendre (mpmath, adaptive degree) on [-9, 9]^2 in standard coordinates (smooth F;
    the Gaussian mass outside is < 1e-18)."""
    sa, sb = sqrt(qa), sqrt(qb)
    w = sqrt(1 - c * c)
    pts = linspace(-9, 9, 7)
    return quad(lambda z1, z2: pdf(z1) * pdf(z2) * F(sa * z1, sb * (c * z1 + w * z2)), pts, pts, method="gauss-legendre")


def pair(name, qa, qb, kab):
    """E[phi phi], E[phi' phi'] at variances qa, qb and covariance kab."""
    phi, dphi, _, kinks = acts()[name]
    c = kab / sqrt(qa * qb)
    if name in ELU_PARAMS:
        return E2_elu(*ELU_PARAMS[name], qa, qb, c)
    if name == "relu":
        return conditional(name, qa, qb, c, relu_inner)
    if name == "erf":
        return conditional(name, qa, qb, c, erf_inner)
    return box(lambda a, b: phi(a) * phi(b), qa, qb, c), box(lambda a, b: dphi(a) * dphi(b), qa, qb, c)


def diag(name, q):
    phi, dphi, _, kinks = acts()[name]
    return E1(lambda u: phi(u) ** 2, q, kinks), E1(lambda u: dphi(u) ** 2, q, kinks)


def run(case):
    name, spec, ntype, mu2s, sw2s, sb2s, depth = case
    mu2 = mpf(mu2s.split("/")[0]) / mpf(mu2s.split("/")[1]) if "/" in mu2s else mpf(mu2s)
    sw, sb = mpf(sw2s), mpf(sb2s)
    rows = [[mpf(v) for v in r] for r in X + Y]
    d = len(rows[0])
    n = len(rows)
    # layer 1: cross terms without noise, diagonal with it
    K = [[sw * sum(a * b for a, b in zip(rows[i], rows[j])) / d + sb for j in range(n)] for i in range(n)]
    for i in range(n):
        nrm = sum(a * a for a in rows[i]) / d
        K[i][i] = sw * (nrm + mu2) + sb if ntype == "additive" else sw * (mu2 if ntype == "multiplicative" else 1) * nrm + sb
    T = [r[:] for r in K]
    m = mu2 if ntype == "multiplicative" else mpf(1)
    for _ in range(depth):
        K2 = [[mpf(0)] * n for _ in range(n)]
        T2 = [[mpf(0)] * n for _ in range(n)]
        for i in range(n):
            for j in range(i, n):
                if i == j:
                    e2, d2 = diag(name, K[i][i])
                    K2[i][i] = sw * (e2 + mu2) + sb if ntype == "additive" else sw * (mu2 if ntype == "multiplicative" else 1) * e2 + sb
                    T2[i][i] = K2[i][i] + sw * m * d2 * T[i][i]
                else:
                    e, dd = pair(name, K[i][i], K[j][j], K[i][j])
                    K2[i][j] = K2[j][i] = sw * e + sb
                    T2[i][j] = T2[j][i] = K2[i][j] + sw * dd * T[i][j]
        K, T = K2, T2
        print(name, spec, "layer done", file=sys.stderr, flush=True)
    nx = len(X)
    return {
        "activation": name, "noise": spec, "sigma_w2": float(sw), "sigma_b2": float(sb), "depth": depth,
        "kxx": [[float(K[i][j]) for j in range(nx)] for i in range(nx)],
        "kxy": [[float(K[i][j]) for j in range(nx, n)] for i in range(nx)],
        "ntk_xx": [[float(T[i][j]) for j in range(nx)] for i in range(nx)],
        "ntk_xy": [[float(T[i][j]) for j in range(nx, n)] for i in range(nx)],
    }


def main():
    out = {"generator": "test/reference/kernels.py", "mpmath": mp.dps, "x": X, "y": Y, "cases": [run(c) for c in CASES]}
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
