/**
 * Fixed points of the variance and correlation maps (docs/THEORY.md §2–3): bracketed Brent root finding on
 * V(q) − q and C(c) − c, brackets found by following the direction the iteration moves from q⁰ / c⁰.
 * Never a silent 0 or stale value: non-convergence throws.
 */
import { brent } from "../numerics/roots.js";
import { covarianceMap, varianceMap, varianceMapSlope } from "./maps.js";
import type { Model } from "./model.js";

export type QStatus = "converged" | "marginal" | "diverges" | "vanishes" | "unstable";

export interface QStarResult {
  /** the limit of q^l (null when it diverges or vanishes) */
  qStar: number | null;
  status: QStatus;
  /** V′(q*) (null without a finite positive limit) */
  slope: number | null;
  /** the variance at which the correlation map is evaluated (q* or, for scale-free maps, q⁰) */
  qForCorrelation: number | null;
  note?: string;
}

const Q_MAX = 1e200;
const Q_MIN = 1e-200;
const MARGINAL_TOL = 1e-10;

/**
 * The ratio q/q⁰ of the next trial in the bracket search for q*: doubling for 64 steps (to 2^64 ≈ 1.8e19),
 * then squaring (3.4e38, 1.2e77, 1.3e154, then past Q_MAX). So far from q⁰ every catalogue V(q) − q has
 * the sign of its asymptotic slope term, and a divergence is decided in 67 evaluations instead of 664
 * (each costing up to 50 ms of adaptive quadrature at q ≈ 1e150 for gelu).
 */
function nextRatio(r: number, step: number): number {
  return step < 64 ? 2 * r : r * r;
}

/**
 * q* = lim V^l(q⁰). Status: converged (|V′| < 1), marginal (V(q) = q around q⁰, |V′ − 1| ≤ 1e-10),
 * diverges, vanishes, unstable (q⁰ sits exactly on a fixed point with |V′| > 1).
 */
export function findQStar(m: Model, q0 = 1): QStarResult {
  const D = (q: number) => varianceMap(m, q) - q;
  const scaleFree = m.activation.homogeneous && m.sigmaB2 === 0 && m.noise.type !== "additive";
  const d0 = D(q0);
  const s0 = varianceMapSlope(m, q0);
  if (Math.abs(d0) <= MARGINAL_TOL * q0 && Math.abs(s0 - 1) <= MARGINAL_TOL) {
    return { qStar: q0, status: "marginal", slope: s0, qForCorrelation: q0 };
  }
  if (d0 === 0 || Math.abs(d0) <= 1e-15 * q0) {
    const status: QStatus = Math.abs(s0) < 1 ? "converged" : Math.abs(s0) > 1 ? "unstable" : "marginal";
    return { qStar: q0, status, slope: s0, qForCorrelation: q0 };
  }
  let lo: number;
  let hi: number;
  if (d0 > 0) {
    // q grows: find the first q above q⁰ with V(q) < q.
    lo = q0;
    hi = q0 * 2 + 1e-300;
    // a difference at rounding level (V(q) − q ≈ 1e-16 q) is no sign change: keep expanding, but the
    // bracket's low end stays the last q with V(q) > q (a root can sit at rounding level on the grid)
    for (let dh = D(hi), step = 1; dh > -1e-13 * hi; dh = D(hi), step++) {
      if (dh > 0) lo = hi;
      hi = q0 * nextRatio(hi / q0, step);
      if (hi > Q_MAX) {
        return {
          qStar: null,
          status: "diverges",
          slope: null,
          qForCorrelation: scaleFree ? q0 : null,
          note: "q^l grows without bound",
        };
      }
    }
  } else {
    hi = q0;
    lo = q0 / 2;
    for (let dl = D(lo), step = 1; dl < 1e-13 * lo; dl = D(lo), step++) {
      if (dl < 0) hi = lo;
      lo = q0 / nextRatio(q0 / lo, step);
      if (lo < Q_MIN) {
        return {
          qStar: null,
          status: "vanishes",
          slope: null,
          qForCorrelation: scaleFree ? q0 : null,
          note: "q^l → 0",
        };
      }
    }
  }
  // V(lo) > lo and V(hi) < hi. A bracket wider than a factor 4 (only past 2^64·q⁰ or below q⁰/2^64) is
  // narrowed by geometric bisection first, so that Brent starts on an interval of one scale.
  while (hi > 4 * lo) {
    const mid = Math.sqrt(lo * hi);
    if (D(mid) > 0) lo = mid;
    else hi = mid;
  }
  const qs = brent(D, lo, hi, { xtol: 1e-16 * Math.max(lo, 1e-300) });
  const slope = varianceMapSlope(m, qs);
  const status: QStatus =
    Math.abs(slope) < 1 - MARGINAL_TOL
      ? "converged"
      : Math.abs(slope) > 1 + MARGINAL_TOL
        ? "unstable"
        : "marginal";
  return { qStar: qs, status, slope, qForCorrelation: qs };
}

export type CStatus = "converged" | "marginal" | "undefined";

export interface FindCStarOptions {
  /** the correlation the iteration starts from (default 0.5) */
  c0?: number;
  /** χ1 at q; noiselessly it decides c* = 1 (χ1 ≤ 1) or the c* < 1 of the chaotic phase (χ1 > 1).
   * Without it a noiseless solve returns c* = 1 */
  chi1AtQ?: number;
}

export interface CStarResult {
  cStar: number | null;
  status: CStatus;
  note?: string;
}

/**
 * c*: the fixed point of C reached from c⁰, at variance q. On [0, 1], C is a power series in c with
 * non-negative coefficients (Mehler expansion), hence increasing and convex: C(c) − c has at most two
 * roots there and the iteration moves monotonically to the nearest one, which is what is bracketed.
 * Noiseless networks have C(1) = 1 exactly (c* = 1 when χ1 ≤ 1). Negative c⁰ is iterated until c ≥ 0
 * (or, for odd φ with σ_b² = 0, mapped by the symmetry C(−c) = −C(c)).
 */
export function findCStar(m: Model, q: number, options: FindCStarOptions = {}): CStarResult {
  const { chi1AtQ } = options;
  let c0 = options.c0 ?? 0.5;
  const vq = varianceMap(m, q); // C(c) = q_ab′(c)/V(q): V(q) computed once per solve
  const C = (c: number) => covarianceMap(m, q, q, c) / vq;
  const D = (c: number) => C(c) - c;
  const noiseless = m.noise.type === "none" || m.noise.mu2 === (m.noise.type === "additive" ? 0 : 1);
  if (c0 < 0) {
    if (m.activation.odd && m.sigmaB2 === 0) {
      const r = findCStar(m, q, { c0: -c0, chi1AtQ });
      return r.cStar === null ? r : { ...r, cStar: -r.cStar };
    }
    let c = c0;
    for (let i = 0; i < 10000 && c < 0; i++) c = C(c);
    if (c < 0) throw new Error("c* search: the correlation stayed negative over 10000 layers");
    c0 = c;
  }
  if (c0 === 1 && noiseless)
    return { cStar: 1, status: "converged", note: "identical inputs stay identical" };
  const dc0 = D(c0);
  if (dc0 === 0) return { cStar: c0, status: "converged" };
  if (dc0 < 0) {
    const d0 = D(0);
    if (d0 <= 0) return { cStar: 0, status: "converged" };
    return { cStar: brent(D, 0, c0, { xtol: 1e-16 }), status: "converged" };
  }
  // dc0 > 0: the correlation increases towards the next root above c⁰.
  if (!noiseless) {
    if (D(1) >= 0) {
      return {
        cStar: null,
        status: "undefined",
        note: "C(1) ≥ 1 at this variance: no correlation fixed point in (c⁰, 1]",
      };
    }
    return { cStar: brent(D, c0, 1, { xtol: 1e-16 }), status: "converged" };
  }
  const x1 = chi1AtQ ?? NaN;
  if (!(x1 > 1)) {
    return { cStar: 1, status: Math.abs(x1 - 1) < 1e-12 ? "marginal" : "converged" };
  }
  // chaotic: D < 0 on (c*, 1); find a point there, then bracket. By convexity a probe with D > 0 lies
  // below c*, so it raises the bracket's low end. Coarse probes first (halving the distance to 1 down
  // to 1e-3): the Mehler series needs far fewer terms at c = 3/4 than at c = 0.999, and most c* are not
  // that close to 1. Then the fine probes 1 − 1e-3·4^−j, down to rounding level.
  let lo = c0;
  for (let delta = (1 - c0) / 2; delta > 1e-3; delta /= 2) {
    const d = D(1 - delta);
    if (d < 0) return { cStar: brent(D, lo, 1 - delta, { xtol: 1e-16 }), status: "converged" };
    if (d === 0) return { cStar: 1 - delta, status: "converged" };
    lo = 1 - delta;
  }
  let delta = 1e-3;
  for (let d = D(1 - delta); d >= 0; d = D(1 - delta)) {
    if (d > 0 && 1 - delta > lo) lo = 1 - delta;
    delta /= 4;
    if (delta < 1e-14) return { cStar: 1, status: "marginal", note: "χ1 is within rounding of 1" };
  }
  if (1 - delta <= lo) return { cStar: brent(D, 1 - delta, lo, { xtol: 1e-16 }), status: "converged" };
  return { cStar: brent(D, lo, 1 - delta, { xtol: 1e-16 }), status: "converged" };
}
