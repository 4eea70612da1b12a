/**
 * The one weight and bias sampler for every random network (simulation, spectra, finite-width checks,
 * SVCCA, training initialisation), for the model in docs/THEORY.md §1:
 *   Gaussian:   W_ij ~ N(0, σ_w²/fan_in)   (E[WWᵀ] = σ_w² I for square layers)
 *   orthogonal: W = σ_w Q, Q Haar on O(N)  (square layers; WWᵀ = σ_w² I). A rectangular fan_in × fan_out
 *               layer takes the top-left fan_in × fan_out block of a Haar M × M matrix, M = max(fan_in,
 *               fan_out), times σ_w √(M/fan_in): a Haar-distributed isometry up to scale (orthonormal
 *               columns when fan_in ≥ fan_out, orthonormal rows when fan_in ≤ fan_out), whose entries have
 *               the Gaussian law's variance σ_w²/fan_in, so every output unit of h = x W has variance
 *               σ_w² ‖x‖²/fan_in exactly as in the mean-field map (the wide-to-narrow first layer of a
 *               training MLP is a scaled projection, the narrow-to-wide one a scaled embedding).
 *   bias:       b_i ~ N(0, σ_b²)
 * Layout: row-major fan_in × fan_out, so a row batch X (B × fan_in) maps to H = X·W (the transpose of
 * THEORY's W, which is out × in; both laws are invariant under transposition). The float64 adapter
 * (forward64.ts) and the jax-js adapter (tensor.ts) call this with the same stream and get the same matrix.
 */
import { InputError } from "../theory/errors.js";
import type { WeightLaw } from "../theory/spectrum/moments.js";
import { haarOrthogonal } from "./haar.js";
import type { Stream } from "./rng.js";

export type { WeightLaw } from "../theory/spectrum/moments.js";
export { WEIGHT_LAWS, parseWeightLaw } from "../theory/spectrum/moments.js";

/** A Haar sampler with the project's argument order; the tensor adapter passes a blocked float32 one. */
export type HaarSampler = (stream: Stream, n: number) => Float32Array | Float64Array;

export interface WeightOptions<T extends Float32Array | Float64Array> {
  law: WeightLaw;
  /** σ_w² (the variance scale: Var W_ij = σ_w²/fan_in) */
  sigmaW2: number;
  fanIn: number;
  /** default fanIn (square) */
  fanOut?: number;
  /** destination, length fanIn·fanOut; its type sets the precision */
  out: T;
  /** Haar sampler for the orthogonal law (default: the float64 CGS2 of haar.ts) */
  haar?: HaarSampler;
}

/** Fill `opts.out` with one layer's weights (see the module doc for the laws and the layout). */
export function sampleWeights<T extends Float32Array | Float64Array>(
  stream: Stream,
  opts: WeightOptions<T>,
): T {
  const { law, sigmaW2, fanIn, out } = opts;
  const fanOut = opts.fanOut ?? fanIn;
  if (out.length !== fanIn * fanOut)
    throw new RangeError(`weights buffer has ${out.length} entries, expected ${fanIn}·${fanOut}`);
  const sw = Math.sqrt(sigmaW2);
  if (law === "gaussian") return stream.fillNormal(out, sw / Math.sqrt(fanIn)) as T;
  if (law !== "orthogonal") throw new InputError("weights", String(law), "gaussian | orthogonal");
  const m = Math.max(fanIn, fanOut);
  const q = (opts.haar ?? haarOrthogonal)(stream, m);
  const scale = sw * Math.sqrt(m / fanIn);
  for (let i = 0; i < fanIn; i++) for (let j = 0; j < fanOut; j++) out[i * fanOut + j] = scale * q[i * m + j];
  return out;
}

/** Fill `out` with biases b_i ~ N(0, σ_b²). */
export function sampleBias<T extends Float32Array | Float64Array>(
  stream: Stream,
  sigmaB2: number,
  out: T,
): T {
  return stream.fillNormal(out, Math.sqrt(sigmaB2)) as T;
}
