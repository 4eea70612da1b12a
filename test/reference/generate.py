"""High-precision reference values for the theory tests (mpmath, 20 significant digits).

Independent of the TypeScript code: every expectation is an mpmath `quad` over the Gaussian measure,
split at the activation's kinks (and, for the 2-D integrals, at the inner kinks, which move with the
outer variable). Run:  python3 test/reference/generate.py NAME > test/reference/theory/FILE.json  (one file per
activation, e.g. `elu:alpha=0.7` → elu_alpha_0_7.json; no NAME: all activations in one object).
"""
import json
import sys
from mpmath import mp, mpf, sqrt, exp, tanh, erf, erfc, log, pi, quad, inf, findroot, expm1, asin

mp.dps = 20

SELU_A = mpf("1.6732632423543772848170429916717")
SELU_L = mpf("1.0507009873554804934193349852946")


def sig(x):
    return 1 / (1 + exp(-x))


def Phi(x):
    return erfc(-x / sqrt(2)) / 2


# name, params, phi, dphi, d2phi (None when phi' jumps), kinks
def acts():
    A = {}
    A["relu"] = (lambda x: x if x > 0 else mpf(0), lambda x: mpf(1) if x > 0 else mpf(0), None, [0])
    a = mpf("0.2")
    A["leaky_relu:alpha=0.2"] = (lambda x: x if x > 0 else a * x, lambda x: mpf(1) if x > 0 else a, None, [0])
    s = mpf("0.5")
    A["shifted_relu:alpha=0.5"] = (lambda x: x if x > -s else -s, lambda x: mpf(1) if x > -s else mpf(0), None, [-s])
    A["elu:alpha=1"] = (lambda x: x if x > 0 else expm1(x), lambda x: mpf(1) if x > 0 else exp(x), lambda x: mpf(0) if x > 0 else exp(x), [0])
    e2 = mpf("0.7")
    A["elu:alpha=0.7"] = (lambda x: x if x > 0 else e2 * expm1(x), lambda x: mpf(1) if x > 0 else e2 * exp(x), None, [0])
    A["selu"] = (lambda x: SELU_L * (x if x > 0 else SELU_A * expm1(x)), lambda x: SELU_L * (1 if x > 0 else SELU_A * exp(x)), None, [0])
    A["gelu"] = (lambda x: x * Phi(x), lambda x: Phi(x) + x * exp(-x * x / 2) / sqrt(2 * pi), lambda x: (2 - x * x) * exp(-x * x / 2) / sqrt(2 * pi), [])
    A["swish"] = (lambda x: x * sig(x), lambda x: sig(x) + x * sig(x) * (1 - sig(x)), lambda x: sig(x) * (1 - sig(x)) * (2 + x * (1 - 2 * sig(x))), [])
    A["softplus"] = (lambda x: log(1 + exp(x)), sig, lambda x: sig(x) * (1 - sig(x)), [])
    A["s_softplus"] = (lambda x: log(1 + exp(x)) - log(2), sig, lambda x: sig(x) * (1 - sig(x)), [])
    A["sigmoid"] = (sig, lambda x: sig(x) * (1 - sig(x)), lambda x: sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)), [])
    A["tanh"] = (tanh, lambda x: 1 - tanh(x) ** 2, lambda x: -2 * tanh(x) * (1 - tanh(x) ** 2), [])
    A["hard_tanh"] = (lambda x: mpf(1) if x > 1 else (mpf(-1) if x < -1 else x), lambda x: mpf(1) if -1 < x < 1 else mpf(0), None, [-1, 1])
    A["erf"] = (erf, lambda x: 2 / sqrt(pi) * exp(-x * x), lambda x: -4 * x / sqrt(pi) * exp(-x * x), [])
    A["linear"] = (lambda x: x, lambda x: mpf(1), lambda x: mpf(0), [])
    return A


def pdf(z):
    return exp(-z * z / 2) / sqrt(2 * pi)


def pts(kinks, scale, shift=mpf(0)):
    p = sorted(set([mpf(k) / scale - shift for k in kinks] + [-shift]))
    return [-inf] + p + [inf]


def E1(f, q, kinks):
    s = sqrt(q)
    return quad(lambda z: pdf(z) * f(s * z), pts(kinks, s))


def E2(F, q1, q2, c, kinks):
    s1, s2 = sqrt(q1), sqrt(q2)
    if abs(c) == 1:
        # u_b = c (s2/s1) u_a: a 1-D integral, kinks at z = k/s1 and z = k/(c s2)
        brk = sorted(set([mpf(k) / s1 for k in kinks] + [mpf(k) / (c * s2) for k in kinks] + [0]))
        return quad(lambda z: pdf(z) * F(s1 * z, c * s2 * z), [-inf] + brk + [inf])
    sc = sqrt(1 - c * c)

    def inner(z1):
        # u_b = s2 (c z1 + sc z2): kinks at z2 = (k/s2 − c z1)/sc
        return pdf(z1) * quad(lambda z2: pdf(z2) * F(s1 * z1, s2 * (c * z1 + sc * z2)), pts(kinks, s2 * sc, c * z1 / sc))

    outer = sorted(set([mpf(k) / s1 for k in kinks] + ([mpf(k) / (s2 * c) for k in kinks] if c != 0 else []) + [0]))
    return quad(inner, [-inf] + outer + [inf])


# Extra kernel points for the ELU family (closed-form kernels): unequal variances, c = 0, c near and at
# ±1, small and large q. Rows carry q1 and q2.
ELU_EXTRA = [
    ("0.5", "2", "0"), ("0.01", "0.04", "0.3"), ("0.01", "25", "-0.5"), ("25", "9", "0.9"),
    ("25", "25", "0.999"), ("1", "4", "-0.999"), ("2", "0.3", "1"), ("3", "0.7", "-1"),
    ("25", "25", "-0.6"), ("0.3", "1.7", "0.8"), ("1e-6", "1e-6", "0.5"), ("100", "64", "0.3"),
]
# (alpha, scale) of the ELU family members
ELU_PARAMS = {"elu:alpha=1": (mpf(1), mpf(1)), "elu:alpha=0.7": (mpf("0.7"), mpf(1)), "selu": (SELU_A, SELU_L)}


def E2_elu(alpha, lam, q1, q2, c):
    """E[phi(u)phi(v)] and E[phi'(u)phi'(v)] for phi = lam*ELU_alpha by one mpmath quad over u = s1 z of the
    exact conditional expectations given u: v | u ~ N(mu, sig^2), mu = c s2 z, sig = s2 sqrt(1 - c^2), and
    E[v 1{v>0}] = mu Phi(mu/sig) + sig pdf(mu/sig), E[e^v 1{v<0}] = e^{mu + sig^2/2} Phi(-(mu + sig^2)/sig).
    (The nested 2-D quad of E2 takes minutes per point at these q; on the committed equal-q rows the two
    routes agree to 1e-16.)"""
    s1, s2 = sqrt(q1), sqrt(q2)
    phi = lambda x: lam * (x if x > 0 else alpha * expm1(x))
    dphi = lambda x: lam * (1 if x > 0 else alpha * exp(x))
    if abs(c) == 1:
        return E2(lambda a, b: phi(a) * phi(b), q1, q2, c, [0]), E2(lambda a, b: dphi(a) * dphi(b), q1, q2, c, [0])
    sig = s2 * sqrt(1 - c * c)

    def cond(z):
        mu = c * s2 * z
        t = mu / sig
        ev = exp(mu + sig * sig / 2) * Phi(-(mu + sig * sig) / sig)
        m_phi = lam * (mu * Phi(t) + sig * pdf(t) + alpha * (ev - Phi(-t)))
        m_dphi = lam * (Phi(t) + alpha * ev)
        return m_phi, m_dphi

    k = quad(lambda z: pdf(z) * phi(s1 * z) * cond(z)[0], [-inf, 0, inf])
    d = quad(lambda z: pdf(z) * dphi(s1 * z) * cond(z)[1], [-inf, 0, inf])
    return k, d


def main():
    A = acts()
    out = {"generator": "test/reference/generate.py", "mpmath": mp.dps, "moments": [], "kernels": [], "models": []}
    only = sys.argv[1:] or list(A)
    for name in only:
        phi, dphi, d2phi, kinks = A[name]
        for q in ["0.3", "1.7", "9"]:
            qq = mpf(q)
            row = {
                "activation": name,
                "q": float(qq),
                "m2": float(E1(lambda u: phi(u) ** 2, qq, kinks)),
                "d2": float(E1(lambda u: dphi(u) ** 2, qq, kinks)),
                "m1": float(E1(phi, qq, kinks)),
                "uphidphi": float(E1(lambda u: u * phi(u) * dphi(u), qq, kinks)),
            }
            if d2phi is not None:
                row["dd2"] = float(E1(lambda u: d2phi(u) ** 2, qq, kinks))
            out["moments"].append(row)
        for q, c in [("0.3", "0.4"), ("1.7", "0.8"), ("1.7", "-0.3"), ("9", "0.95")]:
            qq, cc = mpf(q), mpf(c)
            out["kernels"].append({
                "activation": name, "q": float(qq), "c": float(cc),
                "kernel": float(E2(lambda a, b: phi(a) * phi(b), qq, qq, cc, kinks)),
                "dkernel": float(E2(lambda a, b: dphi(a) * dphi(b), qq, qq, cc, kinks)),
            })
        if name in ELU_PARAMS:
            for q1, q2, c in ELU_EXTRA:
                a1, a2, cc = mpf(q1), mpf(q2), mpf(c)
                k, d = E2_elu(*ELU_PARAMS[name], a1, a2, cc)
                out["kernels"].append({
                    "activation": name, "q1": float(a1), "q2": float(a2), "c": float(cc),
                    "kernel": float(k), "dkernel": float(d),
                })
        print(name, file=sys.stderr, flush=True)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
