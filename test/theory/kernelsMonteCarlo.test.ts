/**
 * The noisy NNGP and NTK against a Monte Carlo of finite noisy networks (float64, seeded), averaged over
 * weights and noise: for each network, one forward pass per example with its own noise draw (so the two
 * equal rows below are two examples), the empirical read-out kernel (1/N_out) Σ_i h_i(a) h_i(b), and the
 * empirical tangent kernel Σ_θ ∂f_k(a)/∂θ · ∂f_k(b)/∂θ by backpropagation in the NTK parameterisation
 * (h^{l+1} = (σ_w/√n) W x̃ + σ_b b, standard normal W and b; x̃ = ε ⊙ φ(h) or φ(h) + ε), averaged over
 * output units k.
 *
 * Tolerance: |mean − theory| ≤ 4.5 standard errors (std over networks / √networks) per entry. A finite
 * network differs from the infinite-width kernel by O(1/width) and, for noise on the input, by O(1/d)
 * (src/theory/kernels/nngp.ts); at width = d = 400 these are a fraction of a per cent, below the
 * standard errors of these 120 networks (the observed |z| are ≤ 2.1), while the same Monte Carlo rejects
 * the noiseless network's kernel with |z| > 10 (checked below), so the test can fail on a wrong noise
 * term but not on finite width. The z-scores are printed on failure.
 */
import { describe, expect, it } from "vitest";
import { fillNoise } from "../../src/engine/noise.js";
import { Stream } from "../../src/engine/rng.js";
import { parseActivation } from "../../src/theory/activations.js";
import { nngpKernel, type Matrix } from "../../src/theory/kernels/nngp.js";
import { parseNoise, type Noise } from "../../src/theory/noise.js";

const D = 400;
const WIDTH = 400;
const NETS = 120;
const NTK_UNITS = 4;

/** 4 inputs in R^D: |x|²/D = 1, 2, 1 (a copy of row 0), 0.5; rows 0 and 1 correlated. */
function inputs(): Matrix {
  const s = new Stream(7, 1);
  const z = Array.from({ length: 3 }, () => Float64Array.from({ length: D }, () => s.normal()));
  const norm = (v: Float64Array, q: number) => {
    const n2 = v.reduce((a, b) => a + b * b, 0) / D;
    return Float64Array.from(v, (t) => t * Math.sqrt(q / n2));
  };
  const r0 = norm(z[0], 1);
  const r1 = norm(
    Float64Array.from(z[1], (t, i) => 0.6 * z[0][i] + 0.8 * t),
    2,
  );
  const r3 = norm(z[2], 0.5);
  const data = new Float64Array(4 * D);
  [r0, r1, r0, r3].forEach((r, i) => data.set(r, i * D));
  return { data, rows: 4, cols: D };
}

/** ε for one layer's n inputs, drawn by the engine's noise laws (identity noise: 1, or 0 when additive). */
function sampleNoise(noise: Noise, s: Stream, n: number): Float64Array {
  const e = new Float64Array(n);
  return fillNoise(e, noise, s) ?? e.fill(noise.type === "additive" ? 0 : 1);
}

interface Emp {
  nngp: Float64Array;
  ntk: Float64Array;
}

/** One network: empirical NNGP (over all read-out units) and NTK (over the first NTK_UNITS units). */
function network(
  x: Matrix,
  act: ReturnType<typeof parseActivation>,
  noise: Noise,
  sw2: number,
  sb2: number,
  depth: number,
  seed: number,
): Emp {
  const s = new Stream(seed, 99);
  const n = x.rows;
  const sw = Math.sqrt(sw2);
  const sb = Math.sqrt(sb2);
  const widths = [D, ...Array(depth + 1).fill(WIDTH)];
  const W: Float64Array[] = [];
  const B: Float64Array[] = [];
  for (let l = 0; l <= depth; l++) {
    W.push(s.fillNormal(new Float64Array(widths[l + 1] * widths[l])) as Float64Array);
    B.push(s.fillNormal(new Float64Array(widths[l + 1])) as Float64Array);
  }
  // forward per example: layer inputs x̃^l, pre-activations h^{l+1}, and ∂x̃^l/∂h^l
  const xt: Float64Array[][] = [];
  const hs: Float64Array[][] = [];
  const dx: Float64Array[][] = [];
  for (let a = 0; a < n; a++) {
    const xa: Float64Array[] = [];
    const ha: Float64Array[] = [];
    const da: Float64Array[] = [];
    let inp = x.data.subarray(a * D, (a + 1) * D);
    let deriv: Float64Array | null = null;
    for (let l = 0; l <= depth; l++) {
      const m = widths[l];
      const eps = sampleNoise(noise, s, m);
      const t = new Float64Array(m);
      for (let j = 0; j < m; j++) t[j] = noise.type === "additive" ? inp[j] + eps[j] : inp[j] * eps[j];
      if (deriv && noise.type !== "additive") for (let j = 0; j < m; j++) deriv[j] *= eps[j];
      if (deriv) da.push(deriv);
      xa.push(t);
      const out = widths[l + 1];
      const h = new Float64Array(out);
      const c = sw / Math.sqrt(m);
      const w = W[l];
      for (let i = 0; i < out; i++) {
        let acc = 0;
        const r = i * m;
        for (let j = 0; j < m; j++) acc += w[r + j] * t[j];
        h[i] = c * acc + sb * B[l][i];
      }
      ha.push(h);
      inp = Float64Array.from(h, act.phi);
      deriv = Float64Array.from(h, act.dphi);
    }
    xt.push(xa);
    hs.push(ha);
    dx.push(da);
  }
  const nngp = new Float64Array(n * n);
  const ntk = new Float64Array(n * n);
  const out = hs[0][depth].length;
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) {
      let acc = 0;
      for (let i = 0; i < out; i++) acc += hs[a][depth][i] * hs[b][depth][i];
      nngp[a * n + b] = acc / out;
    }
  // backprop δ^l = ∂f_k/∂h^l for each output unit k and example
  const dot = (u: Float64Array, v: Float64Array) => {
    let acc = 0;
    for (let i = 0; i < u.length; i++) acc += u[i] * v[i];
    return acc;
  };
  for (let k = 0; k < NTK_UNITS; k++) {
    const deltas: Float64Array[][] = []; // [example][layer 0..depth] δ at h^{l+1}
    for (let a = 0; a < n; a++) {
      const ds: Float64Array[] = new Array(depth + 1);
      let delta: Float64Array = new Float64Array(widths[depth + 1]);
      delta[k] = 1;
      ds[depth] = delta;
      for (let l = depth; l >= 1; l--) {
        const m = widths[l];
        const c = sw / Math.sqrt(m);
        const w = W[l];
        const prev = new Float64Array(m);
        for (let i = 0; i < delta.length; i++) {
          const di = delta[i];
          if (di === 0) continue;
          const r = i * m;
          for (let j = 0; j < m; j++) prev[j] += w[r + j] * di;
        }
        const der = dx[a][l - 1];
        for (let j = 0; j < m; j++) prev[j] *= c * der[j];
        ds[l - 1] = prev;
        delta = prev;
      }
      deltas.push(ds);
    }
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        let acc = 0;
        for (let l = 0; l <= depth; l++) {
          const m = widths[l];
          acc += dot(deltas[a][l], deltas[b][l]) * ((sw2 / m) * dot(xt[a][l], xt[b][l]) + sb2);
        }
        ntk[a * n + b] += acc / NTK_UNITS;
      }
  }
  return { nngp, ntk };
}

function zScores(samples: Float64Array[], theory: Float64Array): number[] {
  const n = samples.length;
  return Array.from(theory, (t, idx) => {
    let m = 0;
    for (const s of samples) m += s[idx] / n;
    let v = 0;
    for (const s of samples) v += (s[idx] - m) ** 2 / (n - 1);
    return (m - t) / Math.sqrt(v / n);
  });
}

describe("noisy NNGP and NTK against finite noisy networks", () => {
  const x = inputs();
  for (const [a, nz, sw2, sb2, depth] of [
    ["relu", "dropout:keep=0.7", 1.4, 0.1, 2],
    ["tanh", "gauss_add:std=0.5", 1.5, 0.05, 2],
  ] as const) {
    it(`${a}, ${nz}, σ_w² = ${sw2}, σ_b² = ${sb2}, depth ${depth}`, () => {
      const act = parseActivation(a);
      const noise = parseNoise(nz);
      const theory = nngpKernel(x, null, {
        model: { activation: act, noise, sigmaW2: sw2, sigmaB2: sb2 },
        depth,
        ntk: true,
      });
      const runs = Array.from({ length: NETS }, (_, r) => network(x, act, noise, sw2, sb2, depth, r));
      const zk = zScores(
        runs.map((r) => r.nngp),
        theory.nngp.data,
      );
      const zt = zScores(
        runs.map((r) => r.ntk),
        (theory.ntk as Matrix).data,
      );
      const msg = `NNGP z ${zk.map((z) => z.toFixed(2)).join(" ")} | NTK z ${zt.map((z) => z.toFixed(2)).join(" ")}`;
      for (const z of [...zk, ...zt]) expect(Math.abs(z), msg).toBeLessThan(4.5);
      // the effect under test is large: the two equal rows (0 and 2) differ on and off the diagonal
      const K = theory.nngp.data;
      expect(K[0] / K[2]).toBeGreaterThan(1.1);
      // and the same Monte Carlo rejects the kernel of the noiseless network (power check)
      const plain = nngpKernel(x, null, {
        model: { activation: act, noise: parseNoise("none"), sigmaW2: sw2, sigmaB2: sb2 },
        depth,
        ntk: true,
      });
      const zPlain = zScores(
        runs.map((r) => r.nngp),
        plain.nngp.data,
      );
      expect(Math.max(...zPlain.map(Math.abs))).toBeGreaterThan(10);
    });
  }
});
