/**
 * The float64 adapter of the random network (network.ts): plain TypeScript, no tensor library. For small
 * networks and reference values (Jacobian spectra, finite-width checks, tests of the jax-js adapter): the
 * cost is B·N² multiply-adds per layer at ~1 GFLOP/s plus the weight sampling. Same key → same weights,
 * biases and noise as the jax-js adapter (tensor.ts), which computes the same pass in float32.
 */
import type { NetworkKey, NetworkSpec } from "./network.js";
import { sampleLayer, sampleLayerNoise } from "./network.js";

/** One sampled network and its pass over a batch (all arrays row-major). */
export interface Forward64 {
  spec: NetworkSpec;
  key: NetworkKey;
  /** batch size B */
  batch: number;
  /** pre-activations h^0..h^L, each B × N */
  h: Float64Array[];
  /** W^l for l = 1..L (index l − 1), N × N in the engine layout (H = X·W, i.e. THEORY's Wᵀ); empty unless kept */
  w: Float64Array[];
  /** b^l (null when σ_b² = 0); empty unless kept */
  b: (Float64Array | null)[];
  /** ε^l, B × N (null for the identity noise); empty unless kept */
  eps: (Float64Array | null)[];
}

export interface Forward64Options {
  /** keep W^l, b^l, ε^l in the result (default true; L·N² doubles of memory) */
  keep?: boolean;
  /** called after each layer l = 1..L with h^l (B × N, owned by the result) */
  onLayer?: (layer: number, h: Float64Array) => void;
}

/**
 * Sample network `key` of `spec` and run it on the rows of `h0` (B × N row-major float64):
 * h^l = (ε^l ⊙ φ(h^{l−1})) W^l + b^l (multiplicative noise) or (φ(h^{l−1}) + ε^l) W^l + b^l (additive).
 */
export function forward64(
  spec: NetworkSpec,
  key: NetworkKey,
  h0: Float64Array,
  opts: Forward64Options = {},
): Forward64 {
  const n = spec.width;
  if (h0.length % n !== 0 || h0.length === 0)
    throw new RangeError(`input has ${h0.length} entries, not a positive multiple of the width ${n}`);
  const batch = h0.length / n;
  const keep = opts.keep ?? true;
  const { activation: act, noise } = spec.model;
  const additive = noise.type === "additive";
  const out: Forward64 = { spec, key, batch, h: [h0], w: [], b: [], eps: [] };
  let wbuf = new Float64Array(n * n);
  let bbuf = new Float64Array(n);
  const x = new Float64Array(batch * n);
  for (let l = 1; l <= spec.depth; l++) {
    const prev = out.h[l - 1];
    for (let i = 0; i < x.length; i++) x[i] = act.phi(prev[i]);
    const eps = sampleLayerNoise(spec, key, l, new Float64Array(batch * n));
    if (eps && additive) for (let i = 0; i < x.length; i++) x[i] += eps[i];
    else if (eps) for (let i = 0; i < x.length; i++) x[i] *= eps[i];
    const { w, b } = sampleLayer(spec, key, l, { w: wbuf, b: bbuf });
    const h = new Float64Array(batch * n);
    for (let r = 0; r < batch; r++) {
      const row = h.subarray(r * n, (r + 1) * n);
      if (b) row.set(b);
      const xr = r * n;
      for (let i = 0; i < n; i++) {
        const a = x[xr + i];
        if (a === 0) continue;
        const wi = i * n;
        for (let j = 0; j < n; j++) row[j] += a * w[wi + j];
      }
    }
    out.h.push(h);
    if (keep) {
      out.w.push(w);
      out.b.push(b);
      out.eps.push(eps);
      wbuf = new Float64Array(n * n);
      bbuf = new Float64Array(n);
    }
    opts.onLayer?.(l, h);
  }
  return out;
}
