/**
 * The engine: random networks, one core with a float64 and a jax-js adapter (STYLE.md "one core, thin
 * adapters"). Layer: numerics → theory → engine → sim / spectra / train.
 *
 * - rng.ts: `Stream`, the one keyed RNG (xoshiro128** + ziggurat normals);
 * - haar.ts: `haarOrthogonal(stream, n)`, the one Haar sampler (tensor.ts has its blocked float32 form);
 * - weights.ts: `sampleWeights`, `sampleBias`, the one weight sampler (Gaussian / orthogonal);
 * - noise.ts: the noise laws (`noiseLaw`, `fillNoise`, `isActive`); tensor.ts `applyNoiseKey` draws them
 *   from jax-js keys;
 * - network.ts: `NetworkSpec`, `NetworkKey`, keyed per-layer sampling;
 * - forward64.ts: the float64 forward pass (plain TypeScript);
 * - tensor.ts: the jax-js forward pass, `tensorActivation` (each activation's tensor view on jax-js ops).
 *
 * Importing this index loads jax-js (tensor.ts); plain-TypeScript users can import the other files directly.
 */
export { Stream, hash32 } from "./rng.js";
export { haarOrthogonal } from "./haar.js";
export {
  sampleWeights,
  sampleBias,
  WEIGHT_LAWS,
  parseWeightLaw,
  type WeightLaw,
  type WeightOptions,
  type HaarSampler,
} from "./weights.js";
export { noiseLaw, fillNoise, isActive, POISSON1_CDF, type NoiseLaw, type NoiseSource } from "./noise.js";
export {
  layerStream,
  sampleLayer,
  sampleLayerNoise,
  PURPOSE,
  type NetworkKey,
  type NetworkSpec,
} from "./network.js";
export { forward64, type Forward64, type Forward64Options } from "./forward64.js";
export {
  JAX_OPS,
  tensorActivation,
  hostActivation,
  haarOrthogonalBlocked,
  BLOCKED_MIN,
  applyNoise,
  applyNoiseKey,
  forwardTensor,
  Scratch,
  type ArrayFn,
} from "./tensor.js";
