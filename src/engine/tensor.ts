/**
 * The jax-js (float32) adapter of the random network (network.ts), and the tensor forms of the engine's
 * pieces:
 * - `JAX_OPS`: jax-js's np/nn/lax as the theory's `TensorOps`, so each catalogue activation's tensor view
 *   runs on jax-js arrays (`tensorActivation`); no activation is looked up by name;
 * - `haarOrthogonalBlocked`: the Haar sampler of haar.ts with float32 jax-js matmuls (N ≥ BLOCKED_MIN);
 * - `applyNoise` (ε drawn on the host by noise.ts from a `Stream`) and `applyNoiseKey` (ε drawn from a
 *   jax-js PRNG key inside `jit`, for training), both following `noiseLaw`;
 * - `forwardTensor`: one sampled network over a row batch, the simulation's forward pass.
 *
 * Custom φ without a tensor view (the only route that is not a view): `phi` is applied on the host in
 * float64 and rounded to float32, so the result is exact to float32 rounding; it costs one device→host→
 * device copy of the B×N batch per layer and cannot be traced (`jit`, `grad`): `tensorActivation(act,
 * { differentiable: true })` refuses it with an InputError naming `--activation`.
 *
 * Why host-sampled noise and weights in the simulation, not jax-js' `random`: building a key from a fresh
 * integer for every (network, layer) grew jax-js' heap by ≈ 0.75 kB per key (an internal cache) and cost
 * ≈ 1.5 ms per call at B·N = 512, and jax-js normals run at ≈ 6–22 M/s against the ziggurat's 60–185 M/s.
 */
import { lax, nn, numpy as np, random, type Array } from "@jax-js/jax";
import type { Activation, TensorOps } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import type { Noise } from "../theory/noise.js";
import { cgs2Rows, haarOrthogonal } from "./haar.js";
import { layerStream, sampleLayer, sampleLayerNoise, type NetworkKey, type NetworkSpec } from "./network.js";
import { sampleBias } from "./weights.js";
import { noiseLaw, POISSON1_CDF } from "./noise.js";
import type { Stream } from "./rng.js";

export type ArrayFn = (x: Array) => Array;

/** jax-js's operations as the theory's structural `TensorOps` (each consumes its array arguments). */
export const JAX_OPS: TensorOps<Array> = {
  ref: (x) => x.ref,
  add: (x, y) => np.add(x, y),
  mul: (x, y) => np.multiply(x, y),
  maximum: (x, y) => np.maximum(x, y),
  minimum: (x, y) => np.minimum(x, y),
  clip: (x, lo, hi) => np.clip(x, lo, hi),
  wherePositive: (c, a, b) => np.where(np.greater(c, 0), a, b),
  relu: (x) => nn.relu(x),
  tanh: (x) => np.tanh(x),
  sigmoid: (x) => nn.sigmoid(x),
  softplus: (x) => nn.softplus(x),
  erf: (x) => lax.erf(x),
  erfc: (x) => lax.erfc(x),
  expm1: (x) => np.expm1(x),
};

/** φ on the host in float64, rounded to float32 (the route for a custom φ without a tensor view). */
export function hostActivation(act: Activation): ArrayFn {
  return (x) => {
    const shape = x.shape;
    const data = x.dataSync() as Float32Array;
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = act.phi(data[i]);
    return np.array(out, { shape });
  };
}

/**
 * φ as a jax-js function (consumes its argument): the activation's tensor view on `JAX_OPS`; for a custom
 * φ without one, the host route (see the module doc), or an InputError when `differentiable` is asked.
 */
export function tensorActivation(act: Activation, opts: { differentiable?: boolean } = {}): ArrayFn {
  const view = act.tensor;
  if (view) return (x) => view(JAX_OPS, x);
  if (opts.differentiable)
    throw new InputError(
      "activation",
      act.spec,
      "a catalogue activation, or a custom φ given with a `tensor` view",
      "a custom φ without a tensor view runs on the host and cannot be differentiated",
    );
  return hostActivation(act);
}

/** Width from which the jax-js adapter orthogonalises with the blocked float32 Haar sampler. */
export const BLOCKED_MIN = 256;
const BLOCK = 64;

/** The Haar sampler of haar.ts (same Gaussian draw, same factorisation) via block CGS2 with float32 jax-js matmuls (see the module comment). */
export function haarOrthogonalBlocked(stream: Stream, n: number): Float32Array {
  const g = stream.fillNormal(new Float64Array(n * n)) as Float64Array;
  const q = new Float32Array(n * n);
  // column-major copy of the finished rows (qt[i·n + j] = q[j·n + i]), so both products are plain matmuls
  const qt = new Float32Array(n * n);
  for (let k0 = 0; k0 < n; k0 += BLOCK) {
    const k1 = Math.min(n, k0 + BLOCK);
    const b = k1 - k0;
    let blockRows = new Float64Array(g.subarray(k0 * n, k1 * n));
    if (k0 > 0) {
      // two passes of B ← B − (B Q_pᵀ) Q_p with Q_p the finished rows 0..k0
      const qp = np.array(q.subarray(0, k0 * n), { shape: [k0, n] });
      const qpt = np.array(packColumns(qt, n, k0), { shape: [n, k0] });
      let bj = np.array(new Float32Array(blockRows), { shape: [b, n] });
      for (let pass = 0; pass < 2; pass++) {
        const c = np.matmul(bj.ref, qpt.ref);
        bj = np.subtract(bj, np.matmul(c, qp.ref));
      }
      qp.dispose();
      qpt.dispose();
      blockRows = Float64Array.from(bj.dataSync() as Float32Array);
    }
    cgs2Rows(blockRows, n, 0, 0, b);
    q.set(blockRows, k0 * n);
    for (let r = 0; r < b; r++) for (let i = 0; i < n; i++) qt[i * n + k0 + r] = blockRows[r * n + i];
  }
  return q;
}

/** The n×k leading columns of column-major qt (row stride n) as a dense row-major n×k array. */
function packColumns(qt: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) out.set(qt.subarray(i * n, i * n + k), i * k);
  return out;
}

/** The Haar sampler the jax-js adapter uses: blocked float32 from BLOCKED_MIN, float64 CGS2 below. */
function tensorHaar(stream: Stream, n: number): Float32Array | Float64Array {
  return n >= BLOCKED_MIN ? haarOrthogonalBlocked(stream, n) : haarOrthogonal(stream, n);
}

/** Apply host-drawn ε (row-major, same shape as x; null = identity) to x; consumes x. */
export function applyNoise(x: Array, noise: Noise, eps: Float32Array | null): Array {
  if (eps === null) return x;
  const e = np.array(eps, { shape: x.shape });
  return noise.type === "additive" ? np.add(x, e) : np.multiply(x, e);
}

/**
 * Apply ε drawn from a jax-js PRNG key (traceable inside `jit`), by the law of noise.ts; consumes x and
 * key. The Laplace inverse CDF clamps u to ≥ 2⁻²⁴ (jax-js float32 uniforms can be 0), which truncates
 * |ℓ| at β·ln 2²³ ≈ 15.9β: a tail of probability 2⁻²³.
 */
export function applyNoiseKey(x: Array, noise: Noise, key: Array): Array {
  const law = noiseLaw(noise);
  const shape = x.shape;
  const combine = (e: Array) => (noise.type === "additive" ? np.add(x, e) : np.multiply(x, e));
  switch (law.law) {
    case "identity":
      key.dispose();
      return x;
    case "bernoulli":
      return combine(np.multiply(random.bernoulli(key, law.keep, shape).astype(np.float32), 1 / law.keep));
    case "normal": {
      const z = np.multiply(random.normal(key, shape), law.scale);
      return combine(law.shift === 0 ? z : np.add(z, law.shift));
    }
    case "laplace": {
      const u = np.maximum(random.uniform(key, shape), 2 ** -24);
      const lo = np.multiply(np.log(np.multiply(u.ref, 2)), law.scale);
      const hi = np.multiply(np.log(np.multiply(np.subtract(1, u.ref), 2)), -law.scale);
      const l = np.where(np.less(u, 0.5), lo, hi);
      return combine(law.shift === 0 ? l : np.add(l, law.shift));
    }
    case "poisson1": {
      const u = random.uniform(key, shape);
      let count: Array | null = null;
      for (const c of POISSON1_CDF) {
        const step = np.greater(u.ref, c).astype(np.float32);
        count = count === null ? step : np.add(count, step);
      }
      u.dispose();
      return combine(count as Array);
    }
  }
}

/** Reusable host buffers (one N×N weight buffer) so a run allocates O(N²) once. */
export class Scratch {
  readonly w: Float32Array;
  readonly b: Float32Array;
  constructor(readonly width: number) {
    this.w = new Float32Array(width * width);
    this.b = new Float32Array(width);
  }
}

/**
 * How a layer of Gaussian weights is applied to the batch:
 * - "explicit": sample W^l (N² normals) and multiply, H = X·W (B·N² multiply-adds);
 * - "conditional": sample H from its exact law given X without forming W. For W_ij i.i.d. N(0, σ_w²/N) the
 *   columns j of H = X·W are independent (they use disjoint columns of W) and each is a B-vector
 *   N(0, K) with K = (σ_w²/N)·X·Xᵀ, since E[H_aj H_bj] = Σ_i X_ai X_bi σ_w²/N. So H = C·Z with C Cᵀ = K
 *   (Cholesky) and Z a B×N standard normal matrix has exactly the law of X·W, jointly over all B inputs
 *   (the network is still shared by every input of the batch, and layers stay independent). Cost: B·N
 *   normals and 2·B²·N multiply-adds instead of N² and B·N²: ≈ N/B times less when B < N. The numbers
 *   differ from "explicit" (another draw of the same law); orthogonal weights always use "explicit"
 *   (Haar columns are not independent).
 * - "auto" (default): "conditional" for Gaussian weights when 2B ≤ N, else "explicit".
 */
export type LayerRoute = "explicit" | "conditional" | "auto";

/**
 * Cholesky factor C (row-major B×B, lower) of the positive semidefinite K = scale·G (G row-major, float32
 * Gram matrix). A pivot below 1e-6·max diag (K's float32 rounding is ~1e-6 relative) is taken as an exact
 * 0: that input is a linear combination of the earlier ones (e.g. a pair with c = 1, or all-zero rows of
 * dead ReLUs), and its column of C is zero, so it gets exactly the combination — not rounding noise
 * amplified by a tiny pivot. Conditional variances below that level (|c| > 1 − 5e-7 for a pair) are
 * dropped: an error ≤ 1e-6 of the layer's variance.
 */
export function choleskyPsd(g: Float32Array, b: number, scale: number): Float32Array {
  const l = new Float64Array(b * b);
  let maxDiag = 0;
  for (let i = 0; i < b; i++) maxDiag = Math.max(maxDiag, g[i * b + i] * scale);
  const tol = 1e-6 * maxDiag;
  for (let j = 0; j < b; j++) {
    const rj = j * b;
    let d = g[rj + j] * scale;
    for (let k = 0; k < j; k++) d -= l[rj + k] * l[rj + k];
    if (!(d > tol)) continue; // column j stays 0
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < b; i++) {
      const ri = i * b;
      let s = 0.5 * (g[ri + j] + g[rj + i]) * scale;
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      l[ri + j] = s / ljj;
    }
  }
  return Float32Array.from(l);
}

/**
 * Run network `key` of `spec` on the row batch `h0` (B×N float32, row-major) in jax-js float32. After each
 * layer l = 1..L, `onLayer(l, H^l)` receives the pre-activations as a B×N Float32Array (a copy).
 * `route` chooses how Gaussian layers are applied (see `LayerRoute`; "explicit" reproduces the float64
 * adapter number for number).
 */
export async function forwardTensor(
  spec: NetworkSpec,
  key: NetworkKey,
  h0: Float32Array,
  scratch: Scratch,
  onLayer: (layer: number, h: Float32Array) => void,
  opts: { route?: LayerRoute } = {},
): Promise<void> {
  const n = spec.width;
  const b = h0.length / n;
  const { model } = spec;
  const route = opts.route ?? "auto";
  const conditional =
    spec.weights === "gaussian" && (route === "conditional" || (route === "auto" && 2 * b <= n));
  const phi = tensorActivation(model.activation);
  let h: Array = np.array(h0, { shape: [b, n] });
  try {
    for (let l = 1; l <= spec.depth; l++) {
      const eps = sampleLayerNoise(spec, key, l, new Float32Array(b * n));
      const x = applyNoise(phi(h), model.noise, eps);
      let next: Array;
      let bias: Float32Array | null;
      if (conditional) {
        const gram = (await np.matmul(x.ref, x.transpose()).data()) as Float32Array;
        const c = choleskyPsd(gram, b, model.sigmaW2 / n);
        const zbuf = b * n <= scratch.w.length ? scratch.w.subarray(0, b * n) : new Float32Array(b * n);
        const z = layerStream(key, l, "weights").fillNormal(zbuf);
        next = np.matmul(np.array(c, { shape: [b, b] }), np.array(z, { shape: [b, n] }));
        bias = model.sigmaB2 > 0 ? sampleBias(layerStream(key, l, "bias"), model.sigmaB2, scratch.b) : null;
      } else {
        const layer = sampleLayer(spec, key, l, { w: scratch.w, b: scratch.b, haar: tensorHaar });
        next = np.matmul(x, np.array(layer.w, { shape: [n, n] }));
        bias = layer.b;
      }
      if (bias) next = np.add(next, np.array(bias, { shape: [1, n] }));
      h = next;
      const data = (await h.ref.data()) as Float32Array;
      onLayer(l, data);
    }
  } finally {
    if (h.refCount > 0) h.dispose();
  }
}
