/**
 * Special functions in float64, accurate to a few ulp over the ranges the theory uses.
 *
 * - erf for |x| < 2 by the everywhere-positive series
 *   erf(x) = (2/√π) e^{−x²} Σ_{n≥0} 2ⁿ x^{2n+1} / (2n+1)!!   (A&S 7.1.6), no cancellation;
 * - erfc / erfcx for x ≥ 1 by the Laplace continued fraction (1 − erf would lose up to 8 bits
 *   between 1 and 2; the fraction needs ≤ 190 terms there)
 *   erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))   (A&S 7.1.14),
 *   evaluated by the modified Lentz algorithm.
 * - the bivariate normal CDF Φ2(h, k; ρ) by a one-dimensional integral with a positive integrand (see
 *   `normCdf2`), accurate to ~1e-15 relative in the lower tail h + k ≤ 0.
 * Checked in tests against mpmath at 25–30 digits.
 */
import { integrate } from "./integrate.js";

export const SQRT_PI = Math.sqrt(Math.PI);
export const SQRT_2 = Math.SQRT2;
export const SQRT_2PI = Math.sqrt(2 * Math.PI);
export const INV_SQRT_2PI = 1 / SQRT_2PI;

/** Series (A&S 7.1.6) for erf; used for |x| < 2. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** Continued fraction (A&S 7.1.14) for erfcx(x) = e^{x²} erfc(x), x ≥ 1, via modified Lentz. */
function erfcxContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let C = f;
  let D = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    D = x + a * D;
    if (D === 0) D = tiny;
    C = x + a / C;
    if (C === 0) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

/** Error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2) return erfSeries(x);
  const v = 1 - Math.exp(-x * x) * erfcxContinuedFraction(ax);
  return x < 0 ? -v : v;
}

/** Complementary error function erfc(x) = 1 − erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return Math.exp(-x * x) * erfcxContinuedFraction(x);
  if (x > -2) return 1 - erfSeries(x);
  return 2 - Math.exp(-x * x) * erfcxContinuedFraction(-x);
}

/** Scaled complementary error function erfcx(x) = e^{x²} erfc(x) (no overflow for large positive x). */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return erfcxContinuedFraction(x);
  if (x > -2) return Math.exp(x * x) * (1 - erfSeries(x));
  if (x < -26.7) return Infinity;
  return 2 * Math.exp(x * x) - erfcxContinuedFraction(-x);
}

/**
 * erfcx(x) − 1 without the cancellation of the difference at small |x|: for |x| < 1/2 the series
 * erfcx(x) = Σ_{n≥0} (−x)ⁿ / Γ(n/2 + 1) (A&S 7.1.8 times e^{x²}) less its first term, else erfcx(x) − 1.
 */
export function erfcxm1(x: number): number {
  if (!(Math.abs(x) < 0.5)) return erfcx(x) - 1;
  const x2 = x * x;
  // even terms x^{2m}/m!, odd terms −x^{2m+1}/Γ(m + 3/2) (Γ(3/2) = √π/2)
  let even = x2;
  let odd = (-2 * x) / SQRT_PI;
  let sum = even + odd;
  for (let m = 1; m < 60; m++) {
    even *= x2 / (m + 1);
    odd *= x2 / (m + 0.5);
    sum += even + odd;
    if (Math.abs(even) + Math.abs(odd) <= 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/** Standard normal density φ(x). */
export function normPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal CDF Φ(x) = ½ erfc(−x/√2), accurate in both tails. */
export function normCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT_2);
}

/** Logistic sigmoid σ(x) = 1/(1+e^{−x}), stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = ln(1+eˣ), stable for large |x|. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * Φ2(h, k; ρ) = P(X < h, Y < k) for standard normals with correlation ρ ∈ [−1, 1].
 *
 * Method (a cancellation-free variant of the Drezner–Wesolowsky / Genz 2004 integral). Plackett's identity
 * ∂Φ2/∂ρ = φ2(h, k; ρ) integrated up from ρ = −1, where Φ2(h, k; −1) = max(0, Φ(h) + Φ(k) − 1), and the
 * substitution ρ = −cos 2ψ (so 1 + ρ = 2 sin²ψ, 1 − ρ = 2 cos²ψ, dρ/√(1−ρ²) = 2 dψ) give
 *   Φ2(h, k; ρ) = max(0, Φ(h) + Φ(k) − 1) + (1/π) ∫_0^Ψ exp(−(h+k)²/(8 sin²ψ) − (h−k)²/(8 cos²ψ)) dψ,
 *   Ψ = arccos(−ρ)/2 ∈ [0, π/2],
 * using (h² − 2ρhk + k²)/(2(1−ρ²)) = (h+k)²/(4(1+ρ)) + (h−k)²/(4(1−ρ)). Genz integrates the same
 * density from ρ = 0 (base Φ(h)Φ(k)) with fixed 6/12/20-point Gauss–Legendre rules, which is accurate to
 * ~1e-15 absolute but cancels in the tails when ρ < 0. Starting at ρ = −1 instead, the integrand is
 * positive and, for h + k ≤ 0, the base term is 0, so the result keeps its relative accuracy however far
 * in the tail; ρ = ±1 need no special case (Ψ = 0 or π/2). The log-integrand is concave in ψ (sum of
 * −a/sin² and −b/cos²) with its maximum at tan²ψ* = |h+k|/|h−k|; adaptive Gauss–Legendre (`integrate`)
 * starts from breakpoints at that peak (or the end Ψ) and at multiples of its width, so a narrow peak
 * (|h|, |k| large) is resolved. Tested against mpmath at 40 digits (test/reference/special.py, 49 points):
 * relative error ≤ 3e-15 + ε(h² + k²) for h + k ≤ 0 (measured worst 1.4e-14 at (−10, −8; −0.7), i.e. the
 * rounding of the exponent), absolute ≤ 2e-16 elsewhere; ρ = ±1 and |ρ| = 1 − 1e-7 included.
 */
export function normCdf2(h: number, k: number, rho: number): number {
  return normCdf2Scaled(h, k, rho, 0);
}

/**
 * e^{s}·Φ2(h, k; ρ), computed without forming e^{s} or Φ2 separately (s is added inside the exponent of
 * the integrand of `normCdf2`). For h + k ≤ 0 the result has the relative accuracy of the integral even
 * when Φ2 underflows or e^{s} overflows; this is the form an exponentially tilted Gaussian orthant
 * probability takes: E[e^{aU+bV} 1{U<0, V<0}] = e^{Var(aU+bV)/2} Φ2(−m_U/σ_U, −m_V/σ_V; ρ) with
 * m = Cov·(a, b) the tilted mean. For h + k > 0 the base term Φ(h) − Φ(−k) is multiplied by e^{s}.
 * Measured relative error (h + k ≤ 0, s = Q/2): ≤ 3e-15 + ε(s + (h²+k²)/2) for s ≤ 1000; beyond, where
 * s ≫ h², k² (ρ → −1), ~2e-13·s (2e-9 at s = 1e4), from the cancellation of s against the exponent.
 */
export function normCdf2Scaled(h: number, k: number, rho: number, s: number): number {
  if (Number.isNaN(h) || Number.isNaN(k) || Number.isNaN(rho) || Number.isNaN(s)) return NaN;
  if (!(rho >= -1 && rho <= 1)) throw new RangeError(`normCdf2: correlation ${rho} outside [−1, 1]`);
  if (h === Infinity) return Math.exp(s) * normCdf(k);
  if (k === Infinity) return Math.exp(s) * normCdf(h);
  if (h === -Infinity || k === -Infinity) return 0;
  const base = h + k > 0 ? Math.exp(s) * (normCdf(h) - normCdf(-k)) : 0;
  const psiMax = 0.5 * Math.acos(-rho);
  if (!(psiMax > 0)) return base;
  const a = ((h + k) * (h + k)) / 8;
  const b = ((h - k) * (h - k)) / 8;
  const f = (psi: number) => {
    const sn = Math.sin(psi);
    const cs = Math.cos(psi);
    const e = s - (a === 0 ? 0 : a / (sn * sn)) - (b === 0 ? 0 : b / (cs * cs));
    return Math.exp(e);
  };
  // the integrand's maximum on [0, Ψ] and its width there: L(ψ) = −a/sin²ψ − b/cos²ψ,
  // −L″ = 2a/sin² + 6a cos²/sin⁴ + 2b/cos² + 6b sin²/cos⁴, −L′ = −2a cos/sin³ + 2b sin/cos³
  const peak = a === 0 ? 0 : b === 0 ? Math.PI / 2 : Math.atan(Math.sqrt(Math.sqrt(a / b)));
  const m = Math.min(peak, psiMax);
  const sn = Math.sin(m);
  const cs = Math.cos(m);
  const curv =
    (a === 0 ? 0 : (2 * a) / (sn * sn) + (6 * a * cs * cs) / (sn * sn * sn * sn)) +
    (b === 0 ? 0 : (2 * b) / (cs * cs) + (6 * b * sn * sn) / (cs * cs * cs * cs));
  const slope = m < peak ? (2 * a * cs) / (sn * sn * sn) - (2 * b * sn) / (cs * cs * cs) : 0;
  const width = Math.min(curv > 0 ? 1 / Math.sqrt(curv) : Infinity, slope > 0 ? 1 / slope : Infinity);
  const br: number[] = [];
  if (Number.isFinite(width)) {
    for (const t of [0.5, 2, 6, 20]) br.push(m - t * width, m + t * width);
    if (m > 0 && m < psiMax) br.push(m);
  }
  // the exponent s − a/sin²ψ − b/cos²ψ carries a rounding error ~ε·(|s| + a/sin²m + b/cos²m), which
  // bounds the attainable relative accuracy when s is large (e.g. s ≈ 9e7 at ρ = −1 + 1e-7)
  const mag = Math.abs(s) + (a === 0 ? 0 : a / (sn * sn)) + (b === 0 ? 0 : b / (cs * cs));
  const v = integrate(f, 0, psiMax, br, { rtol: Math.max(1e-15, 16 * Number.EPSILON * mag) });
  return base + v / Math.PI;
}
