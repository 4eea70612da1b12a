/**
 * A fully connected network with noise layers (THEORY.md §1) in jax-js, for training on real data.
 *
 * Layout: input (dim d₀) → `depth` hidden layers of `width` units → linear read-out (dim d_out).
 * Layer l = 1..depth+1 computes h^l = x^l W^l + b^l with x^1 = ε¹ ⊙ data and x^l = ε^l ⊙ φ(h^{l−1})
 * (multiplicative noise; additive: + ε^l), i.e. the noise acts on the input of **every** layer, the data
 * included, as in THEORY.md §1. The read-out is linear. Noise is sampled fresh per unit, example and step
 * during training and switched off for evaluation (inverted dropout keeps E[ε] = 1, so no rescaling).
 *
 * Weights: W^l_ij ~ N(0, σ_w²(l)/fan_in) (or orthogonal, `law: "orthogonal"`: see engine/weights.ts) and b^l_i ~ N(0, σ_b²) with the project's seeded ziggurat stream
 * (src/engine/rng.ts) and the engine's weight sampler, one independent stream per (seed, layer, purpose):
 * the same seed gives the same network whatever else is run.
 */
import { numpy as np, type Array as JArray } from "@jax-js/jax";
type Array = JArray;
import { looksLinearInit } from "../engine/looksLinear.js";
import { layerStream } from "../engine/network.js";
import { tensorActivation } from "../engine/tensor.js";
import { sampleBias, sampleWeights, type WeightLaw } from "../engine/weights.js";
import type { Activation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import { looksLinearProblem, looksLinearSlopeSum } from "./arch.js";
import type { Noise } from "../theory/noise.js";

export interface Layer {
  w: Array;
  b: Array;
}
export type Params = Layer[];

export interface MlpSpec {
  inputDim: number;
  width: number;
  /** number of hidden layers (the network has depth + 1 weight matrices) */
  depth: number;
  outputDim: number;
  activation: Activation;
  noise: Noise;
}

/** Per-layer weight variance: one σ_w² for all layers, or a function of (layer index from 1, fan_in, fan_out). */
export type WeightVariance = number | ((layer: number, fanIn: number, fanOut: number) => number);

/** How the initial weights are drawn: the engine's law (weights.ts; orthogonal: Haar, rectangular layers as a scaled isometry). */
export interface InitOptions {
  law?: WeightLaw;
  /**
   * The parameter-sharing ("looks-linear") construction of Burkholz & Dubatovka (2019), engine/looksLinear.ts:
   * hidden width 2N built from N-wide blocks W0 of the given law with variance scale σ_w² (a number), all
   * biases 0, so that the ReLU / leaky-ReLU network computes exactly the linear map W0^{L+1} ⋯ W0^1 x at
   * initialisation. Needs an even width and σ_b² = 0 (`looksLinearProblem`).
   */
  looksLinear?: boolean;
}

/** The looks-linear network's layers as training parameters (fan_in × fan_out, float32, zero biases). */
function looksLinearHost(
  spec: MlpSpec,
  sigmaW2: WeightVariance,
  sigmaB2: number,
  seed: number,
  law: WeightLaw,
): { w: Float32Array; b: Float32Array; fanIn: number; fanOut: number }[] {
  const problem = looksLinearProblem(spec, law);
  if (problem !== null) throw problem;
  if (typeof sigmaW2 !== "number")
    throw new InputError("sigmaW2", "a per-layer rule", "one number (the blocks' σ²) for looks-linear");
  if (sigmaB2 !== 0) throw new InputError("sigmaB2", String(sigmaB2), "0 (looks-linear has zero biases)");
  if (spec.depth < 1)
    throw new InputError("--depth", String(spec.depth), "≥ 1 hidden layer for looks-linear");
  const net = looksLinearInit({
    inputDim: spec.inputDim,
    width: spec.width / 2,
    outputDim: spec.outputDim,
    depth: spec.depth + 1,
    weights: law,
    sigma2: sigmaW2,
    seed,
    slopeSum: looksLinearSlopeSum(spec.activation),
  });
  return net.layers.map(({ rows, cols, w }) => {
    const t = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
    return { w: t, b: new Float32Array(rows), fanIn: cols, fanOut: rows };
  });
}

/** Layer sizes [d₀, N, …, N, d_out]. */
export function layerSizes(spec: MlpSpec): number[] {
  return [spec.inputDim, ...globalThis.Array.from({ length: spec.depth }, () => spec.width), spec.outputDim];
}

/** Host parameters of layer l (1-based) into the given buffers (w: fanIn·fanOut, b: fanOut). */
function sampleLayer(
  seed: number,
  l: number,
  fanIn: number,
  fanOut: number,
  sigmaW2: WeightVariance,
  sigmaB2: number,
  w: Float32Array,
  b: Float32Array,
  law: WeightLaw,
): void {
  const s2 = typeof sigmaW2 === "number" ? sigmaW2 : sigmaW2(l, fanIn, fanOut);
  const key = { seed, net: 0x77 };
  sampleWeights(layerStream(key, l, "weights"), { law, sigmaW2: s2, fanIn, fanOut, out: w });
  if (sigmaB2 > 0) sampleBias(layerStream(key, l, "bias"), sigmaB2, b);
  else b.fill(0);
}

/** Sample the initial parameters (host side) as Float32Arrays. */
export function sampleParamsHost(
  spec: MlpSpec,
  sigmaW2: WeightVariance,
  sigmaB2: number,
  seed: number,
  { law = "gaussian", looksLinear = false }: InitOptions = {},
): { w: Float32Array; b: Float32Array; fanIn: number; fanOut: number }[] {
  if (looksLinear) return looksLinearHost(spec, sigmaW2, sigmaB2, seed, law);
  const sizes = layerSizes(spec);
  const out = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1];
    const fanOut = sizes[l];
    const w = new Float32Array(fanIn * fanOut);
    const b = new Float32Array(fanOut);
    sampleLayer(seed, l, fanIn, fanOut, sigmaW2, sigmaB2, w, b, law);
    out.push({ w, b, fanIn, fanOut });
  }
  return out;
}

/**
 * Initial parameters as jax-js arrays (W stored fan_in × fan_out so that h = x W + b for row batches),
 * the same numbers as `sampleParamsHost`. Layers are sampled into one reused host buffer and uploaded
 * one at a time, so a deep network does not hold a second, host copy of all its weights.
 */
export function initParams(
  spec: MlpSpec,
  sigmaW2: WeightVariance,
  sigmaB2: number,
  seed: number,
  { law = "gaussian", looksLinear = false }: InitOptions = {},
): Params {
  if (looksLinear)
    return looksLinearHost(spec, sigmaW2, sigmaB2, seed, law).map(({ w, b, fanIn, fanOut }) => ({
      w: np.array(w, { shape: [fanIn, fanOut] }),
      b: np.array(b, { shape: [1, fanOut] }),
    }));
  const sizes = layerSizes(spec);
  let wbuf = new Float32Array(0);
  const out: Params = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1];
    const fanOut = sizes[l];
    if (wbuf.length < fanIn * fanOut) wbuf = new Float32Array(fanIn * fanOut);
    const w = wbuf.subarray(0, fanIn * fanOut);
    const b = new Float32Array(fanOut);
    sampleLayer(seed, l, fanIn, fanOut, sigmaW2, sigmaB2, w, b, law);
    out.push({ w: np.array(w, { shape: [fanIn, fanOut] }), b: np.array(b, { shape: [1, fanOut] }) });
  }
  return out;
}

/**
 * Forward pass on a row batch x (B × d₀), op by op (the reference for the per-layer blocks of step.ts).
 * `noise[l]` is ε of layer l + 1 (B × fan_in, as from step.ts' `sampleStepNoise`), applied to that
 * layer's input as THEORY.md §1 says (multiplicative ε ⊙ x or additive x + ε); `null` (or a null
 * entry) means no noise there, as in evaluation. Consumes params, x and the noise arrays.
 */
export function forward(
  spec: MlpSpec,
  params: Params,
  x: Array,
  noise: (Array | null)[] | null = null,
): Array {
  const phi = tensorActivation(spec.activation, { differentiable: true });
  const additive = spec.noise.type === "additive";
  let h = x;
  for (let l = 0; l < params.length; l++) {
    let inp = l === 0 ? h : phi(h);
    const e = noise?.[l] ?? null;
    if (e !== null) inp = additive ? np.add(inp, e) : np.multiply(inp, e);
    h = np.add(np.matmul(inp, params[l].w), params[l].b);
  }
  return h;
}

export type Task = "reconstruction" | "classification";

/** Mean squared error per example: mean over examples of Σ_j (out − target)² / d (the mean over all entries). */
export function mse(out: Array, target: Array): Array {
  return np.mean(np.square(np.subtract(out, target)));
}

/** Cross-entropy with integer labels given as a one-hot B × C float matrix: mean over examples. */
export function crossEntropy(logits: Array, onehot: Array): Array {
  const logp = np.subtract(logits.ref, logsumexpRows(logits));
  return np.negative(np.mean(np.sum(np.multiply(logp, onehot), 1)));
}

/** Row-wise log Σ exp, stabilised by the row max (shape B × 1). */
function logsumexpRows(x: Array): Array {
  const m = np.max(x.ref, 1, { keepdims: true });
  return np.add(np.log(np.sum(np.exp(np.subtract(x, m.ref)), 1, { keepdims: true })), m);
}

/** The loss of a task on network output and target (consumes both). */
export function taskLoss(task: Task, out: Array, target: Array): Array {
  return task === "reconstruction" ? mse(out, target) : crossEntropy(out, target);
}
