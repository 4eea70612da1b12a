/**
 * Student's t distribution with an integer number of degrees of freedom ν: the two-sided tail
 * P(|T| > t) in closed form and its inverse, for the report's pass/flag threshold of z-scores computed
 * with a sample standard deviation over ν + 1 networks.
 *
 * Closed form (Abramowitz & Stegun 26.7.3–26.7.4): with θ = atan(t/√ν),
 *   A(t|ν) = P(|T| ≤ t) =
 *     ν = 1:      2θ/π,
 *     ν odd > 1:  (2/π) [θ + sin θ (cos θ + (2/3) cos³θ + … + (2·4⋯(ν−3))/(1·3⋯(ν−2)) cos^{ν−2}θ)],
 *     ν even:     sin θ [1 + (1/2) cos²θ + (1·3)/(2·4) cos⁴θ + … + (1·3⋯(ν−3))/(2·4⋯(ν−2)) cos^{ν−2}θ].
 * The tail is 1 − A; for tails below ~1e-12 the subtraction loses relative accuracy, which does not
 * matter for thresholds at per-comparison levels ≥ 1e-9. ν = Infinity gives the normal law.
 */
import { erfc } from "./special.js";

/** P(|T| > t) for T ~ t_ν (ν a positive integer, or Infinity for the standard normal). */
export function studentTwoSidedTail(t: number, nu: number): number {
  if (!(nu >= 1)) throw new RangeError(`degrees of freedom must be ≥ 1, got ${nu}`);
  const a = Math.abs(t);
  if (!Number.isFinite(nu)) return erfc(a / Math.SQRT2);
  if (!Number.isInteger(nu)) throw new RangeError(`degrees of freedom must be an integer, got ${nu}`);
  if (!Number.isFinite(a)) return 0;
  const theta = Math.atan(a / Math.sqrt(nu));
  const c2 = Math.cos(theta) ** 2;
  const sin = Math.sin(theta);
  let inside: number;
  if (nu % 2 === 1) {
    let sum = 0;
    if (nu > 1) {
      let term = Math.cos(theta);
      sum = term;
      for (let k = 3; k <= nu - 2; k += 2) {
        term *= (c2 * (k - 1)) / k;
        sum += term;
      }
    }
    inside = (2 / Math.PI) * (theta + sin * sum);
  } else {
    let term = 1;
    let sum = 1;
    for (let k = 2; k <= nu - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    inside = sin * sum;
  }
  return Math.min(1, Math.max(0, 1 - inside));
}

/** The t > 0 with P(|T| > t) = p for T ~ t_ν (bisection on the monotone tail, to 1e-10 relative). */
export function studentTwoSidedQuantile(p: number, nu: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tail probability must be in (0, 1), got ${p}`);
  let lo = 0;
  let hi = 1;
  while (studentTwoSidedTail(hi, nu) > p) {
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-10 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTwoSidedTail(mid, nu) > p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * The Šidák per-comparison level for m comparisons at family-wise false-alarm rate α:
 * 1 − (1 − α)^{1/m}, computed without cancellation as −expm1(log1p(−α)/m).
 */
export function sidakLevel(alpha: number, m: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(m >= 1)) throw new RangeError(`number of comparisons must be ≥ 1, got ${m}`);
  return -Math.expm1(Math.log1p(-alpha) / m);
}
