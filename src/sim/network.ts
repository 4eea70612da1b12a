/**
 * Forward pass of one sampled random network (THEORY.md §1) over a batch of B inputs held as rows:
 *   multiplicative noise: H^l = (ε^l ⊙ φ(H^{l−1})) W^l + b^l
 *   additive noise:       H^l = (φ(H^{l−1}) + ε^l) W^l + b^l
 * Every layer's W^l, b^l is sampled once and shared by all B inputs (the network is reused across inputs);
 * ε^l is fresh per unit, per input and per pass. Memory: one N×N weight buffer plus a few B×N batches.
 *
 * Randomness: W^l, b^l and ε^l each from their own `Stream(seed, net, l, purpose)` (rng.ts), so results are
 * identical for the same seed regardless of how many networks or layers are run before.
 */
import { numpy as np, type Array } from "@jax-js/jax";
import type { Model } from "../theory/model.js";
import { simActivation } from "./activation.js";
import { applyNoise, sampleNoise } from "./noise.js";
import { Stream } from "./rng.js";
import { sampleBias, sampleWeights, type WeightLaw } from "./weights.js";

/** Stream purposes (third id of a per-layer stream). */
const WEIGHTS = 1;
const BIAS = 2;
const NOISE = 3;

export interface NetworkSpec {
  model: Model;
  width: number;
  depth: number;
  weights: WeightLaw;
  seed: number;
  /** index of this network among the independent networks */
  net: number;
}

/** Reusable scratch buffers (one N×N weight buffer) so a run allocates O(N²) once. */
export class Scratch {
  readonly w: Float32Array;
  constructor(readonly width: number) {
    this.w = new Float32Array(width * width);
  }
}

/**
 * Run one network on the row batch `h0` (B×N float32, row-major). After each layer l = 1..depth,
 * `onLayer(l, H^l)` receives the pre-activations as a B×N Float32Array (a copy owned by the caller).
 */
export async function forwardNetwork(
  spec: NetworkSpec,
  h0: Float32Array,
  scratch: Scratch,
  onLayer: (layer: number, h: Float32Array) => void,
): Promise<void> {
  const n = spec.width;
  const b = h0.length / n;
  const { model } = spec;
  const phi = simActivation(model.activation);
  let h: Array = np.array(h0, { shape: [b, n] });
  try {
    for (let l = 1; l <= spec.depth; l++) {
      const eps = sampleNoise(new Stream(spec.seed, spec.net, l, NOISE), model.noise, b * n);
      const x = applyNoise(phi(h), model.noise, eps);
      sampleWeights(new Stream(spec.seed, spec.net, l, WEIGHTS), n, model.sigmaW2, spec.weights, scratch.w);
      let next = np.matmul(x, np.array(scratch.w, { shape: [n, n] }));
      if (model.sigmaB2 > 0) {
        const bias = sampleBias(new Stream(spec.seed, spec.net, l, BIAS), n, model.sigmaB2);
        next = np.add(next, np.array(bias, { shape: [1, n] }));
      }
      h = next;
      const data = (await h.ref.data()) as Float32Array;
      onLayer(l, data);
    }
  } finally {
    if (h.refCount > 0) h.dispose();
  }
}
