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
 *
 * Leaky ReLU (slope α < 0 side): φ(g) − φ(−g) = (1 + α) g, so every layer after the first is divided by
 * `slopeSum` = 1 + α (φ(1) − φ(−1) for any positively homogeneous φ) and the network again computes
 * exactly W0^L ⋯ W0^1 x.
 *
 * Rectangular orthogonal blocks (a training MLP: 784 → N → … → 10) use the engine's scaled isometry
 * (engine/weights.ts): a block with fewer rows than columns has orthonormal rows, one with more rows
 * orthonormal columns times √(rows/cols). With N ≤ N_in the product J = W0^L ⋯ W0^1 then satisfies
 * J Jᵀ = I (N ≥ N_out) or (N_out/N)·P with P a rank-N projection (N < N_out): all non-zero singular
 * values equal (1, or √(N_out/N)). With N > N_in the first block embeds and the middle does not cancel
 * it: no isometry (`looksLinearWidthProblem` says so for the training CLI).
 *
 * This is plain float64 TypeScript, the one home of the construction: `sigprop finite-width
 * --looks-linear`, the isometry figure, the `sigprop/spectrum` entry and src/train/mlp.ts
 * (`--init looks-linear`) use it.
 */
import type { WeightLaw } from "../theory/spectrum/moments.js";
import { InputError } from "../theory/errors.js";
import { layerStream } from "./network.js";
import type { Stream } from "./rng.js";
import { sampleWeights } from "./weights.js";

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
  // the engine's sampler (fan_in = cols) writes a cols × rows matrix M; i.i.d. Gaussian or square Haar
  // entries are read as rows × cols directly (the same law), a rectangular Haar isometry as Mᵀ (which keeps
  // its orthonormal rows or columns)
  const m = sampleWeights(stream, {
    law,
    sigmaW2: sigma2,
    fanIn: cols,
    fanOut: rows,
    out: new Float64Array(rows * cols),
  });
  if (law !== "orthogonal" || rows === cols) return { rows, cols, w: m };
  const w = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = m[j * rows + i];
  return { rows, cols, w };
}

/**
 * Why a training MLP of hidden width `width` (= 2N) cannot use the construction, or null: the width must
 * be even, and orthogonal blocks are an isometry only when N ≤ the input dimension (see the module doc).
 */
export function looksLinearWidthProblem(width: number, inputDim: number, law: WeightLaw): string | null {
  if (width % 2 !== 0 || width < 2) return `looks-linear needs an even hidden width 2N (got ${width})`;
  if (law === "orthogonal" && width / 2 > inputDim)
    return `looks-linear with orthogonal blocks is an isometry only for N = width/2 ≤ the input dimension ${inputDim} (width ≤ ${2 * inputDim})`;
  return null;
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
  /** φ(g) − φ(−g) = slopeSum·g: 1 for ReLU (default), 1 + α for leaky ReLU; layers after the first are divided by it */
  slopeSum?: number;
}): LooksLinearNet {
  const { inputDim, width: N, outputDim, depth, weights } = opts;
  if (!Number.isInteger(depth) || depth < 2)
    throw new InputError("depth", String(depth), "an integer ≥ 2 (first and last layer)");
  const seed = opts.seed ?? 1;
  const s2 = opts.sigma2 ?? 1;
  const c = opts.slopeSum ?? 1;
  if (!(c > 0) || !Number.isFinite(c))
    throw new InputError("slopeSum", String(c), "a number > 0 (φ(g) − φ(−g) = slopeSum·g)");
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
        const v = first ? b.w[i * b.cols + j] : b.w[i * b.cols + j] / c;
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
