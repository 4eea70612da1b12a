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
 * With noise (THEORY.md §2) the critical condition is χ_grad = σ_w² m E[φ′²] = 1, m = μ2 (multiplicative)
 * or 1 (additive), and the fixed point of the noisy variance map:
 *   multiplicative  σ_w² = 1/(μ2 E[φ′²]),  σ_b² = q* − E[φ²]/E[φ′²]            (σ_b² as without noise)
 *   additive        σ_w² = 1/E[φ′²],       σ_b² = q* − (E[φ²] + μ2)/E[φ′²]
 */
import type { Activation } from "../activations.js";
import { InputError, checkRange } from "../errors.js";
import { eDphi2, ePhi2 } from "../expectations.js";
import { varianceMapSlope } from "../maps.js";
import { makeNoise, type Noise } from "../noise.js";

export interface QStarCritical {
  activation: string;
  q_star: number;
  sigma_w2: number;
  sigma_b2: number;
  /** P(φ′ = 1) for piecewise-linear φ, else null */
  p: number | null;
  /** V′(q*) (< 1: the fixed point is stable) */
  chi_q: number;
  stable: boolean;
}

/**
 * σ_w², σ_b² that make q* a fixed point with χ1 = 1 (χ_grad = 1 with multiplicative noise; see module
 * doc). InputError when σ_b² would be negative.
 */
export function criticalFromQStar(act: Activation, qStar: number, noise?: Noise): QStarCritical {
  checkRange("--q-star", qStar, 0, Number.MAX_VALUE, { loOpen: true });
  const d2 = eDphi2(act, qStar);
  if (!(d2 > 0)) throw new InputError("--q-star", String(qStar), "a q* with E[φ′(√q* z)²] > 0");
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
      "--q-star",
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
    q_star: qStar,
    sigma_w2: sigmaW2,
    sigma_b2: sigmaB2,
    p: act.piecewiseLinear01 ? d2 : null,
    chi_q: chiQ,
    stable: Math.abs(chiQ) < 1,
  };
}

/** P(φ′ = 1) at variance q for the piecewise-linear class; InputError for other φ. */
export function activeFraction(act: Activation, q: number): number {
  if (!act.piecewiseLinear01) {
    throw new InputError("--activation", act.spec, "relu | hard_tanh | shifted_relu:alpha=A (φ′ ∈ {0, 1})");
  }
  return eDphi2(act, q);
}
