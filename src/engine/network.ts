/**
 * The random network of docs/THEORY.md §1, as every adapter samples it:
 *   multiplicative noise: h^l = (ε^l ⊙ φ(h^{l−1})) W^l + b^l
 *   additive noise:       h^l = (φ(h^{l−1}) + ε^l) W^l + b^l,        l = 1..L,
 * for a row batch of B inputs h⁰ (B × N). W^l, b^l are sampled once per network and shared by all B
 * inputs (the network is reused across inputs); ε^l is fresh per unit, per input and per pass.
 *
 * Randomness is keyed: network `net` of seed `seed` draws W^l, b^l, ε^l and its inputs from
 * `Stream(seed, net, l, purpose)` (rng.ts). So the same key gives the same network in every adapter
 * (float64 forward64.ts, jax-js tensor.ts), and network k is the same whatever else was run before.
 */
import type { Model } from "../theory/model.js";
import { fillNoise } from "./noise.js";
import { Stream } from "./rng.js";
import { sampleBias, sampleWeights, type HaarSampler, type WeightLaw } from "./weights.js";

/** The architecture and laws of a random network (width N in every layer, input dimension N). */
export interface NetworkSpec {
  /** activation φ, noise ε, σ_w², σ_b² */
  model: Model;
  width: number;
  depth: number;
  weights: WeightLaw;
}

/** Which network: seed and index among the independent networks of one experiment. */
export interface NetworkKey {
  seed: number;
  net: number;
}

/** Stream purposes (fourth id of a stream; the third is the layer, 0 for inputs). */
export const PURPOSE = { weights: 1, bias: 2, noise: 3, inputs: 4 } as const;

/** The stream of one (network, layer, purpose). */
export function layerStream(key: NetworkKey, layer: number, purpose: keyof typeof PURPOSE): Stream {
  return new Stream(key.seed, key.net, layer, PURPOSE[purpose]);
}

/**
 * W^l (fan_in × fan_out row-major, H = X·W) and b^l (null when σ_b² = 0: nothing is drawn) of layer l
 * into the given buffers; their type sets the precision.
 */
export function sampleLayer<T extends Float32Array | Float64Array>(
  spec: NetworkSpec,
  key: NetworkKey,
  layer: number,
  buffers: { w: T; b: T; haar?: HaarSampler },
): { w: T; b: T | null } {
  const { model, width: n } = spec;
  const w = sampleWeights(layerStream(key, layer, "weights"), {
    law: spec.weights,
    sigmaW2: model.sigmaW2,
    fanIn: n,
    out: buffers.w,
    haar: buffers.haar,
  });
  const b = model.sigmaB2 > 0 ? sampleBias(layerStream(key, layer, "bias"), model.sigmaB2, buffers.b) : null;
  return { w, b };
}

/** ε^l for a B × N batch (row-major) into `out`, or null when the noise is the identity. */
export function sampleLayerNoise<T extends Float32Array | Float64Array>(
  spec: NetworkSpec,
  key: NetworkKey,
  layer: number,
  out: T,
): T | null {
  return fillNoise(out, spec.model.noise, layerStream(key, layer, "noise"));
}
