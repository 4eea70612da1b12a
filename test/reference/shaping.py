"""High-precision reference for DKS/TAT activation shaping (mpmath, 25 digits), independent of sigprop.

For φ̂(x) = γ(φ(αx + β) + δ) and z ~ N(0, 1) the local maps at q = 1 are one-dimensional Gaussian
expectations (Price's theorem, see src/theory/shaping.ts):
  Q(1) = E[φ̂²],  Q'(1) = E[z φ̂ φ̂'],  C(0) = E[φ̂]²/Q(1),  C'(1) = E[φ̂'²]/Q(1),  C''(1) = E[φ̂''²]/Q(1).
Each is an mpmath `quad` split at the mapped kinks z = (k − β)/α. The parameters are solved here with
mpmath's own `findroot` (multidimensional Newton) from rough starting values, then every condition is
recomputed at the solution and recorded; the leaky ReLU network C map uses the arc-cosine closed form.
Run:  python3 test/reference/shaping.py > test/reference/shaping.json
"""
import json
from mpmath import mp, mpf, sqrt, exp, tanh, log, pi, quad, inf, findroot, ncdf, npdf, acos

mp.dps = 25


def sig(x):
    return 1 / (1 + exp(-x))


BASES = {
    "tanh": (tanh, lambda x: 1 - tanh(x) ** 2, lambda x: -2 * tanh(x) * (1 - tanh(x) ** 2), []),
    "softplus": (lambda x: log(1 + exp(x)), sig, lambda x: sig(x) * (1 - sig(x)), []),
    "relu": (lambda x: x if x > 0 else mpf(0), lambda x: mpf(1) if x > 0 else mpf(0), None, [0]),
}


def E(f, a, b, kinks):
    """E[f(z)] for z ~ N(0,1), split where αz + β hits a kink and at 0."""
    p = sorted(set([(mpf(k) - b) / a for k in kinks] + [mpf(0)]))
    return quad(lambda z: npdf(z) * f(z), [-inf] + p + [inf])


def local(name, a, b, g, d):
    phi, dphi, d2phi, kinks = BASES[name]
    ph = lambda z: g * (phi(a * z + b) + d)
    dph = lambda z: g * a * dphi(a * z + b)
    q1 = E(lambda z: ph(z) ** 2, a, b, kinks)
    out = {
        "q1": q1,
        "q_slope1": E(lambda z: z * ph(z) * dph(z), a, b, kinks),
        "c0": E(ph, a, b, kinks) ** 2 / q1,
        "c_slope1": E(lambda z: dph(z) ** 2, a, b, kinks) / q1,
    }
    if d2phi is not None:
        out["c_curv1"] = E(lambda z: (g * a * a * d2phi(a * z + b)) ** 2, a, b, kinks) / q1
    return out


def centred(name, a, b):
    """δ = −E[φ(αz+β)] (C(0) = 0) and γ = 1/√Var (Q(1) = 1)."""
    phi, _, _, kinks = BASES[name]
    m = E(lambda z: phi(a * z + b), a, b, kinks)
    v = E(lambda z: (phi(a * z + b) - m) ** 2, a, b, kinks)
    return 1 / sqrt(v), -m


def scaled(name, a, b, d):
    phi, _, _, kinks = BASES[name]
    return 1 / sqrt(E(lambda z: (phi(a * z + b) + d) ** 2, a, b, kinks))


def dks(name, L, zeta, a0, b0):
    ct = mpf(zeta) ** (mpf(1) / L)

    def F(a, b):
        g, d = centred(name, a, b)
        l = local(name, a, b, g, d)
        return [l["q_slope1"] - 1, l["c_slope1"] - ct]

    a, b = findroot(F, (mpf(a0), mpf(b0)))
    g, d = centred(name, a, b)
    return a, b, g, d, {"zeta": zeta, "local_c_slope1": ct}


def dks_relu(L, zeta, t0):
    """ReLU: β = ±1, C'(1) = Φ(t)/Var(relu(z+t)), t = β/α (truncated-normal moments), Q'(1) not imposed."""
    ct = mpf(zeta) ** (mpf(1) / L)
    b = mpf(1) if ct < pi / (pi - 1) else mpf(-1)

    def slope(t):
        P = ncdf(t)
        m = npdf(t) + t * P
        m2 = (1 + t * t) * P + t * npdf(t)
        return P / (m2 - m * m)

    t = findroot(lambda t: slope(t) - ct, mpf(t0))
    a = b / t
    g, d = centred("relu", a, b)
    return a, b, g, d, {"zeta": zeta, "local_c_slope1": ct}


def tat(name, L, tau, a0, b0, d0):
    curv = mpf(tau) / L

    def F(a, b, d):
        g = scaled(name, a, b, d)
        l = local(name, a, b, g, d)
        return [l["q_slope1"] - 1, l["c_slope1"] - 1, l["c_curv1"] - curv]

    a, b, d = findroot(F, (mpf(a0), mpf(b0), mpf(d0)))
    g = scaled(name, a, b, d)
    return a, b, g, d, {"tau": tau, "local_c_curv1": curv}


def leaky_cmap(c, s):
    """Leaky ReLU C map at q = 1 with output scale √(2/(1+s²)): [s c + (1−s)² g(c)/2]·2/(1+s²),
    g(c) = (√(1−c²) + (π − acos c) c)/π (Cho & Saul's arc-cosine kernel)."""
    g = (sqrt(1 - c * c) + (pi - acos(c)) * c) / pi
    return (s * c + (1 - s) ** 2 * g / 2) * 2 / (1 + s * s)


def tat_leaky(L, eta, s0):
    def c0(s):
        c = mpf(0)
        for _ in range(L):
            c = leaky_cmap(c, s)
        return c

    s = findroot(lambda s: c0(s) - eta, mpf(s0))
    return s, sqrt(2 / (1 + s * s)), c0(s)


def f(x):
    return float(x)


cases = []
for name, L, zeta, a0, b0 in [("tanh", 50, 1.5, 0.13, 0.57), ("tanh", 10, 3.0, 0.52, 0.82), ("softplus", 20, 1.5, 0.54, 0.41)]:
    a, b, g, d, tg = dks(name, L, zeta, a0, b0)
    cases.append({"method": "dks", "base": name, "depth": L, "targets": {k: f(v) for k, v in tg.items()},
                  "in_scale": f(a), "in_shift": f(b), "out_scale": f(g), "out_shift": f(d),
                  "local": {k: f(v) for k, v in local(name, a, b, g, d).items()}})
for L, zeta, t0 in [(1, 1.5, -0.06), (5, 1.5, 1.2)]:
    a, b, g, d, tg = dks_relu(L, zeta, t0)
    cases.append({"method": "dks", "base": "relu", "depth": L, "targets": {k: f(v) for k, v in tg.items()},
                  "in_scale": f(a), "in_shift": f(b), "out_scale": f(g), "out_shift": f(d),
                  "local": {k: f(v) for k, v in local("relu", a, b, g, d).items()}})
for name, L, tau, a0, b0, d0 in [("tanh", 50, 0.3, 0.082, 0.53, -0.48), ("softplus", 20, 0.3, 0.34, 0.55, -1.0)]:
    a, b, g, d, tg = tat(name, L, tau, a0, b0, d0)
    cases.append({"method": "tat", "base": name, "depth": L, "targets": {k: f(v) for k, v in tg.items()},
                  "in_scale": f(a), "in_shift": f(b), "out_scale": f(g), "out_shift": f(d),
                  "local": {k: f(v) for k, v in local(name, a, b, g, d).items()}})
for L, eta, s0 in [(50, 0.9, 0.43), (10, 0.5, 0.45)]:
    s, g, c0 = tat_leaky(L, eta, s0)
    cases.append({"method": "tat", "base": "leaky_relu", "depth": L, "targets": {"eta": eta},
                  "negative_slope": f(s), "in_scale": 1.0, "in_shift": 0.0, "out_scale": f(g), "out_shift": 0.0,
                  "network_c0": f(c0)})

print(json.dumps({"generator": "test/reference/shaping.py", "mpmath_dps": mp.dps,
                  "relu_max_slope_positive_shift": f(pi / (pi - 1)), "cases": cases}, indent=1))
