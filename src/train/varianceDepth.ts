/**
 * Variance propagation depth on real data (Fig 6a/d): forward a real batch (no training) through a deep
 * ReLU network with noise, at an off-critical σ_w², and find the first layer where the float32 signal's
 * variance leaves the float32 range.
 *
 * Measurement: at layer l the variance q^l = (1/(B N)) Σ (h^l)² of the float32 pre-activations is
 * accumulated in float64 (so no summation overflow) and converted to float32; the layer is the first with
 * q^l ≥ float32 max (overflow, it rounds to ∞) or q^l < smallest normal float32 (underflow) — the event L*
 * predicts. We also record the first layer where the float32 forward pass itself breaks (an element of h
 * is ±∞/NaN, or every element is 0), which happens much later (|h| ≈ √q).
 *
 * Theory (docs/THEORY.md §2, lead's `overflowDepth`): q^l = γ^l q⁰ with γ = σ_w² μ2/2. The data x (pixels in
 * [0, 1]) is the first layer's input, itself under noise, so q¹ = σ_w² μ2 ⟨x²⟩ = γ · 2⟨x²⟩: the
 * effective q⁰ is 2⟨x²⟩ (⟨x²⟩ = mean square pixel of the batch) and L* = (ln K − ln q⁰)/ln γ.
 */
import { numpy as np, random, type Array } from "@jax-js/jax";
import { hash32, Stream } from "../engine/rng.js";
import { applyNoiseKey } from "../engine/tensor.js";
import { sampleWeights } from "../engine/weights.js";
import { initJax } from "../sim/jax.js";
import { FLOAT32_MAX, FLOAT32_MIN_NORMAL, overflowDepth } from "../theory/critical.js";
import type { Noise } from "../theory/noise.js";

export interface VarianceDepthConfig {
  /** the batch, B × dim row-major in [0, 1] */
  x: Float32Array;
  dim: number;
  width: number;
  sigmaW2: number;
  noise: Noise;
  /** stop here if nothing over/underflows */
  maxDepth: number;
  seed: number;
  /** index of this network among independent ones */
  net: number;
}

export interface VarianceDepthResult {
  /** first layer whose float32 variance over/underflows; null if none up to maxDepth */
  depth: number | null;
  kind: "overflow" | "underflow" | null;
  /** first layer where the float32 forward pass itself has ±∞/NaN or is all zeros (null: none seen before stopping) */
  signalDepth: number | null;
  /** log10 q^l for l = 1.. (until the stop) */
  log10q: number[];
  q0: number;
}

/** Mean of x² over a batch (float64): the effective q⁰ is 2× this (see module doc). */
export function meanSquare(x: Float32Array | Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return s / x.length;
}

/** The theory depth L* for this batch (null at γ = 1). */
export function theoryDepth(
  sigmaW2: number,
  mu2: number,
  x: Float32Array,
): { depth: number | null; kind: string; q0: number } {
  const q0 = 2 * meanSquare(x);
  const r = overflowDepth(sigmaW2, mu2, q0);
  return { depth: r.depth, kind: r.kind, q0 };
}

/** Forward one random network until the variance over/underflows (or maxDepth). */
export async function varianceDepth(
  cfg: VarianceDepthConfig,
  onLayer?: (l: number) => void,
): Promise<VarianceDepthResult> {
  await initJax();
  const b = cfg.x.length / cfg.dim;
  const n = cfg.width;
  let h: Array = np.array(cfg.x, { shape: [b, cfg.dim] });
  const log10q: number[] = [];
  let depth: number | null = null;
  let kind: VarianceDepthResult["kind"] = null;
  let signalDepth: number | null = null;
  const wbuf = new Float32Array(Math.max(cfg.dim, n) * n);
  try {
    for (let l = 1; l <= cfg.maxDepth; l++) {
      const fanIn = l === 1 ? cfg.dim : n;
      const inp = l === 1 ? h : np.maximum(h, 0);
      const key = random.key(hash32(cfg.seed, cfg.net, l, 0x7661) >>> 1);
      const x = applyNoiseKey(inp, cfg.noise, key);
      const w = sampleWeights(new Stream(cfg.seed, cfg.net, l, 0x7677), {
        law: "gaussian",
        sigmaW2: cfg.sigmaW2,
        fanIn,
        fanOut: n,
        out: wbuf.subarray(0, fanIn * n),
      });
      h = np.matmul(x, np.array(w, { shape: [fanIn, n] }));
      const data = (await h.ref.data()) as Float32Array;
      let s = 0;
      let bad = false;
      let nonzero = false;
      for (const v of data) {
        if (!Number.isFinite(v)) bad = true;
        else if (v !== 0) nonzero = true;
        s += v * v;
      }
      const q = s / data.length;
      log10q.push(Number.isFinite(q) ? (q > 0 ? Math.log10(q) : -Infinity) : Infinity);
      onLayer?.(l);
      if (depth === null && (q >= FLOAT32_MAX || !Number.isFinite(q) || Math.fround(q) === Infinity)) {
        depth = l;
        kind = "overflow";
      } else if (depth === null && q < FLOAT32_MIN_NORMAL) {
        depth = l;
        kind = "underflow";
      }
      if (bad || !nonzero) {
        signalDepth = l;
        break;
      }
      if (depth !== null) break;
    }
  } finally {
    if (h.refCount > 0) h.dispose();
  }
  return { depth, kind, signalDepth, log10q, q0: 2 * meanSquare(cfg.x) };
}
