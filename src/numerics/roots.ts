/**
 * Brent's method (Brent 1973, "Algorithms for minimization without derivatives", ch. 4, zeroin):
 * bracketed root finding combining bisection, secant and inverse quadratic interpolation.
 * Guaranteed to converge for a continuous f with f(a)·f(b) ≤ 0.
 */
export class RootError extends Error {}

export interface BrentOptions {
  /** absolute tolerance on x (default 4·eps·|x| + xtol) */
  xtol?: number;
  maxIter?: number;
}

/** A root of f in [a, b]; f(a) and f(b) must not have the same strict sign. */
export function brent(f: (x: number) => number, a: number, b: number, opts: BrentOptions = {}): number {
  const xtol = opts.xtol ?? 1e-15;
  const maxIter = opts.maxIter ?? 300;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Number.isNaN(fa) || Number.isNaN(fb))
    throw new RootError(`brent: f is NaN at the bracket [${a}, ${b}]`);
  if (fa * fb > 0) throw new RootError(`brent: no sign change on [${a}, ${b}] (f=${fa}, ${fb})`);
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < maxIter; iter++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * xtol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const s = fb / fa;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    if (Number.isNaN(fb)) throw new RootError(`brent: f became NaN at x=${b}`);
  }
  throw new RootError(`brent: no convergence in ${maxIter} iterations`);
}
