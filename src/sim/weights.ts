/**
 * Weight and bias samplers for one layer of the model in THEORY.md §1.
 *   Gaussian:   W_ij ~ N(0, σ_w²/N)   (fan-in; E[WWᵀ] = σ_w² I)
 *   orthogonal: W = σ_w Q, Q Haar on O(N)   (WWᵀ = σ_w² I; float64-exact below N = 256, ≈ 1e-6 above)
 *   bias:       b_i ~ N(0, σ_b²)
 * The forward pass multiplies row-batched inputs, H ← X·W (X is B×N), so the array used is the transpose of
 * THEORY's W; both laws are invariant under transposition.
 */
import { BLOCKED_MIN, haarOrthogonal, haarOrthogonalBlocked } from "./orthogonal.js";
import type { Stream } from "./rng.js";

export type WeightLaw = "gaussian" | "orthogonal";

/** Fill `out` (length N², row-major) with one layer's weights. */
export function sampleWeights(
  stream: Stream,
  n: number,
  sigmaW2: number,
  law: WeightLaw,
  out: Float32Array,
): Float32Array {
  const sw = Math.sqrt(sigmaW2);
  if (law === "gaussian") return stream.fillNormal(out, sw / Math.sqrt(n)) as Float32Array;
  const q = n >= BLOCKED_MIN ? haarOrthogonalBlocked(stream, n) : haarOrthogonal(stream, n);
  for (let i = 0; i < q.length; i++) out[i] = sw * q[i];
  return out;
}

/** Biases b_i ~ N(0, σ_b²), length N. */
export function sampleBias(stream: Stream, n: number, sigmaB2: number): Float32Array {
  return stream.fillNormal(new Float32Array(n), Math.sqrt(sigmaB2)) as Float32Array;
}
