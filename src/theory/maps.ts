/**
 * The mean-field maps of docs/THEORY.md §2.
 *   V(q) = σ_w² μ2 E[φ²] + σ_b² (multiplicative),  V(q) = σ_w² (E[φ²] + μ2) + σ_b² (additive);
 *   q_ab′ = σ_w² E[φ(u_a)φ(u_b)] + σ_b²  (noise does not enter the cross term);
 *   C(c) = q_ab′(c)/q* at the fixed point;  slopes χ1, χ_grad, χ_q = V′(q*), χ_c = σ_w² E[φ′(u_a)φ′(u_b)].
 */
import { dkernel, dPhi2dq, eDphi2, ePhi2, kernel } from "./expectations.js";
import type { Model } from "./model.js";
import { slopeFactor } from "./noise.js";

/** Variance map V(q). */
export function varianceMap(m: Model, q: number): number {
  const e = ePhi2(m.activation, q);
  return m.noise.type === "additive"
    ? m.sigmaW2 * (e + m.noise.mu2) + m.sigmaB2
    : m.sigmaW2 * m.noise.mu2 * e + m.sigmaB2;
}

/** V′(q) = σ_w² m dE[φ²]/dq with m = μ2 (multiplicative) or 1 (additive); χ_q = V′(q*). */
export function varianceMapSlope(m: Model, q: number): number {
  return m.sigmaW2 * slopeFactor(m.noise) * dPhi2dq(m.activation, q);
}

/** Covariance map q_ab′ = σ_w² E[φ(u_a)φ(u_b)] + σ_b² for inputs of variances qa, qb and correlation c. */
export function covarianceMap(m: Model, qa: number, qb: number, c: number): number {
  return m.sigmaW2 * kernel(m.activation, qa, qb, c) + m.sigmaB2;
}

/** Correlation map C(c) = q_ab′(c)/q at variance q (the fixed point q* in docs/THEORY.md). */
export function correlationMap(m: Model, q: number, c: number): number {
  return covarianceMap(m, q, q, c) / varianceMap(m, q);
}

/** χ1 = σ_w² E[φ′(√q z)²] (noiseless definition, Schoenholz et al. 2017). */
export function chi1(m: Model, q: number): number {
  return m.sigmaW2 * eDphi2(m.activation, q);
}

/** χ_grad = σ_w² m E[φ′²]: per-layer factor of the squared gradient norm. */
export function chiGrad(m: Model, q: number): number {
  return slopeFactor(m.noise) * chi1(m, q);
}

/** χ_c = σ_w² E[φ′(u_a)φ′(u_b)] at variance q (both inputs) and correlation c: the slope dC/dc. */
export function chiC(m: Model, q: number, c: number): number {
  // dC/dc = σ_w² q E[φ′φ′]/V(q); at a fixed point V(q*) = q*, this is σ_w² E[φ′φ′].
  return (m.sigmaW2 * dkernel(m.activation, q, q, c) * q) / varianceMap(m, q);
}

/** Depth scale −1/ln|χ|; null for |χ| ≥ 1 (infinite, or no decay). */
export function depthScale(chi: number): number | null {
  const a = Math.abs(chi);
  if (!(a < 1)) return null;
  if (a === 0) return 0;
  return -1 / Math.log(a);
}
