/**
 * Critical initialisation (THEORY.md §2, Pretorius et al. 2018; Schoenholz et al. 2017).
 *
 * - ReLU family (positively homogeneous φ, E[φ(√q z)²] = m q with m = E[φ(z)²]): with multiplicative
 *   noise V(q) = σ_w² μ2 m q + σ_b², which preserves every q iff σ_w² = 1/(μ2 m) and σ_b² = 0
 *   (ReLU: σ_w² = 2/μ2). With additive noise V(q) = σ_w² m q + σ_w² μ2 + σ_b² has slope 1 only at
 *   σ_w² = 1/m, where q grows by σ_w² μ2 + σ_b² per layer without bound: no critical point exists.
 * - Other φ: the edge-of-chaos (EOC) point at a given σ_b²: solve q = σ_b² + R(q) with
 *   R(q) = E[φ²]/E[φ′²] (multiplicative or none) or (E[φ²] + μ2)/E[φ′²] (additive), then
 *   σ_w² = 1/(m E[φ′(√q z)²]), m = μ2 (multiplicative) or 1. This is χ_grad = 1 (χ1 = 1 without noise).
 *   The fixed point's stability V′(q*) is reported: e.g. swish with σ_b < 0.745 gives an unstable one.
 */
import { brent } from "../numerics/roots.js";
import type { Activation } from "./activations.js";
import { InputError, checkRange } from "./errors.js";
import { dPhi2dq, eDphi2, ePhi2 } from "./expectations.js";
import { slopeFactor, type Noise } from "./noise.js";

export interface CriticalPoint {
  exists: boolean;
  sigma_w2: number | null;
  sigma_b2: number;
  mu2: number;
  /** the fixed point variance (null when every q is a fixed point, as for the ReLU family) */
  q_star: number | null;
  /** V′(q*) at the point; < 1 stable */
  chi_q: number | null;
  stable: boolean | null;
  method: "relu_family" | "edge_of_chaos";
  reason?: string;
  note?: string;
}

/** E[φ(z)²] for a positively homogeneous φ (so E[φ(√q z)²] = m q). */
function homogeneousSecondMoment(act: Activation): number {
  return ePhi2(act, 1);
}

/** True when the noise actually perturbs (μ2 ≠ 1 multiplicative, μ2 ≠ 0 additive). */
function isNoisy(noise: Noise): boolean {
  return noise.type === "multiplicative"
    ? noise.mu2 !== 1
    : noise.type === "additive"
      ? noise.mu2 !== 0
      : false;
}

/** R(q) in q = σ_b² + R(q) (see module doc). */
function eocRatio(act: Activation, noise: Noise, q: number): number {
  const add = noise.type === "additive" ? noise.mu2 : 0;
  return (ePhi2(act, q) + add) / eDphi2(act, q);
}

/**
 * Roots of G(q) = σ_b² + R(q) − q, scanned on a log grid from q = max(σ_b², 1e-6) (every root has
 * q ≥ σ_b² since R ≥ 0; below 1e-6 with σ_b² = 0 the difference is lost to rounding) to 1e8, refined by
 * Brent.
 */
function eocRoots(act: Activation, noise: Noise, sigmaB2: number): number[] {
  const G = (q: number) => sigmaB2 + eocRatio(act, noise, q) - q;
  const roots: number[] = [];
  const lo = Math.log10(Math.max(sigmaB2, 1e-6));
  const hi = 8;
  if (lo >= hi) return roots;
  const n = Math.max(20, Math.ceil(6 * (hi - lo)));
  let qPrev = Math.pow(10, lo);
  let gPrev = G(qPrev);
  for (let i = 1; i <= n; i++) {
    const q = Math.pow(10, lo + ((hi - lo) * i) / n);
    const g = G(q);
    if (g === 0) roots.push(q);
    else if (gPrev * g < 0) roots.push(brent(G, qPrev, q, { xtol: 1e-15 * q }));
    qPrev = q;
    gPrev = g;
  }
  return roots;
}

/** The EOC point(s) for non-homogeneous φ at σ_b²: all roots, smallest q first. */
export function eocPoints(act: Activation, noise: Noise, sigmaB2: number): CriticalPoint[] {
  const m = slopeFactor(noise);
  const pts: CriticalPoint[] = [];
  for (const q of eocRoots(act, noise, sigmaB2)) {
    const sw2 = 1 / (m * eDphi2(act, q));
    const chiQ = sw2 * m * dPhi2dq(act, q);
    pts.push({
      exists: true,
      sigma_w2: sw2,
      sigma_b2: sigmaB2,
      mu2: noise.mu2,
      q_star: q,
      chi_q: chiQ,
      stable: Math.abs(chiQ) < 1,
      method: "edge_of_chaos",
    });
  }
  // σ_b² = 0 and φ(0) = 0: G(q) → 0 as q → 0 and the EOC point is the q* = 0 limit.
  if (
    pts.length === 0 &&
    sigmaB2 === 0 &&
    act.phi(0) === 0 &&
    act.dphi(0) !== 0 &&
    noise.type !== "additive"
  ) {
    const sw2 = 1 / (m * act.dphi(0) ** 2);
    const chiQ = sw2 * m * dPhi2dq(act, 0);
    pts.push({
      exists: true,
      sigma_w2: sw2,
      sigma_b2: 0,
      mu2: noise.mu2,
      q_star: 0,
      chi_q: chiQ,
      stable: Math.abs(chiQ) <= 1,
      method: "edge_of_chaos",
      note: "σ_b² = 0 and φ(0) = 0: the EOC point is the limit q* → 0, σ_w² = 1/(m φ′(0)²)",
    });
  }
  return pts;
}

/**
 * The critical initialisation for an activation and noise. σ_b² is required for non-ReLU-family φ
 * (the EOC point depends on it); for the ReLU family it defaults to 0, the only critical value.
 */
export function criticalInit(act: Activation, noise: Noise, sigmaB2?: number): CriticalPoint {
  if (sigmaB2 !== undefined) checkRange("--sigma-b2", sigmaB2, 0, Number.MAX_VALUE);
  if (act.homogeneous) {
    const m2 = homogeneousSecondMoment(act);
    const sb2 = sigmaB2 ?? 0;
    const base = { sigma_b2: sb2, mu2: noise.mu2, q_star: null, method: "relu_family" as const };
    if (noise.type === "additive" && isNoisy(noise)) {
      const w = 1 / m2;
      return {
        ...base,
        exists: false,
        sigma_w2: null,
        chi_q: null,
        stable: null,
        reason:
          `additive noise (μ2 = ${noise.mu2}): V(q) = σ_w²·${m2}·q + σ_w²·μ2 + σ_b² has slope 1 only at σ_w² = ${w}, ` +
          `where the variance grows by ${w * noise.mu2 + sb2} every layer without bound; every other σ_w² has a finite ` +
          `fixed point only off-critical (slope ≠ 1), so no critical initialisation exists (Pretorius et al. 2018)`,
      };
    }
    if (sb2 > 0) {
      return {
        ...base,
        exists: false,
        sigma_w2: null,
        chi_q: null,
        stable: null,
        reason: `σ_b² = ${sb2} > 0: for a positively homogeneous φ the only slope-1 map is σ_w² = ${1 / (noise.mu2 * m2)}, where the bias adds ${sb2} to the variance every layer without bound; the critical point needs σ_b² = 0`,
      };
    }
    return {
      ...base,
      exists: true,
      // dropout: 1/(μ2 m) = p/m exactly, without the rounding of μ2 = 1/p
      sigma_w2: noise.keep !== undefined ? noise.keep / m2 : 1 / (noise.mu2 * m2),
      chi_q: 1,
      stable: null,
      note: "every q is a fixed point (V(q) = q): the variance is preserved at any depth (marginal)",
    };
  }
  if (sigmaB2 === undefined) {
    throw new InputError(
      "--sigma-b2",
      "(missing)",
      "a number ≥ 0",
      `for ${act.spec} the critical (edge-of-chaos) σ_w² depends on σ_b²`,
    );
  }
  const pts = eocPoints(act, noise, sigmaB2);
  if (pts.length === 0) {
    return {
      exists: false,
      sigma_w2: null,
      sigma_b2: sigmaB2,
      mu2: noise.mu2,
      q_star: null,
      chi_q: null,
      stable: null,
      method: "edge_of_chaos",
      reason: `no q > 0 solves q = σ_b² + ${noise.type === "additive" ? "(E[φ²] + μ2)" : "E[φ²]"}/E[φ′²] for ${act.spec} at σ_b² = ${sigmaB2}: no edge of chaos exists${act.name === "softplus" ? " (softplus never reaches the EOC)" : ""}`,
    };
  }
  const stable = pts.find((p) => p.stable);
  const chosen = stable ?? pts[0];
  const extra: string[] = [];
  if (!chosen.stable)
    extra.push("the EOC fixed point is unstable (|V′(q*)| > 1): iterations from q⁰ ≠ q* leave it");
  if (pts.length > 1)
    extra.push(
      `${pts.length} EOC points at this σ_b²; reporting the ${stable ? "first stable" : "first"} one`,
    );
  if (noise.type === "additive" && isNoisy(noise)) {
    extra.push("additive noise: χ1 = 1 at this point, but C(1) < 1 so correlations still converge to c* < 1");
  }
  const note = [chosen.note, ...extra].filter(Boolean).join("; ");
  return note ? { ...chosen, note } : chosen;
}

/** An EOC curve point for `sigprop eoc`. */
export interface EocCurvePoint {
  sigma_b2: number;
  sigma_w2: number;
  /** NaN where q* is undetermined (ReLU family at σ_b² = 0: every q is a fixed point); see `q_star_note` */
  q_star: number;
  chi_q: number;
  stable: boolean;
  /** why q_star is NaN (criticalInit's note), when it is */
  q_star_note?: string;
}

/** A requested σ_b² without an edge-of-chaos point, and why (criticalInit's reason for that σ_b²). */
export interface EocExcluded {
  sigma_b2: number;
  reason: string;
}

/**
 * The EOC curve σ_w²(σ_b²) with the stability of each point; empty with a reason when none exists.
 * Every requested σ_b² is either a point or in `excluded` with its own reason: for the ReLU family the
 * edge of chaos is the single point σ_w² = 2/μ2 at σ_b² = 0, and each σ_b² > 0 is excluded (the bias adds
 * σ_b² to the variance every layer: no finite q*).
 */
export function eocCurve(
  act: Activation,
  noise: Noise,
  sigmaB2s: number[],
): { points: EocCurvePoint[]; excluded: EocExcluded[]; reason?: string } {
  const points: EocCurvePoint[] = [];
  const excluded: EocExcluded[] = [];
  for (const sb2 of sigmaB2s) {
    const c = criticalInit(act, noise, sb2);
    if (c.exists && c.sigma_w2 !== null) {
      points.push({
        sigma_b2: sb2,
        sigma_w2: c.sigma_w2,
        q_star: c.q_star ?? NaN,
        chi_q: c.chi_q ?? 1,
        stable: c.stable ?? true,
        ...(c.q_star === null ? { q_star_note: c.note ?? "q* is undetermined" } : {}),
      });
    } else {
      excluded.push({ sigma_b2: sb2, reason: c.reason ?? "no edge of chaos at this σ_b²" });
    }
  }
  if (points.length === 0) {
    const reasons = new Set(excluded.map((e) => e.reason.replace(/σ_b² = [0-9.e+-]+/g, "σ_b²")));
    return {
      points,
      excluded,
      reason: [...reasons][0] ?? "no edge of chaos in the requested σ_b² range",
    };
  }
  return { points, excluded };
}

/** float32 limits used by L*. */
export const FLOAT32_MAX = 3.4028234663852886e38;
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/**
 * Off-critical variance depth for ReLU with σ_b = 0 (THEORY.md §2): q^l = γ^l q⁰, γ = σ_w² μ2/2, and the
 * float32 signal over/underflows at L* = (ln K − ln q⁰)/ln γ with K = float32 max (γ > 1) or the smallest
 * normal float32 (γ < 1). Infinite (null) at γ = 1.
 */
export function overflowDepth(
  sigmaW2: number,
  mu2: number,
  q0 = 1,
): { gamma: number; depth: number | null; kind: "overflow" | "underflow" | "none" } {
  const gamma = (sigmaW2 * mu2) / 2;
  if (gamma === 1) return { gamma, depth: null, kind: "none" };
  const K = gamma > 1 ? FLOAT32_MAX : FLOAT32_MIN_NORMAL;
  return {
    gamma,
    depth: (Math.log(K) - Math.log(q0)) / Math.log(gamma),
    kind: gamma > 1 ? "overflow" : "underflow",
  };
}
