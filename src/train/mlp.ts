/**
 * A fully connected network with noise layers (docs/THEORY.md §1) in jax-js, for training on real data.
 *
 * Layout: input (dim d₀) → `depth` hidden layers of `width` units → linear read-out (dim d_out).
 * Layer l = 1..depth+1 computes h^l = x^l W^l + b^l with x^1 = ε¹ ⊙ data and x^l = ε^l ⊙ φ(h^{l−1})
 * (multiplicative noise; additive: + ε^l), i.e. the noise acts on the input of **every** layer, the data
 * included, as in docs/THEORY.md §1. The read-out is linear. Noise is sampled fresh per unit, example and step
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
  /**
   * Batch normalisation of every hidden layer (default off; Ioffe & Szegedy 2015, as Yang et al. 2019 and
   * Hayou et al. 2019 use it): see `batchStandardize` for where it sits and what is learned.
   */
  batchnorm?: boolean;
  /** Residual connections of the hidden layers (default "none"); see `layerRoles`. */
  residual?: ResidualKind;
}

export type ResidualKind = "none" | "reduced" | "full";

/**
 * What each weight layer (0-based, in `layerSizes` order) does:
 * - `input`: what it multiplies — the data (layer 0), φ of the previous layer's output, or that output
 *   itself (the inner layer of a full residual block);
 * - `bn`: its product a·W is batch-normalised before its bias is added (`batchStandardize`);
 * - `skip`: the index of an earlier layer whose output is added to this layer's output, or −1;
 * - `noisy`: the noise ε acts on its input (docs/THEORY.md §1: the data and every φ(h); not the residual
 *   stream fed to a full block's inner layer — the theory's noise sits on φ(h^l) before V^l).
 *
 * Plain (docs/THEORY.md §1): h¹ = ε ⊙ x W¹ + b¹, h^l = ε ⊙ φ(h^{l−1}) W^l + b^l, output φ(h^L) W^{L+1} + b^{L+1}.
 * `reduced` (Hayou et al. 2019; theory/residual.ts): the hidden layers 2..L become
 *   y^l = y^{l−1} + ε ⊙ φ(y^{l−1}) W^l + b^l,
 * the first layer embeds the data (y¹ = x W¹ + b¹, no skip: the widths differ) and the read-out is the
 * plain φ(y^L) W + b.
 * `full` (Yang & Schoenholz 2017; theory/residual.ts): after the embedding x¹ = x W¹ + b¹, each of the
 * L − 1 blocks has two matrices, h^l = x^{l−1} W^l + b^l and x^l = x^{l−1} + ε ⊙ φ(h^l) V^l + a^l, then the
 * read-out φ(x^L) W + b: 2L weight layers in all, V^l ~ N(0, σ_v²/N), a^l ~ N(0, σ_a²).
 */
export interface LayerRole {
  input: "data" | "phi" | "identity";
  bn: boolean;
  skip: number;
  noisy: boolean;
}

/** The role of every weight layer of `spec` (see `LayerRole`). */
export function layerRoles(spec: MlpSpec): LayerRole[] {
  const res = spec.residual ?? "none";
  const bn = spec.batchnorm === true;
  const roles: LayerRole[] = [{ input: "data", bn: bn && spec.depth >= 1, skip: -1, noisy: true }];
  if (res === "full") {
    for (let k = 1; k < spec.depth; k++) {
      roles.push({ input: "identity", bn, skip: -1, noisy: false });
      roles.push({ input: "phi", bn, skip: roles.length - 2, noisy: true });
    }
  } else {
    for (let l = 1; l < spec.depth; l++)
      roles.push({ input: "phi", bn, skip: res === "reduced" ? l - 1 : -1, noisy: true });
  }
  if (spec.depth >= 1) roles.push({ input: "phi", bn: false, skip: -1, noisy: true });
  return roles;
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
  /** `residual: "full"`: variance scale σ_v² of each block's second matrix V (default 1, as theory/residual.ts) */
  sigmaV2?: number;
  /** `residual: "full"`: variance σ_a² of each block's second bias a (default 0) */
  sigmaA2?: number;
}

/** σ_w², σ_b² of layer l (0-based): the block's V, a for the second layer of a full residual block. */
function layerVariances(
  spec: MlpSpec,
  sigmaW2: WeightVariance,
  sigmaB2: number,
  opts: InitOptions,
): (l: number) => [WeightVariance, number] {
  const roles = layerRoles(spec);
  return (l) =>
    spec.residual === "full" && roles[l].skip >= 0
      ? [opts.sigmaV2 ?? 1, opts.sigmaA2 ?? 0]
      : [sigmaW2, sigmaB2];
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
  if (spec.depth < 1) throw new InputError("depth", String(spec.depth), "≥ 1 hidden layer for looks-linear");
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

/** Layer sizes [d₀, N, …, N, d_out]: depth hidden widths (2·depth − 1 with `residual: "full"`). */
export function layerSizes(spec: MlpSpec): number[] {
  const hidden = spec.residual === "full" && spec.depth >= 1 ? 2 * spec.depth - 1 : spec.depth;
  return [spec.inputDim, ...globalThis.Array.from({ length: hidden }, () => spec.width), spec.outputDim];
}

/** ε of batch normalisation (PyTorch's default), added to the batch variance. */
export const BN_EPS = 1e-5;

/**
 * Batch normalisation (Ioffe & Szegedy 2015, Alg. 1, with γ ≡ 1), per feature over the rows of a batch:
 *   μ_j = mean_r z_rj,   v_j = mean_r (z_rj − μ_j)²  (the biased batch variance),   s_j = 1/√(v_j + ε),
 *   ẑ_rj = (z_rj − μ_j) s_j.
 * Where it sits: on the product z = a W of every **hidden** layer, before the layer's bias and before φ:
 *   h^l = BN(a^l W^l) + b^l,   a^{l+1} = φ(h^l)
 * (the read-out is not normalised). There is **no learned scale** (γ ≡ 1); the layer's bias b^l, which
 * BN's mean subtraction would cancel if it came before, sits after the standardisation and **is** BN's
 * learned shift β. With γ fixed, ReLU-family networks lose nothing (φ(γ x) = γ φ(x) is absorbed by the
 * next W); for other φ it is a restriction, stated here. At initialisation (b = 0 or N(0, σ_b²)) this is
 * the "BN layer" of Yang et al. (2019) and of Hayou et al. (2019)'s EOC + BN arm.
 * Hand-written backward (step.ts), with g = ∂loss/∂ẑ: ∂z = s ⊙ (g − mean_r g − ẑ ⊙ mean_r(g ⊙ ẑ)).
 * Returns [ẑ, s] (s as 1 × N). Consumes z.
 */
export function batchStandardize(z: Array): [Array, Array] {
  const mu = np.mean(z.ref, 0, { keepdims: true });
  const c = np.subtract(z, mu);
  const v = np.mean(np.square(c.ref), 0, { keepdims: true });
  const inv = np.reciprocal(np.sqrt(np.add(v, BN_EPS)));
  return [np.multiply(c, inv.ref), inv];
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
  opts: InitOptions = {},
): { w: Float32Array; b: Float32Array; fanIn: number; fanOut: number }[] {
  const { law = "gaussian", looksLinear = false } = opts;
  if (looksLinear) return looksLinearHost(spec, sigmaW2, sigmaB2, seed, law);
  const sizes = layerSizes(spec);
  const variances = layerVariances(spec, sigmaW2, sigmaB2, opts);
  const out = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1];
    const fanOut = sizes[l];
    const w = new Float32Array(fanIn * fanOut);
    const b = new Float32Array(fanOut);
    sampleLayer(seed, l, fanIn, fanOut, ...variances(l - 1), w, b, law);
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
  opts: InitOptions = {},
): Params {
  const { law = "gaussian", looksLinear = false } = opts;
  if (looksLinear)
    return looksLinearHost(spec, sigmaW2, sigmaB2, seed, law).map(({ w, b, fanIn, fanOut }) => ({
      w: np.array(w, { shape: [fanIn, fanOut] }),
      b: np.array(b, { shape: [1, fanOut] }),
    }));
  const sizes = layerSizes(spec);
  const variances = layerVariances(spec, sigmaW2, sigmaB2, opts);
  let wbuf = new Float32Array(0);
  const out: Params = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1];
    const fanOut = sizes[l];
    if (wbuf.length < fanIn * fanOut) wbuf = new Float32Array(fanIn * fanOut);
    const w = wbuf.subarray(0, fanIn * fanOut);
    const b = new Float32Array(fanOut);
    sampleLayer(seed, l, fanIn, fanOut, ...variances(l - 1), w, b, law);
    out.push({ w: np.array(w, { shape: [fanIn, fanOut] }), b: np.array(b, { shape: [1, fanOut] }) });
  }
  return out;
}

/**
 * Forward pass on a row batch x (B × d₀), op by op (the reference for the per-layer blocks of step.ts),
 * for every architecture of `layerRoles` (batch normalisation with the batch's own statistics, as in
 * training). `noise[l]` is ε of layer l + 1 (B × fan_in, as from step.ts' `sampleStepNoise`), applied to
 * that layer's input as docs/THEORY.md §1 says (multiplicative ε ⊙ x or additive x + ε); `null` (or a null
 * entry, and always for a layer whose role is not `noisy`) means no noise there, as in evaluation.
 * Consumes params, x and the noise arrays.
 */
export function forward(
  spec: MlpSpec,
  params: Params,
  x: Array,
  noise: (Array | null)[] | null = null,
): Array {
  const phi = tensorActivation(spec.activation, { differentiable: true });
  const additive = spec.noise.type === "additive";
  const roles = layerRoles(spec);
  // every output is read by the next layer and by at most one skip; the last read takes it
  const reads = roles.map(() => 0);
  roles.forEach((r, l) => {
    if (l > 0) reads[l - 1]++;
    if (r.skip >= 0) reads[r.skip]++;
  });
  const outs: Array[] = [];
  const take = (k: number): Array => (--reads[k] > 0 ? outs[k].ref : outs[k]);
  for (let l = 0; l < params.length; l++) {
    const r = roles[l];
    let inp = r.input === "data" ? x : r.input === "phi" ? phi(take(l - 1)) : take(l - 1);
    const e = noise?.[l] ?? null;
    if (e !== null) {
      if (r.noisy) inp = additive ? np.add(inp, e) : np.multiply(inp, e);
      else e.dispose();
    }
    let z = np.matmul(inp, params[l].w);
    if (r.bn) {
      const [zHat, s] = batchStandardize(z);
      s.dispose();
      z = zHat;
    }
    let h = np.add(z, params[l].b);
    if (r.skip >= 0) h = np.add(h, take(r.skip));
    outs.push(h);
  }
  return outs[outs.length - 1];
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
