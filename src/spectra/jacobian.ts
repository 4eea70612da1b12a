/**
 * Empirical input–output Jacobian spectra of simulated networks (docs/THEORY.md §5), plain float64.
 *
 * The networks are the engine's (src/engine/: keyed sampling, float64 forward pass); network r of seed s
 * is the same network the simulation samples for that key.
 * Network: h^l = W^l φ(h^{l−1}) + b^l, l = 1..L, width N, input h^0 ~ N(0, q0 I);
 * W_ij ~ N(0, σ_w²/N) (gaussian) or W = σ_w O with O Haar orthogonal; b_i ~ N(0, σ_b²).
 * J = ∂h^L/∂h^0 = W^L D^{L−1} ⋯ W^1 D^0 with D^l = diag φ′(h^l) — the same L (D, W) pairs as the theory.
 * With noise (docs/THEORY.md §1) one draw ε^l per network and layer is fixed (from the key's noise stream of
 * layer l): multiplicative h^l = W^l(ε^l ⊙ φ(h^{l−1})) + b^l
 * and D^{l−1} = diag(ε^l φ′(h^{l−1})); additive h^l = W^l(φ(h^{l−1}) + ε^l) + b^l, D unchanged.
 * Eigenvalues of J Jᵀ = squared singular values of J, from the ml-matrix SVD (accurate to ~1e-6 relative
 * even for ill-conditioned products; see STACK.md). For large N use the matrix-free Hutchinson moments.
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { forward64 } from "../engine/forward64.js";
import { layerStream, type NetworkKey, type NetworkSpec } from "../engine/network.js";
import type { Stream } from "../engine/rng.js";
import type { Activation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import { parseNoise, type Noise } from "../theory/noise.js";
import type { WeightLaw } from "../theory/spectrum/moments.js";

/** A network for the Jacobian spectra: the engine's network (flat parameters) and the input variance q⁰. */
export interface JacobianSpec {
  activation: Activation;
  sigmaW2: number;
  sigmaB2: number;
  width: number;
  depth: number;
  weights: WeightLaw;
  /** input pre-activation variance (q* for a network at its fixed point) */
  q0: number;
  /** noise on each layer's input (default none) */
  noise?: Noise;
}

export interface SampledNetwork {
  spec: JacobianSpec;
  /** W^l in THEORY's orientation (out × in, row-major: h^l = W^l x^l + b^l), l = 1..L at index l − 1 */
  W: Float64Array[];
  b: Float64Array[];
  /** ε^l for layers l = 1..L (index l − 1), null without noise */
  eps: (Float64Array | null)[];
  /** pre-activations h^0..h^L for the sampled input */
  h: Float64Array[];
}

export function checkNetworkSpec(s: JacobianSpec): JacobianSpec {
  if (!Number.isInteger(s.width) || s.width < 1 || s.width > 4096)
    throw new InputError("width", String(s.width), "an integer in [1, 4096]");
  if (!Number.isInteger(s.depth) || s.depth < 1)
    throw new InputError("depth", String(s.depth), "an integer ≥ 1");
  return s;
}

/** The engine's `NetworkSpec` of a Jacobian spec. */
export function engineSpec(s: JacobianSpec): NetworkSpec {
  return {
    model: {
      activation: s.activation,
      noise: s.noise ?? parseNoise("none"),
      sigmaW2: s.sigmaW2,
      sigmaB2: s.sigmaB2,
    },
    width: s.width,
    depth: s.depth,
    weights: s.weights,
  };
}

function transpose(m: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}

/** The diagonal of D^{l−1} = diag(ε^l φ′(h^{l−1})) (ε only for multiplicative noise). */
function layerDerivative(net: SampledNetwork, l: number): Float64Array {
  const { activation: act, noise } = net.spec;
  const d = Float64Array.from(net.h[l - 1], (v) => act.dphi(v));
  const e = net.eps[l - 1];
  if (e && noise && noise.type === "multiplicative") for (let i = 0; i < d.length; i++) d[i] *= e[i];
  return d;
}

/**
 * Network `key` of the spec with one input h⁰ ~ N(0, q⁰ I) (drawn from the key's input stream), through
 * the engine's float64 forward pass (src/engine/forward64.ts).
 */
export function sampleNetwork(spec: JacobianSpec, key: NetworkKey): SampledNetwork {
  checkNetworkSpec(spec);
  const n = spec.width;
  const h0 = layerStream(key, 0, "inputs").normals(n, Math.sqrt(spec.q0));
  const f = forward64(engineSpec(spec), key, h0);
  return {
    spec,
    W: f.w.map((w) => transpose(w, n)),
    b: f.b.map((b) => b ?? new Float64Array(n)),
    eps: f.eps,
    h: f.h,
  };
}

/** The dense Jacobian J = W^L D^{L−1} ⋯ W^1 D^0 (row-major N×N). */
export function jacobian(net: SampledNetwork): Float64Array {
  const { width: n, depth: L } = net.spec;
  let J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) J[i * n + i] = 1;
  const tmp = new Float64Array(n);
  for (let l = 1; l <= L; l++) {
    const D = layerDerivative(net, l);
    // J ← D^{l−1} J (scale rows)
    for (let i = 0; i < n; i++) {
      const d = D[i];
      const row = i * n;
      for (let j = 0; j < n; j++) J[row + j] *= d;
    }
    // J ← W^l J
    const w = net.W[l - 1];
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      tmp.fill(0);
      const wr = i * n;
      for (let k = 0; k < n; k++) {
        const a = w[wr + k];
        if (a === 0) continue;
        const jr = k * n;
        for (let j = 0; j < n; j++) tmp[j] += a * J[jr + j];
      }
      out.set(tmp, i * n);
    }
    J = out;
  }
  return J;
}

/** Eigenvalues of J Jᵀ (squared singular values, descending). */
export function jjtEigenvalues(J: Float64Array, n: number): Float64Array {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(J.subarray(i * n, (i + 1) * n)));
  const svd = new SingularValueDecomposition(new Matrix(rows), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  });
  return Float64Array.from(svd.diagonal, (s) => s * s);
}

export interface EmpiricalSpectrum {
  /** all eigenvalues of J Jᵀ pooled over networks */
  eigenvalues: Float64Array;
  /** per-network moments (1/N) tr (JJᵀ)^k, k = 1..K */
  momentsPerNetwork: number[][];
  /** mean and standard error over networks of each moment */
  moments: number[];
  momentsSe: number[];
  /** fraction of exactly-zero directions per network: 1 − rank/N with rank ≤ min_l #{φ′(h^l) ≠ 0} */
  zeroFraction: number[];
}

export interface EmpiricalSpectrumOptions {
  /** number of independent networks (network r is the engine's key {seed, net: r}) */
  networks: number;
  /** random seed (default 1) */
  seed?: number;
  /** number of moments K (default 3) */
  order?: number;
}

/** Exact Jacobian spectra of `networks` independent networks. */
export function empiricalSpectrum(spec: JacobianSpec, opts: EmpiricalSpectrumOptions): EmpiricalSpectrum {
  const { networks, seed = 1, order = 3 } = opts;
  const n = spec.width;
  const all: number[] = [];
  const per: number[][] = [];
  const zero: number[] = [];
  for (let r = 0; r < networks; r++) {
    const net = sampleNetwork(spec, { seed, net: r });
    const ev = jjtEigenvalues(jacobian(net), n);
    const m = new Array<number>(order).fill(0);
    for (const x of ev) {
      let pw = 1;
      for (let k = 0; k < order; k++) {
        pw *= x;
        m[k] += pw / n;
      }
      all.push(x);
    }
    per.push(m);
    let minActive = n;
    for (let l = 0; l < spec.depth; l++) {
      let c = 0;
      for (const v of layerDerivative(net, l + 1)) if (v !== 0) c++;
      minActive = Math.min(minActive, c);
    }
    zero.push(1 - minActive / n);
  }
  const moments: number[] = [];
  const se: number[] = [];
  for (let k = 0; k < order; k++) {
    const xs = per.map((m) => m[k]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.length > 1 ? xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1) : NaN;
    moments.push(mean);
    se.push(Math.sqrt(v / xs.length));
  }
  return {
    eigenvalues: Float64Array.from(all),
    momentsPerNetwork: per,
    moments,
    momentsSe: se,
    zeroFraction: zero,
  };
}

export interface HutchinsonOptions {
  /** number of Rademacher probe vectors */
  probes: number;
  /** number of moments K */
  order: number;
  /** the stream the probes are drawn from */
  rng: Stream;
}

/**
 * Matrix-free moments (1/N) tr (J Jᵀ)^k, k = 1..K, by Hutchinson's estimator with Rademacher probes:
 * for A = (JJᵀ)^k, E[vᵀAv] = tr A; vᵀ(JJᵀ)^k v = |(Jᵀ)(JJᵀ)^{j}v|²-type products computed with
 * layer-wise J·u and Jᵀ·u (O(L N²) each). Returns the estimates averaged over probes.
 */
export function hutchinsonMoments(net: SampledNetwork, opts: HutchinsonOptions): number[] {
  const { probes, order, rng } = opts;
  const { width: n, depth: L } = net.spec;
  const D = Array.from({ length: L }, (_, l) => layerDerivative(net, l + 1));
  const Jv = (u: Float64Array) => {
    let x = Float64Array.from(u);
    for (let l = 0; l < L; l++) {
      const w = net.W[l];
      const y = new Float64Array(n);
      for (let j = 0; j < n; j++) x[j] *= D[l][j];
      for (let i = 0; i < n; i++) {
        let s = 0;
        const r = i * n;
        for (let j = 0; j < n; j++) s += w[r + j] * x[j];
        y[i] = s;
      }
      x = y;
    }
    return x;
  };
  const JTv = (u: Float64Array) => {
    let x = Float64Array.from(u);
    for (let l = L - 1; l >= 0; l--) {
      const w = net.W[l];
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = x[i];
        const r = i * n;
        for (let j = 0; j < n; j++) y[j] += w[r + j] * a;
      }
      for (let j = 0; j < n; j++) y[j] *= D[l][j];
      x = y;
    }
    return x;
  };
  const est = new Array<number>(order).fill(0);
  for (let t = 0; t < probes; t++) {
    let v = Float64Array.from({ length: n }, () => (rng.u32() & 1 ? 1 : -1));
    // vᵀ(JJᵀ)^k v: alternate u_{2j+1} = Jᵀ u_{2j}, u_{2j+2} = J u_{2j+1}; (JJᵀ)^k quadratic form =
    // |Jᵀ (JJᵀ)^{(k−1)/2} v|² for odd k, |(JJᵀ)^{k/2} v|² for even k.
    for (let k = 1; k <= order; k++) {
      const w = JTv(v);
      if (k % 2 === 1) {
        let s = 0;
        for (const a of w) s += a * a;
        est[k - 1] += s / n;
        if (k + 1 <= order) {
          v = Jv(w);
          let s2 = 0;
          for (const a of v) s2 += a * a;
          est[k] += s2 / n;
          k++;
        }
      }
    }
  }
  return est.map((e) => e / probes);
}
