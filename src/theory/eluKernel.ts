/**
 * Closed-form 2-D kernels of the ELU family, φ(x) = x (x > 0), α(eˣ − 1) (x ≤ 0) (SELU = λ·ELU(α_selu)
 * is scaled by the caller), for (u, v) centred bivariate normal with variances q1, q2 and correlation c.
 * Valid for all q1, q2 ≥ 0 and c ∈ [−1, 1]; tested against mpmath (test/reference) and 2-D quadrature.
 *
 * Derivation (s1 = √q1, s2 = √q2, r = c s1 s2, w = √(1 − c²)).
 *
 * 1. Quadrant split. φ(u) = u⁺ + α g(u), g(u) = (eᵘ − 1)·1{u < 0}, φ′(u) = 1{u > 0} + α eᵘ 1{u < 0}:
 *      E[φ(u)φ(v)]   = E[u⁺v⁺] + α(B₁ + B₂) + α² C,   B₁ = E[u⁺ g(v)], B₂ = E[g(u) v⁺], C = E[g(u) g(v)],
 *      E[φ′(u)φ′(v)] = P₊₊ + α(T₂ + T₃) + α² T₄,
 *    with P₊₊ = P(u > 0, v > 0) = P(u < 0, v < 0) = 1/4 + asin(c)/(2π) = acos(−c)/(2π) and
 *      T₂ = E[eᵛ 1{u > 0, v < 0}], T₃ = E[eᵘ 1{u < 0, v > 0}], T₄ = E[e^{u+v} 1{u < 0, v < 0}].
 *    E[u⁺v⁺] = s1 s2 g₁(c)/2 is the arc-cosine kernel (`arccosKernel`).
 *
 * 2. Tilting. E[F(u, v) e^{au+bv}] = e^{Var(au+bv)/2} E′[F], where under E′ the pair is normal with the same
 *    covariance Σ and mean Σ(a, b)ᵀ. An orthant probability under E′ is a bivariate normal CDF Φ2 with
 *    shifted limits (`normCdf2`), and e^{Var/2} = e^{Q(h,k)/2}, Q the Mahalanobis form of the limits:
 *      T₂ = e^{q2/2} Φ2(c s2, −s2; −c),      T₃ = e^{q1/2} Φ2(c s1, −s1; −c)      (u ↦ −u: correlation −c),
 *      T₄ = e^{(q1 + 2r + q2)/2} Φ2(−(s1 + c s2), −(s2 + c s1); c),
 *      T₅ = E[eᵘ 1{u<0, v<0}] = e^{q1/2} Φ2(−s1, −c s1; c),  T₆ = E[eᵛ 1{u<0, v<0}] = e^{q2/2} Φ2(−c s2, −s2; c),
 *    and C = T₄ − T₅ − T₆ + P₊₊. Every Φ2 here has h + k ≤ 0, and each T is ≤ 1.
 *
 * 3. First moments. E[X 1{X > a, Y < b}] = φ(a)Φ((b − ρa)/√(1−ρ²)) − ρφ(b)Φ̄((a − ρb)/√(1−ρ²)) for standard
 *    (X, Y) with correlation ρ (truncated bivariate normal moments, Rosenbaum 1961 / Tallis 1961). Under
 *    the tilt of T₂ (a = −c s2, b = −s2, ρ = c; (a − ρb) = 0, (b − ρa)/w = −s2 w), with E[u 1{u>0, v<0}] =
 *    s1(1 − c)/(2√(2π)) untilted:
 *      B₁ = E[u eᵛ 1{u>0, v<0}] − E[u 1{u>0, v<0}] = r T₂ + s1 (erfcx(s2 w/√2) − 1)/(2√(2π)),
 *      B₂ = r T₃ + s2 (erfcx(s1 w/√2) − 1)/(2√(2π))          (e^{q2 w²/2} Φ(−s2 w) = ½ erfcx(s2 w/√2)),
 *    with erfcx − 1 by its series at small argument (`erfcxm1`).
 *
 * 4. Evaluation. `normCdf2` writes e^{Q/2}Φ2(h, k; ρ) = (1/π)∫₀^Ψ exp(Q/2 − (h+k)²/(8 sin²ψ) − (h−k)²/(8 cos²ψ)) dψ
 *    with Ψ = acos(−ρ)/2 (h + k ≤ 0). For the tilts (a, b) ∈ {0, 1}² of the orthant {u < 0, v < 0} at
 *    correlation c the exponent is the quadratic form a² q1 G(ψ) + 2ab s1 s2 H(ψ) + b² q2 G(ψ) with, for
 *    U = sin²Ψ = (1 + c)/2, u = sin²ψ and D = U − u = sin(Ψ − ψ) sin(Ψ + ψ) ≥ 0,
 *      G = −D² / (2u(1 − u)),   H = −D (U + u − 2uU) / (2u(1 − u))     (both ≤ 0, = 0 at ψ = Ψ),
 *    which is free of the cancellation between Q/2 and the two quotients; so T₄ = (1/π)∫₀^Ψ e^{(q1+q2)G + 2s1s2H},
 *    P₊₊ = Ψ/π, and T₂, T₃ are (1/π)∫₀^{Ψ′} e^{q G′} with G′ at U′ = (1 − c)/2, Ψ′ = acos(c)/2. The four
 *    terms of C share the range [0, Ψ] and are combined under one integral,
 *      C = (1/π)∫₀^Ψ [expm1(q1 G) expm1(q2 G) + e^{(q1+q2)G} expm1(2 s1 s2 H)] dψ,
 *    because T₄ − T₅ − T₆ + P₊₊ cancels to O(q) when q is small (relative error ε/q term by term). The
 *    integrand itself still cancels (a positive part on ψ ≲ √q against a negative one), leaving a relative
 *    error ~2e-17/√(s1 s2) (measured: 2e-13 at q1 = q2 = 1e-8, 2e-11 at 1e-12); below s1 s2 = 1e-8 the
 *    kernel is taken from 2-D adaptive quadrature instead (`gaussMean2`, as for activations without a
 *    closed form). E[φ′φ′] has no cancellation (all terms positive) and needs no such limit.
 *    Integrands lie in [−1, 1] (no overflow at any q); the only features are at ψ = Ψ (width
 *    min(1/√(2(q1+q2)), 1/(2 s1 s2 w))) and, for small q, near ψ = 0 (width ~√q); adaptive Gauss–Legendre
 *    (`integrate`) starts from breakpoints on those scales.
 */
import { integrate } from "../numerics/integrate.js";
import { erfcxm1, SQRT_2, SQRT_2PI } from "../numerics/special.js";
import { gaussMean2 } from "./expectations.js";

/** relative tolerance of the adaptive rule (its halving estimate is pessimistic: results agree to ~1e-16) */
const RTOL = 1e-14;
/** below this √(q1 q2) the kernel's integral for C loses more than 1e-13 (step 4) */
const SMALL_S1S2 = 1e-8;

/** G(ψ) and H(ψ) of step 4 at U = sin²Ψ (cancellation-free; both ≤ 0 on [0, Ψ]). */
function gh(psi: number, Psi: number, U: number): { G: number; H: number } {
  const u = Math.sin(psi) ** 2;
  const D = Math.sin(Psi - psi) * Math.sin(Psi + psi);
  const den = 0.5 * Math.sin(2 * psi) ** 2; // 2u(1 − u), accurate at both ends

  return { G: (-D * D) / den, H: (-D * (U + u - 2 * u * U)) / den };
}

/**
 * Breakpoints on [0, Ψ] for integrands e^{qG + 2pH}: the end Ψ (e^{−2q t² − 2p sin(2Ψ) t}, t = Ψ − ψ) and,
 * for small q, the rise near 0 where q G ≈ −q U²/(2ψ²) is O(1).
 */
function breaks(Psi: number, U: number, q: number, p: number): number[] {
  const out: number[] = [];
  const lin = 2 * p * Math.sin(2 * Psi);
  const width = Math.min(q > 0 ? 1 / Math.sqrt(2 * q) : Infinity, lin > 0 ? 1 / lin : Infinity);
  if (Number.isFinite(width)) for (const t of [2, 8]) out.push(Psi - t * width);
  const rise = Math.sqrt(q) * U;
  if (rise > 0) out.push(rise);
  return out.filter((x) => x > 0 && x < Psi);
}

/** T₂ + T₃ = E[eᵛ 1{u>0, v<0}] + E[eᵘ 1{u<0, v>0}] (steps 2 and 4). */
function mixedTerms(q1: number, q2: number, c: number): number {
  const Psi = 0.5 * Math.acos(c);
  if (!(Psi > 0)) return 0;
  const U = (1 - c) / 2;
  const f = (psi: number) => {
    const { G } = gh(psi, Psi, U);
    return Math.exp(q1 * G) + Math.exp(q2 * G);
  };
  const br = [...breaks(Psi, U, q1, 0), ...breaks(Psi, U, q2, 0)];
  return integrate(f, 0, Psi, br, { rtol: RTOL }) / Math.PI;
}

/** E[φ(u)φ(v)] for ELU with parameter α ≥ 0 (scale 1); derivation in the module comment. */
export function eluKernel(alpha: number, q1: number, q2: number, c: number): number {
  const cc = Math.max(-1, Math.min(1, c));
  const s1 = Math.sqrt(q1);
  const s2 = Math.sqrt(q2);
  const r = cc * s1 * s2;
  const w = Math.sqrt((1 - cc) * (1 + cc));
  const g1 = (cc * Math.asin(cc) + w) / Math.PI + cc / 2;
  const relu = (s1 * s2 * g1) / 2;
  if (alpha === 0) return relu;
  if (s1 * s2 < SMALL_S1S2) {
    const phi = (x: number) => (x > 0 ? x : alpha * Math.expm1(x));
    const scale = s1 * s2 * (1 + alpha * alpha);
    return gaussMean2((a, b) => phi(a) * phi(b), q1, q2, cc, [0], [0], scale);
  }
  const B =
    r * mixedTerms(q1, q2, cc) +
    (s1 * erfcxm1((s2 * w) / SQRT_2) + s2 * erfcxm1((s1 * w) / SQRT_2)) / (2 * SQRT_2PI);
  const Psi = 0.5 * Math.acos(-cc);
  let C = 0;
  if (Psi > 0) {
    const U = (1 + cc) / 2;
    const p = s1 * s2;
    const f = (psi: number) => {
      const { G, H } = gh(psi, Psi, U);
      const X = q1 * G;
      const Z = q2 * G;
      return Math.expm1(X) * Math.expm1(Z) + Math.exp(X + Z) * Math.expm1(2 * p * H);
    };
    const br = [...breaks(Psi, U, q1 + q2, p), ...breaks(Psi, U, Math.min(q1, q2), 0)];
    C = integrate(f, 0, Psi, br, { rtol: RTOL }) / Math.PI;
  }
  return relu + alpha * B + alpha * alpha * C;
}

/** E[φ′(u)φ′(v)] for ELU with parameter α ≥ 0 (scale 1); derivation in the module comment. */
export function eluDkernel(alpha: number, q1: number, q2: number, c: number): number {
  const cc = Math.max(-1, Math.min(1, c));
  const Psi = 0.5 * Math.acos(-cc);
  // P₊₊ + α² T₄ = (1/π)∫₀^Ψ (1 + α² e^{(q1+q2)G + 2 s1 s2 H}) dψ
  let same = Psi / Math.PI;
  if (alpha !== 0 && Psi > 0) {
    const U = (1 + cc) / 2;
    const q = q1 + q2;
    const p = Math.sqrt(q1 * q2);
    const f = (psi: number) => {
      const { G, H } = gh(psi, Psi, U);
      return Math.exp(q * G + 2 * p * H);
    };
    same += (alpha * alpha * integrate(f, 0, Psi, breaks(Psi, U, q, p), { rtol: RTOL })) / Math.PI;
  }
  return same + (alpha === 0 ? 0 : alpha * mixedTerms(q1, q2, cc));
}
