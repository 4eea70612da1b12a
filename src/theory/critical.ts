/**
 * Criticality and the edge of chaos: the one module (docs/THEORY.md §2, Pretorius et al. 2018; Schoenholz et al.
 * 2017; Pennington et al. 2017). Everything that asks "which σ_w² is critical", "where is the EOC" or "which
 * phase is this model in" calls this file:
 *
 * - `criticalInit` / `eocPoints` / `eocCurve`: the critical σ_w² at a given σ_b² (with noise);
 * - `eocModel`: the noiseless EOC model for the Hayou rate comparison (rates.ts);
 * - `criticalFromQStar`: the critical (σ_w², σ_b²) parametrised by q* (Pennington et al. 2017, §2.3);
 * - `classifyPhase` / `modelPhase`: the one phase definition under noise (analyze, phase, report, explorer).
 *
 * ReLU family (positively homogeneous φ, E[φ(√q z)²] = m q with m = E[φ(z)²]): with multiplicative noise
 * V(q) = σ_w² μ2 m q + σ_b², which preserves every q iff σ_w² = 1/(μ2 m) and σ_b² = 0 (ReLU: σ_w² = 2/μ2).
 * With additive noise V(q) = σ_w² m q + σ_w² μ2 + σ_b² has slope 1 only at σ_w² = 1/m, where q grows by
 * σ_w² μ2 + σ_b² per layer without bound: no critical point exists.
 *
 * Other φ: the edge-of-chaos (EOC) point at a given σ_b²: solve q = σ_b² + R(q) with R(q) = E[φ²]/E[φ′²]
 * (multiplicative or none) or (E[φ²] + μ2)/E[φ′²] (additive), then σ_w² = 1/(m E[φ′(√q z)²]), m = μ2
 * (multiplicative) or 1. This is χ_grad = 1 (χ1 = 1 without noise). The fixed point's stability V′(q*) is
 * reported: e.g. swish with σ_b < 0.745 gives an unstable one.
 *
 * **Root-choice policy** (the only one in the code base). The roots of G(q) = σ_b² + R(q) − q are searched
 * on [max(σ_b², 1e-6), 1e8] (every root has q ≥ σ_b² since R ≥ 0) on a log grid of ≥ 6 points per decade,
 * each sign change refined by Brent to 1e-15 relative. Then:
 *   1. several roots: the **stable** one (|V′(q*)| < 1) with the **smallest q***; if none is stable, the
 *      smallest-q* root, flagged `stable: false`; the note says how many roots there were;
 *   2. one root: that one (flagged unstable when |V′(q*)| ≥ 1);
 *   3. no root, σ_b² = 0, φ(0) = 0, φ′(0) ≠ 0 (tanh, erf, …): the limit q* → 0, σ_w² = 1/(m φ′(0)²);
 *   4. no root otherwise: `exists: false` with the reason (e.g. softplus never reaches the EOC). Never a
 *      throw for "no EOC" (except in `eocModel`, whose callers need a model: an InputError naming σ_b²).
 */
import { brent } from "../numerics/roots.js";
import type { Activation } from "./activations.js";
import { InputError, checkRange } from "./errors.js";
import { dPhi2dq, eDphi2, ePhi2 } from "./expectations.js";
import { findQStar, type QStatus } from "./fixedPoints.js";
import { chi1 as chi1Of, chiGrad as chiGradOf, varianceMapSlope } from "./maps.js";
import type { Model } from "./model.js";
import { makeNoise, slopeFactor, type Noise } from "./noise.js";

export interface CriticalPoint {
  exists: boolean;
  sigmaW2: number | null;
  sigmaB2: number;
  mu2: number;
  /** the fixed point variance (null when every q is a fixed point, as for the ReLU family) */
  qStar: number | null;
  /** V′(q*) at the point; < 1 stable */
  chiQ: number | null;
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

/**
 * The EOC point(s) for non-homogeneous φ at σ_b²: all roots, smallest q first (cases 1–3 of the module's
 * root-choice policy; `criticalInit` picks one of them).
 */
export function eocPoints(act: Activation, noise: Noise, sigmaB2: number): CriticalPoint[] {
  const m = slopeFactor(noise);
  const pts: CriticalPoint[] = [];
  for (const q of eocRoots(act, noise, sigmaB2)) {
    const sw2 = 1 / (m * eDphi2(act, q));
    const chiQ = sw2 * m * dPhi2dq(act, q);
    pts.push({
      exists: true,
      sigmaW2: sw2,
      sigmaB2,
      mu2: noise.mu2,
      qStar: q,
      chiQ,
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
      sigmaW2: sw2,
      sigmaB2: 0,
      mu2: noise.mu2,
      qStar: 0,
      chiQ,
      stable: Math.abs(chiQ) <= 1,
      method: "edge_of_chaos",
      note: "σ_b² = 0 and φ(0) = 0: the EOC point is the limit q* → 0, σ_w² = 1/(m φ′(0)²)",
    });
  }
  return pts;
}

/**
 * The critical initialisation for an activation and noise. σ_b² is required for non-ReLU-family φ
 * (the EOC point depends on it); for the ReLU family it defaults to 0, the only critical value. Several
 * EOC points: the module's root-choice policy (first stable, smallest q*); none: `exists: false`.
 * Dropout with the ReLU family gives σ_w² = p/m exactly (ReLU: 2p), without the rounding of 1/μ2.
 */
export function criticalInit(act: Activation, noise: Noise, sigmaB2?: number): CriticalPoint {
  if (sigmaB2 !== undefined) checkRange("sigmaB2", sigmaB2, 0, Number.MAX_VALUE);
  if (act.homogeneous) {
    const m2 = homogeneousSecondMoment(act);
    const sb2 = sigmaB2 ?? 0;
    const base = { sigmaB2: sb2, mu2: noise.mu2, qStar: null, method: "relu_family" as const };
    if (noise.type === "additive" && isNoisy(noise)) {
      const w = 1 / m2;
      return {
        ...base,
        exists: false,
        sigmaW2: null,
        chiQ: null,
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
        sigmaW2: null,
        chiQ: null,
        stable: null,
        reason: `σ_b² = ${sb2} > 0: for a positively homogeneous φ the only slope-1 map is σ_w² = ${1 / (noise.mu2 * m2)}, where the bias adds ${sb2} to the variance every layer without bound; the critical point needs σ_b² = 0`,
      };
    }
    return {
      ...base,
      exists: true,
      // dropout: 1/(μ2 m) = p/m exactly, without the rounding of μ2 = 1/p
      sigmaW2: noise.keep !== undefined ? noise.keep / m2 : 1 / (noise.mu2 * m2),
      chiQ: 1,
      stable: null,
      note: "every q is a fixed point (V(q) = q): the variance is preserved at any depth (marginal)",
    };
  }
  if (sigmaB2 === undefined) {
    throw new InputError(
      "sigmaB2",
      "(missing)",
      "a number ≥ 0",
      `for ${act.spec} the critical (edge-of-chaos) σ_w² depends on σ_b²`,
    );
  }
  const pts = eocPoints(act, noise, sigmaB2);
  if (pts.length === 0) {
    return {
      exists: false,
      sigmaW2: null,
      sigmaB2,
      mu2: noise.mu2,
      qStar: null,
      chiQ: null,
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
  sigmaB2: number;
  sigmaW2: number;
  /** NaN where q* is undetermined (ReLU family at σ_b² = 0: every q is a fixed point); see `qStarNote` */
  qStar: number;
  chiQ: number;
  stable: boolean;
  /** why qStar is NaN (criticalInit's note), when it is */
  qStarNote?: string;
}

/** A requested σ_b² without an edge-of-chaos point, and why (criticalInit's reason for that σ_b²). */
export interface EocExcluded {
  sigmaB2: number;
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
    if (c.exists && c.sigmaW2 !== null) {
      points.push({
        sigmaB2: sb2,
        sigmaW2: c.sigmaW2,
        qStar: c.qStar ?? NaN,
        chiQ: c.chiQ ?? 1,
        stable: c.stable ?? true,
        ...(c.qStar === null ? { qStarNote: c.note ?? "q* is undetermined" } : {}),
      });
    } else {
      excluded.push({ sigmaB2: sb2, reason: c.reason ?? "no edge of chaos at this σ_b²" });
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
 * Off-critical variance depth for ReLU with σ_b = 0 (docs/THEORY.md §2): q^l = γ^l q⁰, γ = σ_w² μ2/2, and the
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

/**
 * The noiseless EOC model at σ_b² (for the Hayou rate comparison, rates.ts): `criticalInit` without noise,
 * so the same roots and root choice. ReLU family: σ_b² must be 0 and q* is free (q⁰ = 1 is used).
 * InputError naming `--sigma-b2` when there is no EOC point, or when it is the q* → 0 limit (no q* > 0 to
 * iterate the correlation map at).
 */
export function eocModel(act: Activation, sigmaB2: number): { model: Model; qStar: number } {
  const noise = makeNoise("none");
  const cp = criticalInit(act, noise, act.homogeneous && sigmaB2 === 0 ? undefined : sigmaB2);
  if (!cp.exists || cp.sigmaW2 === null) {
    throw new InputError(
      "sigmaB2",
      String(sigmaB2),
      act.homogeneous
        ? "0 (the only EOC bias for positively homogeneous φ)"
        : `a bias variance with an edge-of-chaos point for ${act.spec}`,
      cp.reason,
    );
  }
  if (cp.qStar === 0) {
    throw new InputError(
      "sigmaB2",
      String(sigmaB2),
      "a number > 0",
      `for ${act.spec} at σ_b² = 0 the EOC point is the limit q* → 0`,
    );
  }
  return {
    model: { activation: act, noise, sigmaW2: cp.sigmaW2, sigmaB2: cp.sigmaB2 },
    qStar: cp.qStar ?? 1,
  };
}

/**
 * Critical initialisation parametrised by the fixed-point variance q* (Pennington et al. 2017, §2.3):
 * χ1 = σ_w² E[φ′(√q* z)²] = 1 and q* = σ_w² E[φ(√q* z)²] + σ_b² give
 *
 *     σ_w² = 1/E[φ′(√q* z)²],     σ_b² = q* − σ_w² E[φ(√q* z)²]     (must be ≥ 0).
 *
 * Piecewise-linear φ with φ′ ∈ {0,1}: E[φ′²] = p(q*) = P(φ′ = 1):
 *   hard-tanh      p = erf(1/√(2q*))
 *   shifted ReLU   p = ½ erfc(−α/√(2q*))   (φ(x) = max(0, x+α) − α)
 *   ReLU           p = ½ (q* is free: σ_b² = 0, σ_w² = 2)
 * so the orthogonal-weight Jacobian variance L(1−p)/p → 0 as q* → 0 for hard-tanh and as α/√q* → ∞
 * for shifted ReLU: the knob that buys dynamical isometry.
 *
 * With noise (docs/THEORY.md §2) the critical condition is χ_grad = σ_w² m E[φ′²] = 1, m = μ2 (multiplicative)
 * or 1 (additive), and the fixed point of the noisy variance map:
 *   multiplicative  σ_w² = 1/(μ2 E[φ′²]),  σ_b² = q* − E[φ²]/E[φ′²]            (σ_b² as without noise)
 *   additive        σ_w² = 1/E[φ′²],       σ_b² = q* − (E[φ²] + μ2)/E[φ′²]
 * This is the EOC equation q = σ_b² + R(q) of `criticalInit` read the other way (q* given, σ_b² solved).
 */
export interface QStarCritical {
  activation: string;
  qStar: number;
  sigmaW2: number;
  sigmaB2: number;
  /** P(φ′ = 1) for piecewise-linear φ, else null */
  p: number | null;
  /** V′(q*) (< 1: the fixed point is stable) */
  chiQ: number;
  stable: boolean;
}

/**
 * σ_w², σ_b² that make q* a fixed point with χ1 = 1 (χ_grad = 1 with multiplicative noise; see the doc
 * of `QStarCritical`). InputError when σ_b² would be negative.
 */
export function criticalFromQStar(act: Activation, qStar: number, noise?: Noise): QStarCritical {
  checkRange("qStar", qStar, 0, Number.MAX_VALUE, { loOpen: true });
  const d2 = eDphi2(act, qStar);
  if (!(d2 > 0)) throw new InputError("qStar", String(qStar), "a q* with E[φ′(√q* z)²] > 0");
  const mult = noise !== undefined && noise.type === "multiplicative";
  const add = noise !== undefined && noise.type === "additive" ? noise.mu2 : 0;
  // dropout: 1/(μ2 d2) = p/d2 exactly, without the rounding of μ2 = 1/p
  const sigmaW2 = !mult ? 1 / d2 : noise.keep !== undefined ? noise.keep / d2 : 1 / (noise.mu2 * d2);
  let sigmaB2 = mult
    ? qStar - ePhi2(act, qStar) / d2
    : qStar - sigmaW2 * (add > 0 ? ePhi2(act, qStar) + add : ePhi2(act, qStar));
  if (act.homogeneous && add === 0) sigmaB2 = 0; // exact: E[φ²] = q E[φ′²] for positively homogeneous φ
  if (sigmaB2 < -1e-12 * qStar) {
    throw new InputError(
      "qStar",
      String(qStar),
      `a q* with q* ≥ ${add > 0 ? "(E[φ²] + μ2)" : "E[φ²]"}/E[φ′²] (σ_b² ≥ 0) for ${act.spec}${add > 0 ? ` with ${noise?.spec}` : ""}`,
      `σ_b² would be ${sigmaB2.toPrecision(6)} < 0`,
    );
  }
  sigmaB2 = Math.max(0, sigmaB2);
  const model = { activation: act, noise: noise ?? makeNoise("none"), sigmaW2, sigmaB2 };
  const chiQ = varianceMapSlope(model, qStar);
  return {
    activation: act.spec,
    qStar,
    sigmaW2,
    sigmaB2,
    p: act.piecewiseLinear01 ? d2 : null,
    chiQ,
    stable: Math.abs(chiQ) < 1,
  };
}

/** P(φ′ = 1) at variance q for the piecewise-linear class; InputError for other φ. */
export function activeFraction(act: Activation, q: number): number {
  if (!act.piecewiseLinear01) {
    throw new InputError("activation", act.spec, "relu | hard_tanh | shifted_relu:alpha=A (φ′ ∈ {0, 1})");
  }
  return eDphi2(act, q);
}

// ---- the phase (docs/THEORY.md §2 "Phase") ----

/**
 * The phase of an initialisation. `ordered` / `chaotic` / `edge_of_chaos` are decided by a slope (below,
 * above or at 1); `unbounded` (q^l → ∞) and `vanishing` (q^l → 0) say that there is no positive variance
 * fixed point q*, so no phase by slope exists.
 */
export type Phase = "ordered" | "chaotic" | "edge_of_chaos" | "unbounded" | "vanishing";

/** What decided the phase: χ1 (noiseless, or additive noise where χ_grad = χ1), χ_grad, or q* not existing. */
export type PhaseDecidedBy = "chi1" | "chi_grad" | "q_star";

/** Tolerance for calling a slope of 1 the edge of chaos (rounding in χ1 or χ_grad is ~1e-15). */
export const EOC_TOL = 1e-9;

/**
 * The slope that decides the phase for a noise model: χ_grad = σ_w² μ2 E[φ′²] with multiplicative noise of
 * μ2 ≠ 1 (the paper's criticality: σ_w² = 2/μ2 is critical for ReLU, He init with dropout explodes),
 * χ1 otherwise (no noise, μ2 = 1, or additive noise, where χ_grad = χ1 by definition).
 */
export function phaseSlope(noise: Noise): "chi1" | "chi_grad" {
  return noise.type === "multiplicative" && noise.mu2 !== 1 ? "chi_grad" : "chi1";
}

export interface PhaseInputs {
  noise: Noise;
  /** the status of q* (fixedPoints.ts) */
  qStatus: QStatus;
  /** χ1 and χ_grad at q* (or at q⁰ for a scale-free map); null where undefined */
  chi1: number | null;
  chiGrad: number | null;
}

export interface PhaseResult {
  phase: Phase;
  decidedBy: PhaseDecidedBy;
  /** the value of the deciding slope (χ1 or χ_grad); with `decidedBy: "q_star"`, the slope that would have
   * decided it where it is defined (e.g. χ_grad = 1.25 for He init with dropout keep 0.8), else null */
  slope: number | null;
  /** which slope that value is */
  slopeName: "chi1" | "chi_grad";
  /** one sentence: why this phase */
  reason: string;
}

const SLOPE_TEXT = { chi1: "χ1", chi_grad: "χ_grad" } as const;

/**
 * The one phase rule (docs/THEORY.md §2): no positive fixed point q* (the variance diverges or vanishes) →
 * `unbounded` / `vanishing`; otherwise the deciding slope (`phaseSlope`): < 1 ordered, > 1 chaotic, within
 * EOC_TOL of 1 edge of chaos.
 */
export function classifyPhase(inp: PhaseInputs): PhaseResult {
  const slopeName = phaseSlope(inp.noise);
  const slope = slopeName === "chi_grad" ? inp.chiGrad : inp.chi1;
  const name = SLOPE_TEXT[slopeName];
  const val = slope === null ? "" : ` (${name} = ${+slope.toPrecision(6)})`;
  if (inp.qStatus === "diverges") {
    return {
      phase: "unbounded",
      decidedBy: "q_star",
      slope,
      slopeName,
      reason: `q^l grows without bound, so there is no variance fixed point q*${val}`,
    };
  }
  if (inp.qStatus === "vanishes") {
    return {
      phase: "vanishing",
      decidedBy: "q_star",
      slope,
      slopeName,
      reason: `q^l → 0, so there is no positive variance fixed point q*${val}`,
    };
  }
  if (slope === null) throw new Error(`phase: ${name} undefined with q* ${inp.qStatus}`);
  const why =
    slopeName === "chi_grad"
      ? "; with multiplicative noise the phase is decided by χ_grad = σ_w² μ2 E[φ′²], not χ1"
      : "";
  const phase: Phase = Math.abs(slope - 1) <= EOC_TOL ? "edge_of_chaos" : slope < 1 ? "ordered" : "chaotic";
  const cmp = phase === "ordered" ? "<" : ">";
  return {
    phase,
    decidedBy: slopeName,
    slope,
    slopeName,
    reason:
      (phase === "edge_of_chaos"
        ? `${name} = 1 to within ${EOC_TOL} (${name} = ${+slope.toPrecision(12)})`
        : `${name} = ${+slope.toPrecision(10)} ${cmp} 1`) + why,
  };
}

export interface ModelPhaseOptions {
  /** input variance q⁰ the variance iteration starts from (default 1) */
  q0?: number;
}

export interface ModelPhase extends PhaseResult {
  qStar: number | null;
  qStatus: QStatus;
  chi1: number | null;
  chiGrad: number | null;
}

/**
 * The phase of a model from q⁰: q* (fixedPoints.ts), χ1 and χ_grad at q* (at q⁰ for a scale-free map; the
 * q → 0 limits when q^l → 0 and φ(0) = 0), then `classifyPhase`. `analyze` gives the same phase.
 */
export function modelPhase(model: Model, options: ModelPhaseOptions = {}): ModelPhase {
  const q0 = options.q0 ?? 1;
  checkRange("q0", q0, 0, Number.MAX_VALUE, { loOpen: true });
  const qr = findQStar(model, q0);
  const s = phaseSlopes(model, qr.qForCorrelation, qr.status);
  return {
    ...classifyPhase({ noise: model.noise, qStatus: qr.status, ...s }),
    qStar: qr.qStar,
    qStatus: qr.status,
    ...s,
  };
}

/**
 * χ1 and χ_grad for the phase: at q (q* or q⁰ for a scale-free map); when q^l → 0 and φ(0) = 0 the network
 * becomes linear around 0 and the slopes take their q → 0 limits; null otherwise.
 */
export function phaseSlopes(
  model: Model,
  q: number | null,
  status: QStatus,
): { chi1: number | null; chiGrad: number | null } {
  if (q !== null) return { chi1: chi1Of(model, q), chiGrad: chiGradOf(model, q) };
  if (status === "vanishes" && model.activation.phi(0) === 0)
    return { chi1: chi1Of(model, 0), chiGrad: chiGradOf(model, 0) };
  return { chi1: null, chiGrad: null };
}
