/**
 * Monte Carlo simulation of random noisy networks (docs/THEORY.md §1, §4): public API.
 *
 * Every function samples `networks` independent networks of the model in docs/THEORY.md §1 (weights
 * W_ij ~ N(0, σ_w²/N) or σ_w·Haar-orthogonal, biases b_i ~ N(0, σ_b²), noise ε resampled per unit, per
 * input and per pass), reuses each sampled network for all inputs (all inputs in one batch),
 * and reports per-layer statistics as mean and sample standard deviation (n − 1) over networks.
 * Inputs are the rows of one B×N batch (H ← X·W with W the transpose of THEORY's, same law), which is
 * jax-js' fast matmul layout. Cost per network-layer: N² normals + one B×N·N×N matmul (explicit route), or
 * B·N normals + two B×B×N matmuls (conditional route, Gaussian weights, the default when 2B ≤ N);
 * memory O(N² + BN).
 *
 * Randomness: every (seed, network, layer, purpose) owns a reproducible xoshiro128** stream (src/engine/rng.ts) for
 * weights (ziggurat normals), biases, noise and inputs, so the same seed gives bit-identical results and
 * network k is the same network whatever the number of networks. (jax-js' own `random` was measured 3–5×
 * slower for normals and leaked ≈ 0.75 kB of jax-js heap per fresh key; see src/engine/tensor.ts.)
 * Weights: Gaussian W_ij ~ N(0, σ_w²/N), or σ_w × Haar orthogonal (Gram–Schmidt, src/engine/haar.ts).
 * The random network itself (spec, sampling, forward pass) is the engine's (src/engine/); this module
 * owns the experiments: inputs, statistics over layers and networks.
 *
 * Inputs h⁰ are exactly normalised: each input column has empirical variance (1/N)Σ(h⁰_i)² = q⁰ exactly,
 * and each correlation pair has raw normalised inner product exactly c⁰ (Gram–Schmidt on two Gaussian
 * vectors), so layer 0 carries no sampling error and layer l matches the maps applied l times.
 *
 * The Monte Carlo of the exact finite-width ReLU law (src/sim/finiteWidth.ts, float64 on the engine's
 * forward pass) lives in this folder too, as its own public entry `sigprop/finite-width`.
 */
import type { Model } from "../theory/model.js";
import type { WeightLaw } from "../theory/spectrum/moments.js";
import type { LayerRoute } from "../engine/tensor.js";

export interface SimConfig {
  model: Model;
  /** width N of every layer (input dimension too) */
  width: number;
  /** number of layers L */
  depth: number;
  /** number of independent networks */
  networks: number;
  /** seed (integer in [0, 2³²)); same seed → identical numbers */
  seed: number;
  weights: WeightLaw;
  /**
   * inputs per q⁰ (variance map) or input pairs per c⁰ (dynamics, correlation map) per network, averaged
   * within each network (default 1); more inputs average out the noise, not the network-to-network spread
   */
  pairs?: number;
  /**
   * how Gaussian layers are applied (src/engine/tensor.ts `LayerRoute`): "auto" (default) samples each
   * layer's outputs from their exact conditional law given its inputs when 2B ≤ N (B·N normals instead
   * of N²), "explicit" samples W^l; both are the same law, not the same numbers
   */
  route?: LayerRoute;
  /**
   * worker threads for the independent networks (default 1: this thread). Node only; the numbers are
   * identical for any value (network k depends only on seed and k; src/engine/parallel.ts)
   */
  threads?: number;
}

/** Per-layer (or per-input) statistic over networks; for dynamics index l = 0..depth (0 = input layer). */
export interface LayerStats {
  mean: number[];
  std: number[];
}

export interface DynamicsResult {
  /** empirical variance (1/N)Σ(h^l_i)², averaged over the inputs of each network */
  variance: LayerStats;
  /** raw normalised inner product ⟨h_a,h_b⟩/(|h_a||h_b|), one entry per c⁰ */
  correlation: LayerStats[];
  /** number of networks that produced each statistic (the std is over these) */
  networks: number;
  /** per-network values: variance[net][layer], correlation[k][net][layer] (k indexes c⁰) */
  samples: { variance: number[][]; correlation: number[][][] };
}

export type Progress = (done: number, total: number) => void;

export { simulateDynamics, simulateVarianceMap, simulateCorrelationMap } from "./simulate.js";
export {
  asymptoticStart,
  decayWindow,
  fitDepthScale,
  type DecayWindow,
  type DepthScaleFit,
  type DepthScaleFitOptions,
} from "./fit.js";
export { initJax, jaxVersion } from "./jax.js";
export { zScores, maxAbsZ, nonFiniteEntries } from "./compare.js";
