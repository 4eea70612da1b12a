/**
 * The theory Fig 6 draws, taken from src/theory (one source of truth per formula):
 *
 * - the critical initialisation of a ReLU network with dropout keep p, σ_w² = 2p (`criticalInit`;
 *   docs/THEORY.md §2 and Pretorius et al. 2018: σ_w² = 2/μ2 with μ2 = 1/p for dropout);
 * - the theory's trainable depth 6ξ_c (Schoenholz et al. 2017; Pretorius et al. 2018 §4): ξ_c = −1/ln χ_c(c*)
 *   at that critical point (`analyze`), ∞ without noise (p = 1);
 * - the float32 over/underflow depth L*(σ_w²) = (ln K − ln q⁰)/ln γ, γ = σ_w² μ2/2 (`overflowDepth`).
 */
import { parseActivation } from "../../../theory/activations.js";
import { analyze } from "../../../theory/analyze.js";
import { criticalInit } from "../../../theory/critical.js";
import { checkModel } from "../../../theory/model.js";
import { parseNoise } from "../../../theory/noise.js";
import { linspace } from "../common.js";

export { overflowDepth } from "../../../theory/critical.js";

/** The dropout noise spec of keep probability p. */
export function dropoutSpec(keep: number): string {
  return `dropout:keep=${keep}`;
}

/** Critical σ_w² of a ReLU network with dropout keep p (= 2p, from `criticalInit`). */
export function criticalSigmaW2(keep: number): number {
  const c = criticalInit(parseActivation("relu"), parseNoise(dropoutSpec(keep)));
  if (!c.exists || c.sigmaW2 === null) throw new Error(`no critical ReLU init at keep ${keep}: ${c.reason}`);
  return c.sigmaW2;
}

/** Theory trainable depth 6ξ_c for critical ReLU with dropout keep p (null at p = 1: ξ_c = ∞). */
export function trainableDepth(keep: number): number | null {
  const a = analyze(
    checkModel({
      activation: parseActivation("relu"),
      noise: parseNoise(dropoutSpec(keep)),
      sigmaW2: criticalSigmaW2(keep),
      sigmaB2: 0,
    }),
    { q0: 1, c0: 0.5 },
  );
  return a.trainableDepth !== null && Number.isFinite(a.trainableDepth) ? a.trainableDepth : null;
}

/** The theory curve 6ξ_c over p ∈ [lo, hi] (dense, for the overlay). */
export function trainableDepthCurve(lo: number, hi: number, n = 60): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (const p of linspace(lo, hi, n)) {
    const d = trainableDepth(p);
    if (d !== null) {
      x.push(p);
      y.push(d);
    }
  }
  return { x, y };
}
