/**
 * The parameter-sharing ("looks-linear") initialisation of Burkholz & Dubatovka (2019; also Balduzzi
 * et al. 2017): a ReLU network of hidden width 2N whose weights are built from blocks W0,
 *
 *   first layer  W¹ = [W0¹; −W0¹]                       (2N × N_in)
 *   hidden       W^l = [[W0^l, −W0^l], [−W0^l, W0^l]]    (2N × 2N)
 *   last layer   W^L = [W0^L, −W0^L]                    (N_out × 2N),   all biases 0.
 *
 * The hidden state is always [g; −g] and relu(g) − relu(−g) = g, so the network computes exactly the
 * linear map W0^L ⋯ W0^1 x, and its input–output Jacobian is that product: with orthogonal W0 every
 * singular value is 1 (perfect dynamical isometry), whatever the depth.
 */
import type { WeightLaw } from "../theory/spectrum/moments.js";
import { InputError } from "../theory/errors.js";
import { layerStream } from "../engine/network.js";
import type { Stream } from "../engine/rng.js";
import { sampleWeights } from "../engine/weights.js";

export interface DenseLayer {
  rows: number;
  cols: number;
  /** row-major */
  w: Float64Array;
}

export interface LooksLinearNet {
  /** the full ReLU network layers (ReLU after every layer but the last) */
  layers: DenseLayer[];
  /** the shared blocks W0^l */
  blocks: DenseLayer[];
}

function block(rows: number, cols: number, law: WeightLaw, sigma2: number, stream: Stream): DenseLayer {
  if (law === "orthogonal" && rows !== cols)
    throw new InputError("--weights", "orthogonal", "gaussian (orthogonal blocks need square layers)");
  // the engine's sampler (fan_in = cols); i.i.d. Gaussian or Haar entries read as rows × cols (same law)
  const w = sampleWeights(stream, {
    law,
    sigmaW2: sigma2,
    fanIn: cols,
    fanOut: rows,
    out: new Float64Array(rows * cols),
  });
  return { rows, cols, w };
}

/**
 * Looks-linear initialisation. `sigma2` scales each block (W0 ~ N(0, σ²/fan_in) or σ·orthogonal);
 * σ² = 1 makes the equivalent linear network norm-preserving.
 */
export function looksLinearInit(opts: {
  inputDim: number;
  width: number;
  outputDim: number;
  depth: number;
  weights: WeightLaw;
  sigma2?: number;
  seed?: number;
}): LooksLinearNet {
  const { inputDim, width: N, outputDim, depth, weights } = opts;
  if (!Number.isInteger(depth) || depth < 2)
    throw new InputError("--depth", String(depth), "an integer ≥ 2 (first and last layer)");
  const seed = opts.seed ?? 1;
  const s2 = opts.sigma2 ?? 1;
  const blocks: DenseLayer[] = [];
  for (let l = 0; l < depth; l++) {
    const rows = l === depth - 1 ? outputDim : N;
    const cols = l === 0 ? inputDim : N;
    blocks.push(block(rows, cols, weights, s2, layerStream({ seed, net: 0 }, l + 1, "weights")));
  }
  const layers: DenseLayer[] = blocks.map((b, l) => {
    const first = l === 0;
    const last = l === depth - 1;
    const rows = last ? b.rows : 2 * b.rows;
    const cols = first ? b.cols : 2 * b.cols;
    const w = new Float64Array(rows * cols);
    for (let i = 0; i < b.rows; i++) {
      for (let j = 0; j < b.cols; j++) {
        const v = b.w[i * b.cols + j];
        const put = (r: number, c: number, x: number) => (w[r * cols + c] = x);
        put(i, j, v);
        if (!first) put(i, j + b.cols, -v);
        if (!last) {
          put(i + b.rows, j, -v);
          if (!first) put(i + b.rows, j + b.cols, v);
        }
      }
    }
    return { rows, cols, w };
  });
  return { layers, blocks };
}

function matVec(L: DenseLayer, x: Float64Array): Float64Array {
  const y = new Float64Array(L.rows);
  for (let i = 0; i < L.rows; i++) {
    let s = 0;
    const r = i * L.cols;
    for (let j = 0; j < L.cols; j++) s += L.w[r + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** Forward pass of a ReLU network (ReLU after every layer except the last, zero biases). */
export function reluForward(
  layers: DenseLayer[],
  x: Float64Array,
): { output: Float64Array; pre: Float64Array[] } {
  let a = x;
  const pre: Float64Array[] = [];
  layers.forEach((L, l) => {
    const h = matVec(L, a);
    pre.push(h);
    a = l === layers.length - 1 ? h : Float64Array.from(h, (v) => (v > 0 ? v : 0));
  });
  return { output: a, pre };
}

/** The linear map W0^L ⋯ W0^1 x. */
export function linearForward(blocks: DenseLayer[], x: Float64Array): Float64Array {
  let a = x;
  for (const b of blocks) a = matVec(b, a);
  return a;
}

/** Input–output Jacobian of the ReLU network at x (row-major out × in). */
export function reluJacobian(
  layers: DenseLayer[],
  x: Float64Array,
): { J: Float64Array; rows: number; cols: number } {
  const { pre } = reluForward(layers, x);
  const n0 = layers[0].cols;
  // J = W^L D^{L−1} W^{L−1} ⋯ D^1 W^1
  let J = Float64Array.from(layers[0].w);
  let rows = layers[0].rows;
  for (let l = 1; l < layers.length; l++) {
    const d = pre[l - 1];
    for (let i = 0; i < rows; i++) if (!(d[i] > 0)) J.fill(0, i * n0, (i + 1) * n0);
    const L = layers[l];
    const out = new Float64Array(L.rows * n0);
    for (let i = 0; i < L.rows; i++) {
      for (let k = 0; k < L.cols; k++) {
        const a = L.w[i * L.cols + k];
        if (a === 0) continue;
        for (let j = 0; j < n0; j++) out[i * n0 + j] += a * J[k * n0 + j];
      }
    }
    J = out;
    rows = L.rows;
  }
  return { J, rows, cols: n0 };
}
