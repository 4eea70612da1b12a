/**
 * Gradient growth per layer of batch-normalised networks in the large-batch limit (Yang, Pennington, Rao,
 * Sohl-Dickstein & Schoenholz 2019, "A mean field theory of batch normalization"; their ReLU value
 * π/(π−1) ≈ 1.46694).
 *
 * Network: h^l = W^l x^{l−1} (W_ij ~ N(0, σ_w²/N)), y^l = BN(h^l) per neuron over a batch of B inputs,
 * x^l = φ(y^l); BN(h) = (h − mean_B h)/std_B h with the biased batch variance, so y has batch mean 0 and
 * batch variance 1 (no learned affine part; σ_w and biases drop out since BN is shift and scale invariant).
 *
 * Derivation (mean field, gradient independence as in the paper). For one neuron with batch vector
 * h ∈ R^B, let G = I − 11ᵀ/B and n = Gh/‖Gh‖, so y = √B n and the BN Jacobian is
 *   ∂y/∂h = (√B/‖Gh‖)(G − n nᵀ) =: (√B/‖Gh‖) P.
 * Backward: with g = ∂L/∂x^l (entries of variance γ, independent of the forward pass),
 *   ∂L/∂h = (√B/‖Gh‖) P (φ′(y) ⊙ g),    ∂L/∂x^{l−1} = W^lᵀ ∂L/∂h,
 * and per batch element ‖Wᵀ M‖² ≈ σ_w² ‖M‖² (rows of W independent, variance σ_w²/N). In the batch limit
 * the BN fixed point is permutation symmetric, Gh is isotropic in the centred (B−1)-space, and
 * y = √B n has N(0, 1) marginals; ‖Gh‖²/B → σ_w² s with s = mean over neurons of the batch variance of
 * x^{l−1} = φ(y^{l−1}), i.e. s = Var[φ(z)]; and E‖P(φ′(y) ⊙ g)‖² = γ Σ_b φ′(y_b)² P_bb = γ B E[φ′(z)²]
 * (1 + O(1/B)), since P_bb = 1 − (1 + y_b²)/B. Hence the squared gradient norm grows per layer by
 *   λ = σ_w² · E[φ′(z)²] / (σ_w² Var[φ(z)]) = E[φ′(z)²] / (E[φ(z)²] − E[φ(z)]²),   z ~ N(0, 1).
 * ReLU: E[φ′²] = ½, Var φ = ½ − 1/(2π), so λ = π/(π−1) (the paper's value). Linear φ: λ = 1. Every
 * non-linear φ has λ > 1 (by the Gaussian Poincaré inequality Var φ(z) ≤ E[φ′(z)²], equality only for
 * affine φ): batch norm makes gradients explode regardless of φ. Finite batches add O(1/B) corrections
 * (not computed here; the Monte Carlo in test/theory/batchnorm.test.ts fits them).
 */
import type { Activation } from "./activations.js";
import { eDphi2, ePhi, ePhi2 } from "./expectations.js";

export interface BatchNormGrowth {
  /** λ = E[φ′(z)²]/Var[φ(z)], the large-batch per-layer growth of the squared gradient norm */
  gradientGrowth: number;
  /** E[φ′(z)²] at z ~ N(0, 1) */
  dphi2: number;
  /** Var[φ(z)] at z ~ N(0, 1) */
  variance: number;
  /** layers over which the squared gradient norm grows by e: 1/ln λ (null when λ = 1) */
  depthScale: number | null;
}

/** The large-batch gradient growth of a batch-normalised network with activation φ (module doc). */
export function batchNormGradientGrowth(act: Activation): BatchNormGrowth {
  const d2 = eDphi2(act, 1);
  const m1 = ePhi(act, 1);
  const variance = ePhi2(act, 1) - m1 * m1;
  const lambda = d2 / variance;
  return {
    gradientGrowth: lambda,
    dphi2: d2,
    variance,
    depthScale: lambda === 1 ? null : 1 / Math.log(lambda),
  };
}
