/**
 * Small float64 Monte Carlo networks for the theory tests (plain TypeScript, seeded): residual networks
 * (both variants of src/theory/residual.ts) and batch-normalised networks with a backward pass
 * (src/theory/batchnorm.ts). Dense N×N Gaussian weights W_ij ~ N(0, σ²/N), row-major.
 */
import { Stream } from "../../src/engine/rng.js";
import type { Activation } from "../../src/theory/activations.js";

/** y = W x for a row-major N×N matrix. */
export function matVec(w: Float64Array, x: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += w[o + j] * x[j];
    y[i] = s;
  }
  return y;
}

/** Two inputs of variance q0 per unit and exact empirical correlation c0 (Gram–Schmidt on Gaussians). */
export function inputPair(rng: Stream, n: number, q0: number, c0: number): [Float64Array, Float64Array] {
  const a = rng.normals(n);
  const b = rng.normals(n);
  const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, x, i) => s + x * v[i], 0);
  const na = Math.sqrt(dot(a, a));
  for (let i = 0; i < n; i++) a[i] /= na;
  const p = dot(a, b);
  for (let i = 0; i < n; i++) b[i] -= p * a[i];
  const nb = Math.sqrt(dot(b, b));
  for (let i = 0; i < n; i++) b[i] /= nb;
  const s = Math.sqrt(q0 * n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const sc = Math.sqrt(1 - c0 * c0);
  for (let i = 0; i < n; i++) {
    x[i] = s * a[i];
    y[i] = s * (c0 * a[i] + sc * b[i]);
  }
  return [x, y];
}

export interface ResidualMcOptions {
  act: Activation;
  variant: "reduced" | "full";
  sigmaW2: number;
  sigmaB2: number;
  sigmaV2?: number;
  sigmaA2?: number;
  width: number;
  depth: number;
  q0: number;
  c0: number;
  seed: number;
}

/**
 * One residual network, two inputs: per layer l = 0..depth the variance (mean of both inputs' (1/N)Σy²)
 * and the correlation y_a·y_b/(|y_a||y_b|) of the residual stream.
 */
export function residualMc(o: ResidualMcOptions): { q: number[]; c: number[] } {
  const rng = new Stream(o.seed);
  const n = o.width;
  let [ya, yb] = inputPair(rng, n, o.q0, o.c0);
  const stats = () => {
    let aa = 0;
    let bb = 0;
    let ab = 0;
    for (let i = 0; i < n; i++) {
      aa += ya[i] * ya[i];
      bb += yb[i] * yb[i];
      ab += ya[i] * yb[i];
    }
    return { q: (aa + bb) / (2 * n), c: ab / Math.sqrt(aa * bb) };
  };
  const q = [stats().q];
  const c = [stats().c];
  const phi = o.act.phi;
  for (let l = 0; l < o.depth; l++) {
    const w = rng.normals(n * n, Math.sqrt(o.sigmaW2 / n));
    const b = rng.normals(n, Math.sqrt(o.sigmaB2));
    if (o.variant === "reduced") {
      const ba = matVec(w, ya.map(phi), n);
      const bb = matVec(w, yb.map(phi), n);
      ya = ya.map((y, i) => y + ba[i] + b[i]);
      yb = yb.map((y, i) => y + bb[i] + b[i]);
    } else {
      const v = rng.normals(n * n, Math.sqrt((o.sigmaV2 ?? 1) / n));
      const a = rng.normals(n, Math.sqrt(o.sigmaA2 ?? 0));
      const ha = matVec(w, ya, n).map((h, i) => phi(h + b[i]));
      const hb = matVec(w, yb, n).map((h, i) => phi(h + b[i]));
      const ba = matVec(v, ha, n);
      const bb = matVec(v, hb, n);
      ya = ya.map((y, i) => y + ba[i] + a[i]);
      yb = yb.map((y, i) => y + bb[i] + a[i]);
    }
    const s = stats();
    q.push(s.q);
    c.push(s.c);
  }
  return { q, c };
}

/**
 * A batch-normalised network x^l = φ(BN(W^l x^{l−1})) on a batch of B i.i.d. Gaussian inputs, then the
 * backward pass of a random output gradient (i.i.d. N(0,1)). Returns ‖∂L/∂x^{l−1}‖²/‖∂L/∂x^l‖² for
 * l = depth..1 (index 0 is the top layer). BN backward (biased variance):
 * ∂L/∂h = (∂L/∂y − mean(∂L/∂y) − y·mean(∂L/∂y ⊙ y))/std(h).
 */
export function batchNormGradientMc(
  act: Activation,
  width: number,
  batch: number,
  depth: number,
  seed: number,
): number[] {
  const rng = new Stream(seed);
  const n = width;
  const B = batch;
  // activations stored neuron-major: x[i*B + b]
  let x = rng.normals(n * B);
  const ws: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const sds: Float64Array[] = [];
  for (let l = 0; l < depth; l++) {
    const w = rng.normals(n * n, Math.sqrt(1 / n));
    const h = new Float64Array(n * B);
    for (let i = 0; i < n; i++) {
      const o = i * n;
      for (let j = 0; j < n; j++) {
        const wij = w[o + j];
        if (wij === 0) continue;
        const xo = j * B;
        const ho = i * B;
        for (let b = 0; b < B; b++) h[ho + b] += wij * x[xo + b];
      }
    }
    const y = new Float64Array(n * B);
    const sd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let b = 0; b < B; b++) m += h[i * B + b];
      m /= B;
      let v = 0;
      for (let b = 0; b < B; b++) v += (h[i * B + b] - m) ** 2;
      sd[i] = Math.sqrt(v / B);
      for (let b = 0; b < B; b++) y[i * B + b] = (h[i * B + b] - m) / sd[i];
    }
    ws.push(w);
    ys.push(y);
    sds.push(sd);
    x = y.map(act.phi);
  }
  let g = rng.normals(n * B);
  const ratios: number[] = [];
  const norm2 = (v: Float64Array) => v.reduce((s, t) => s + t * t, 0);
  for (let l = depth - 1; l >= 0; l--) {
    const y = ys[l];
    const sd = sds[l];
    const w = ws[l];
    const dh = new Float64Array(n * B);
    for (let i = 0; i < n; i++) {
      let m = 0;
      let my = 0;
      for (let b = 0; b < B; b++) {
        const d = act.dphi(y[i * B + b]) * g[i * B + b];
        dh[i * B + b] = d;
        m += d;
        my += d * y[i * B + b];
      }
      m /= B;
      my /= B;
      for (let b = 0; b < B; b++) dh[i * B + b] = (dh[i * B + b] - m - y[i * B + b] * my) / sd[i];
    }
    const gPrev = new Float64Array(n * B);
    for (let i = 0; i < n; i++) {
      const o = i * n;
      const ho = i * B;
      for (let j = 0; j < n; j++) {
        const wij = w[o + j];
        const go = j * B;
        for (let b = 0; b < B; b++) gPrev[go + b] += wij * dh[ho + b];
      }
    }
    ratios.push(norm2(gPrev) / norm2(g));
    g = gPrev;
  }
  return ratios;
}
