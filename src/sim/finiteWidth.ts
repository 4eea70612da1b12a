/**
 * Monte Carlo checks of the finite-width law (src/theory/finiteWidth.ts): (a) sampling the scale
 * recursion s_l = σ_b² + (σ_w²/N) s_{l−1} χ²_{K_l} directly, (b) simulating actual ReLU networks with
 * Gaussian weights from a fixed input (the engine's float64 forward pass) and recording the output
 * pre-activations. Monte Carlo of finite networks, so it lives in src/sim; public entry
 * `sigprop/finite-width` (this module, which re-exports the exact law beside it).
 */
import { forward64 } from "../engine/forward64.js";
import type { NetworkSpec } from "../engine/network.js";
import { Stream } from "../engine/rng.js";
import { makeActivation } from "../theory/activations.js";
import { parseNoise } from "../theory/noise.js";
import { checkScaleLaw, type ScaleLawInput } from "../theory/finiteWidth.js";

export interface ScaleRecursionOptions {
  /** number of independent samples of s */
  samples: number;
  /** random seed (default 1) */
  seed?: number;
}

/** Samples of s after `stages` stages of the recursion. */
export function sampleScaleRecursion(inp: ScaleLawInput, opts: ScaleRecursionOptions): Float64Array {
  checkScaleLaw(inp);
  const { samples, seed = 1 } = opts;
  const rng = new Stream(seed);
  const a = inp.sigmaW2 / inp.width;
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = inp.s0;
    for (let l = 0; l < inp.stages; l++) s = inp.sigmaB2 + a * s * rng.chiSquare(rng.binomialHalf(inp.width));
    out[i] = s;
  }
  return out;
}

export interface NetworkOutputSamples {
  /** per network: mean over the N output units of h², h⁴ (units share the scale, so networks are the i.i.d. unit) */
  h2: Float64Array;
  h4: Float64Array;
  /** fraction of networks whose output is exactly 0 */
  dead: number;
}

export interface ReluNetworkOutputsInput {
  /** layer width N */
  width: number;
  /** number of weight layers */
  depth: number;
  sigmaW2: number;
  sigmaB2: number;
  /** |x|²/N of the fixed input */
  xNorm2: number;
  /** number of independent networks */
  networks: number;
  /** random seed (default 1) */
  seed?: number;
}

/**
 * ReLU networks with W_ij ~ N(0, σ_w²/N), b_i ~ N(0, σ_b²), a fixed input x with |x|² = N·xNorm2
 * (so the first scale is s_1 = σ_w² xNorm2 + σ_b²) and `depth` weight layers of width N.
 */
export function sampleReluNetworkOutputs(inp: ReluNetworkOutputsInput): NetworkOutputSamples {
  const { width: N, depth, sigmaW2, sigmaB2, xNorm2, networks, seed = 1 } = inp;
  // x0 > 0 entry-wise, so the engine's first layer relu(x0)·W¹ + b¹ is x0·W¹ + b¹ as specified
  const x0 = new Float64Array(N).fill(Math.sqrt(xNorm2));
  const h2 = new Float64Array(networks);
  const h4 = new Float64Array(networks);
  let dead = 0;
  const spec: NetworkSpec = {
    model: { activation: makeActivation("relu"), noise: parseNoise("none"), sigmaW2, sigmaB2 },
    width: N,
    depth,
    weights: "gaussian",
  };
  for (let r = 0; r < networks; r++) {
    const f = forward64(spec, { seed, net: r }, x0, { keep: false });
    const h = f.h[depth];
    let a2 = 0;
    let a4 = 0;
    let allZero = true;
    for (let i = 0; i < N; i++) {
      const v = h[i] * h[i];
      a2 += v;
      a4 += v * v;
      if (h[i] !== 0) allZero = false;
    }
    if (allZero) dead++;
    h2[r] = a2 / N;
    h4[r] = a4 / N;
  }
  return { h2, h4, dead: dead / networks };
}

export interface KurtosisEstimate {
  /** E[h⁴]/E[h²]² from the per-network means */
  kurtosis: number;
  /** its delta-method standard error */
  se: number;
}

/** Ratio estimate E[h⁴]/E[h²]² with a delta-method standard error from i.i.d. (h², h⁴) pairs. */
export function kurtosisEstimate(h2: Float64Array, h4: Float64Array): KurtosisEstimate {
  const n = h2.length;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    m2 += h2[i];
    m4 += h4[i];
  }
  m2 /= n;
  m4 /= n;
  let v22 = 0;
  let v44 = 0;
  let v24 = 0;
  for (let i = 0; i < n; i++) {
    const d2 = h2[i] - m2;
    const d4 = h4[i] - m4;
    v22 += d2 * d2;
    v44 += d4 * d4;
    v24 += d2 * d4;
  }
  v22 /= n - 1;
  v44 /= n - 1;
  v24 /= n - 1;
  const k = m4 / (m2 * m2);
  // gradient of m4/m2² w.r.t. (m2, m4): (−2 m4/m2³, 1/m2²)
  const g2 = (-2 * m4) / (m2 * m2 * m2);
  const g4 = 1 / (m2 * m2);
  const varK = (g2 * g2 * v22 + g4 * g4 * v44 + 2 * g2 * g4 * v24) / n;
  return { kurtosis: k, se: Math.sqrt(Math.max(0, varK)) };
}

// Public entry `sigprop/finite-width` (example: examples/finite-width.ts): the exact law (theory) beside its
// Monte Carlo.
export {
  finiteWidthLaw,
  outputDensity,
  scaleDensity,
  scaleMoments,
  type FiniteWidthLaw,
  type ScaleDensity,
  type ScaleDensityOptions,
  type ScaleLawInput,
  type ScaleMomentsOptions,
} from "../theory/finiteWidth.js";
