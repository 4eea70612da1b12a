/**
 * The training MLP (../mlp.ts) as plain float64 host arrays: the exact hand-coded solutions of the
 * after-initialisation tasks (parity.ts, fft.ts), planted teachers (teacher.ts), snapshots of a student
 * during training, and their forward pass. No tensor library: the solutions and their exactness tests
 * run without jax-js, in float64.
 *
 * Layout as in mlp.ts: layer l = 1..depth+1 computes h^l = a^l W^l + b^l for a row batch, with
 * a^1 = x (the data) and a^l = φ(h^{l−1}) for l ≥ 2; W^l is fan_in × fan_out row-major; the read-out
 * h^{depth+1} is linear. Noise is not part of these networks (the tasks train noiselessly).
 */
import type { Activation } from "../../theory/activations.js";
import { layerStream } from "../../engine/network.js";
import { sampleBias, sampleWeights, type WeightLaw } from "../../engine/weights.js";

export interface HostLayer {
  /** fan_in × fan_out, row-major (h = a W + b) */
  w: Float64Array;
  b: Float64Array;
  fanIn: number;
  fanOut: number;
}

/** depth + 1 layers: `depth` hidden layers then the linear read-out. */
export type HostNet = HostLayer[];

/** The sizes [d₀, N₁, …, d_out] of a host network. */
export function hostSizes(net: HostNet): number[] {
  return [net[0].fanIn, ...net.map((l) => l.fanOut)];
}

/** A zero network of the given layer sizes. */
export function zeroNet(sizes: number[]): HostNet {
  return sizes.slice(1).map((fanOut, i) => ({
    w: new Float64Array(sizes[i] * fanOut),
    b: new Float64Array(fanOut),
    fanIn: sizes[i],
    fanOut,
  }));
}

/** A deep copy. */
export function cloneNet(net: HostNet): HostNet {
  return net.map((l) => ({
    w: Float64Array.from(l.w),
    b: Float64Array.from(l.b),
    fanIn: l.fanIn,
    fanOut: l.fanOut,
  }));
}

/** The result of a host forward pass. */
export interface HostPass {
  /** hidden representations a^{l+1} = φ(h^l), l = 1..depth (index l − 1), each B × N_l row-major */
  hidden: Float64Array[];
  /** network output h^{depth+1}, B × d_out */
  output: Float64Array;
}

/** h = a W + b for a row batch (B rows of fan_in). */
function affine(a: Float64Array, layer: HostLayer, rows: number): Float64Array {
  const { w, b, fanIn, fanOut } = layer;
  const h = new Float64Array(rows * fanOut);
  for (let r = 0; r < rows; r++) {
    const row = h.subarray(r * fanOut, (r + 1) * fanOut);
    row.set(b);
    for (let i = 0; i < fanIn; i++) {
      const v = a[r * fanIn + i];
      if (v === 0) continue;
      const wi = i * fanOut;
      for (let j = 0; j < fanOut; j++) row[j] += v * w[wi + j];
    }
  }
  return h;
}

/** Forward pass of the rows of x (B × d₀) in float64; φ from the activation's float64 view. */
export function hostForward(net: HostNet, act: Activation, x: Float64Array): HostPass {
  const d0 = net[0].fanIn;
  if (x.length % d0 !== 0) throw new RangeError(`input has ${x.length} entries, not a multiple of ${d0}`);
  const rows = x.length / d0;
  const hidden: Float64Array[] = [];
  let a = x;
  for (let l = 0; l < net.length; l++) {
    const h = affine(a, net[l], rows);
    if (l === net.length - 1) return { hidden, output: h };
    for (let i = 0; i < h.length; i++) h[i] = act.phi(h[i]);
    hidden.push(h);
    a = h;
  }
  throw new RangeError("a network needs at least one layer");
}

/**
 * Move an exact ReLU solution to the generalised shifted ReLU φ_α(x) = max(0, x+α) − α
 * (theory/activations.ts `shifted_relu`). Since φ_α(h − α) = max(0, h) − α, lowering every hidden bias
 * by α makes each hidden unit output relu(h) − α; the next layer then receives a − α·1, which it
 * undoes by adding α Σ_i W_ij to its bias b_j. The function computed is unchanged (exactly, in exact
 * arithmetic; the test checks it on every input).
 */
export function reluToShifted(net: HostNet, alpha: number): HostNet {
  const out = cloneNet(net);
  for (let l = 0; l < out.length; l++) {
    const layer = out[l];
    if (l < out.length - 1) for (let j = 0; j < layer.fanOut; j++) layer.b[j] -= alpha;
    if (l > 0)
      for (let j = 0; j < layer.fanOut; j++) {
        let s = 0;
        for (let i = 0; i < layer.fanIn; i++) s += layer.w[i * layer.fanOut + j];
        layer.b[j] += alpha * s;
      }
  }
  return out;
}

/** The initialisation of a network: σ_w² for every layer or a per-layer rule, σ_b², weight law. */
export interface HostInit {
  sigmaW2: number | ((layer: number, fanIn: number, fanOut: number) => number);
  sigmaB2: number;
  law?: WeightLaw;
}

/**
 * Sample a network of the given sizes with the engine's weight sampler (engine/weights.ts) from the
 * streams `(seed, net 0x77, layer, purpose)`, the keys of the training MLP's `initParams` (mlp.ts): the
 * same seed gives the same numbers, drawn in float32 as there and held here in float64.
 */
export function sampleHostNet(sizes: number[], init: HostInit, seed: number): HostNet {
  const key = { seed, net: 0x77 };
  return sizes.slice(1).map((fanOut, i) => {
    const fanIn = sizes[i];
    const l = i + 1;
    const s2 = typeof init.sigmaW2 === "number" ? init.sigmaW2 : init.sigmaW2(l, fanIn, fanOut);
    const w = sampleWeights(layerStream(key, l, "weights"), {
      law: init.law ?? "gaussian",
      sigmaW2: s2,
      fanIn,
      fanOut,
      out: new Float32Array(fanIn * fanOut),
    });
    const b = new Float32Array(fanOut);
    if (init.sigmaB2 > 0) sampleBias(layerStream(key, l, "bias"), init.sigmaB2, b);
    return { w: Float64Array.from(w), b: Float64Array.from(b), fanIn, fanOut };
  });
}

/** Euclidean norm of all weights and biases. */
export function netNorm(net: HostNet): number {
  let s = 0;
  for (const l of net) {
    for (const v of l.w) s += v * v;
    for (const v of l.b) s += v * v;
  }
  return Math.sqrt(s);
}

/** ‖a − b‖ over all weights and biases (same sizes). */
export function netDistance(a: HostNet, b: HostNet): number {
  let s = 0;
  a.forEach((l, i) => {
    for (let k = 0; k < l.w.length; k++) s += (l.w[k] - b[i].w[k]) ** 2;
    for (let k = 0; k < l.b.length; k++) s += (l.b[k] - b[i].b[k]) ** 2;
  });
  return Math.sqrt(s);
}

/**
 * θ* + d‖θ*‖ u with u a uniformly random unit direction over all weights and biases (a normalised
 * Gaussian vector from `Stream(seed, …)`-keyed draws), so that ‖θ − θ*‖/‖θ*‖ = d exactly: the
 * "solution plus noise" starts of Nye & Saxe (2018), with the distance measured relative to the solution.
 */
export function perturbNet(net: HostNet, relDistance: number, seed: number): HostNet {
  const out = cloneNet(net);
  const dirs = out.map((l, i) => {
    const key = { seed, net: 0x70 };
    const w = new Float64Array(l.w.length);
    const b = new Float64Array(l.b.length);
    layerStream(key, i + 1, "weights").fillNormal(w);
    layerStream(key, i + 1, "bias").fillNormal(b);
    return { w, b };
  });
  let s = 0;
  for (const d of dirs) {
    for (const v of d.w) s += v * v;
    for (const v of d.b) s += v * v;
  }
  const scale = (relDistance * netNorm(net)) / Math.sqrt(s);
  out.forEach((l, i) => {
    for (let k = 0; k < l.w.length; k++) l.w[k] += scale * dirs[i].w[k];
    for (let k = 0; k < l.b.length; k++) l.b[k] += scale * dirs[i].b[k];
  });
  return out;
}
