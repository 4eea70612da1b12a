/**
 * Draws of random networks along a 1-D input path (Hayou et al. 2019's ordered/chaotic pictures of
 * 300×20 tanh networks): the inputs are P points on a great circle of the input sphere,
 * x(θ) = √d (cos θ u₁ + sin θ u₂) with u₁ ⊥ u₂ random unit vectors of R^d (so |x|²/d = 1 for every θ),
 * and the output of a draw is the first unit of the last layer's pre-activation, y^L_1(θ), of a network
 * y¹ = W¹x + b¹, y^l = W^l φ(y^{l−1}) + b^l (W^1 ~ N(0, σ_w²/d), W^l ~ N(0, σ_w²/N), b ~ N(0, σ_b²)).
 * Plain TypeScript, float64: draw r is the engine's network key {seed, net: r} (engine/network.ts), run by
 * the engine's float64 pass on all P points as one batch; the circle's directions come from the inputs
 * stream of network 0.
 *
 * Mean field predicts that y^L(θ) is a centred Gaussian process with variance q^L and correlation
 * c^L(θ − θ′), where q¹ = σ_w² + σ_b², c¹(Δ) = (σ_w² cos Δ + σ_b²)/q¹, and L − 1 applications of the maps
 * (theory/dynamics.ts). `pathCorrelation` compares the correlation at neighbouring points, c^L(2π/P),
 * with the empirical one Σ_θ y(θ)y(θ+δ)/Σ_θ y(θ)² averaged over draws: ≈ 1 in the ordered phase (smooth
 * outputs), far below 1 in the chaotic phase (outputs that look discontinuous).
 */
import { forward64 } from "../engine/forward64.js";
import { layerStream, type NetworkKey, type NetworkSpec } from "../engine/network.js";
import { sampleBias, sampleWeights } from "../engine/weights.js";
import { dynamics } from "../theory/dynamics.js";
import { checkRange, InputError } from "../theory/errors.js";
import { checkModel, type Model } from "../theory/model.js";

export interface DrawsOptions {
  /** noiseless model (noise is not simulated here) */
  model: Model;
  /** hidden width N (default 300) */
  width?: number;
  /** number of layers L (default 20) */
  depth?: number;
  /** independent networks (default 5) */
  draws?: number;
  /** points on the circle (default 200) */
  points?: number;
  /** input dimension d ≥ 2 (default 2) */
  inputDim?: number;
  seed?: number;
  /** called after each draw */
  onProgress?: (done: number, total: number) => void;
}

export interface DrawsResult {
  activation: string;
  sigmaW2: number;
  sigmaB2: number;
  width: number;
  depth: number;
  inputDim: number;
  seed: number;
  /** θ_k = 2πk/P */
  angles: number[];
  /** outputs[draw][k] = y^L_1(θ_k) */
  outputs: number[][];
  theory: {
    /** mean-field output variance q^L */
    qOut: number;
    /** mean-field correlation of outputs at neighbouring points, c^L(2π/P) */
    neighbourCorrelation: number | null;
  };
  empirical: {
    /** mean over draws of (1/P)Σ y(θ)² */
    qOut: number;
    /** its standard deviation over draws (large in the ordered phase: each draw is nearly constant in θ) */
    qOutStd: number;
    /** mean over draws of Σ y(θ)y(θ+δ)/Σ y(θ)² */
    neighbourCorrelation: number;
    /** its standard deviation over draws */
    neighbourCorrelationStd: number;
  };
}

/** The mean-field prediction for outputs at angular separation Δ (module doc). */
export function pathCorrelation(model: Model, depth: number, delta: number): { q: number; c: number | null } {
  const q1 = model.sigmaW2 + model.sigmaB2;
  const c1 = (model.sigmaW2 * Math.cos(delta) + model.sigmaB2) / q1;
  const t = dynamics(model, { depth: depth - 1, q0: q1, c0: c1 });
  return { q: t.q[depth - 1], c: t.c[depth - 1] };
}

/**
 * One draw: layer 1 (input dimension d → N) here, from the engine's streams of layer 0 of network `key`
 * (layer 0 draws nothing else for a network), then layers 2..L by the engine's float64 pass
 * (engine/forward64.ts, its layers 1..L−1 of the same key, which applies φ to its input h¹). Returns y^L_1.
 */
function drawOnce(m: Model, key: NetworkKey, x: Float64Array, d: number, P: number, N: number, L: number) {
  const w1 = sampleWeights(layerStream(key, 0, "weights"), {
    law: "gaussian",
    sigmaW2: m.sigmaW2,
    fanIn: d,
    fanOut: N,
    out: new Float64Array(d * N),
  });
  const b1 = m.sigmaB2 > 0 ? sampleBias(layerStream(key, 0, "bias"), m.sigmaB2, new Float64Array(N)) : null;
  // h¹ = x·W¹ + b¹, P × N row-major (x is P × d)
  const h1 = new Float64Array(P * N);
  for (let k = 0; k < P; k++) {
    const row = h1.subarray(k * N, (k + 1) * N);
    if (b1) row.set(b1);
    for (let j = 0; j < d; j++) {
      const a = x[k * d + j];
      for (let i = 0; i < N; i++) row[i] += a * w1[j * N + i];
    }
  }
  let hL: Float64Array = h1;
  if (L > 1) {
    const spec: NetworkSpec = { model: m, width: N, depth: L - 1, weights: "gaussian" };
    const f = forward64(spec, key, h1, { keep: false });
    hL = f.h[L - 1];
  }
  return Array.from({ length: P }, (_, k) => hL[k * N]);
}

/** Outputs of `draws` random networks along a great circle of the input space (module doc). */
export function networkDraws(opts: DrawsOptions): DrawsResult {
  const m = checkModel(opts.model);
  if (m.noise.type !== "none")
    throw new InputError("noise", m.noise.spec, "none (draws simulate noiseless networks)");
  const N = opts.width ?? 300;
  const L = opts.depth ?? 20;
  const D = opts.draws ?? 5;
  const P = opts.points ?? 200;
  const d = opts.inputDim ?? 2;
  const seed = opts.seed ?? 0;
  checkRange("width", N, 1, 4096);
  checkRange("depth", L, 1, 1000);
  checkRange("draws", D, 1, 1000);
  checkRange("points", P, 3, 100000);
  checkRange("inputDim", d, 2, 100000);
  // two orthonormal directions of R^d (Gram–Schmidt on Gaussians), shared by all draws
  const inputs = layerStream({ seed, net: 0 }, 0, "inputs");
  const u1 = inputs.normals(d);
  const u2 = inputs.normals(d);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, t) => a + t * t, 0));
  const n1 = norm(u1);
  u1.forEach((v, i) => (u1[i] = v / n1));
  const p = u1.reduce((acc, v, i) => acc + v * u2[i], 0);
  u2.forEach((v, i) => (u2[i] = v - p * u1[i]));
  const n2 = norm(u2);
  u2.forEach((v, i) => (u2[i] = v / n2));
  const angles = Array.from({ length: P }, (_, k) => (2 * Math.PI * k) / P);
  // x: P × d row-major
  const x = new Float64Array(P * d);
  const r = Math.sqrt(d);
  for (let k = 0; k < P; k++)
    for (let j = 0; j < d; j++)
      x[k * d + j] = r * (Math.cos(angles[k]) * u1[j] + Math.sin(angles[k]) * u2[j]);
  const outputs: number[][] = [];
  for (let s = 0; s < D; s++) {
    outputs.push(drawOnce(m, { seed, net: s }, x, d, P, N, L));
    opts.onProgress?.(s + 1, D);
  }
  const qs = outputs.map((y) => y.reduce((a, v) => a + v * v, 0) / P);
  const cs = outputs.map((y) => {
    let num = 0;
    let den = 0;
    for (let k = 0; k < P; k++) {
      num += y[k] * y[(k + 1) % P];
      den += y[k] * y[k];
    }
    return num / den;
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const cm = mean(cs);
  const sdOf = (v: number[], mu: number) =>
    v.length > 1 ? Math.sqrt(v.reduce((a, t) => a + (t - mu) ** 2, 0) / (v.length - 1)) : 0;
  const th = pathCorrelation(m, L, (2 * Math.PI) / P);
  return {
    activation: m.activation.spec,
    sigmaW2: m.sigmaW2,
    sigmaB2: m.sigmaB2,
    width: N,
    depth: L,
    inputDim: d,
    seed,
    angles,
    outputs,
    theory: { qOut: th.q, neighbourCorrelation: th.c },
    empirical: {
      qOut: mean(qs),
      qOutStd: sdOf(qs, mean(qs)),
      neighbourCorrelation: cm,
      neighbourCorrelationStd: sdOf(cs, cm),
    },
  };
}
