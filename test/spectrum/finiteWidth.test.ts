/**
 * Exact finite-width law of ReLU networks (src/theory/finiteWidth.ts) against independent routes:
 * the He-init closed form 3(1+5/N)^l, the mean-field variance map of src/theory, Monte Carlo of the
 * scale recursion and of actual networks (tolerance 4 standard errors; the kurtosis SE is the delta-method
 * SE of E[h⁴]/E[h²]² from i.i.d. networks — units within a network share the scale, so networks are the
 * independent unit), and the numerical density (its mass and moments, to the grid accuracy 1e-4).
 * Looks-linear init: exact linearity and unit singular values are algebraic (1e-12).
 */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { makeNoise } from "../../src/theory/noise.js";
import { varianceDynamics } from "../../src/theory/dynamics.js";
import {
  binomialHalfPmf,
  chiMixtureMoments,
  finiteWidthLaw,
  lgamma,
  scaleDensity,
  scaleMoments,
} from "../../src/theory/finiteWidth.js";
import {
  kurtosisEstimate,
  sampleReluNetworkOutputs,
  sampleScaleRecursion,
} from "../../src/sim/finiteWidth.js";
import { linearForward, looksLinearInit, reluForward, reluJacobian } from "../../src/engine/looksLinear.js";
import { Stream } from "../../src/engine/rng.js";
import { jacobian, jjtEigenvalues, sampleNetwork } from "../../src/spectra/jacobian.js";
import { Matrix, SingularValueDecomposition } from "ml-matrix";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("exact moments", () => {
  it("He init: kurtosis 3(1+5/N)^l after l random stages", () => {
    for (const N of [1, 3, 10, 50, 1000]) {
      const law = finiteWidthLaw({ width: N, stages: 25, sigmaW2: 2, sigmaB2: 0, s0: 1 });
      law.kurtosis.forEach((k, l) => expect(rel(k, 3 * Math.pow(1 + 5 / N, l))).toBeLessThan(1e-11)); // rounding of 25 binomial sums
      law.mean.forEach((m) => expect(Math.abs(m - 1)).toBeLessThan(1e-12));
    }
  });
  it("the mean scale equals the mean-field variance map for any σ_w², σ_b²", () => {
    const model = {
      activation: makeActivation("relu"),
      noise: makeNoise("none"),
      sigmaW2: 1.7,
      sigmaB2: 0.3,
    };
    const mf = varianceDynamics(model, { depth: 12, q0: 0.8 });
    const rows = scaleMoments({ width: 7, stages: 12, sigmaW2: 1.7, sigmaB2: 0.3, s0: 0.8 }, { order: 2 });
    rows.forEach((r, l) => expect(rel(r[0], mf[l])).toBeLessThan(1e-12));
  });
  it("χ² mixture moments: E[K] = N/2, E[K² + 2K] = N²/4 + 5N/4; pmf sums to 1; lgamma matches factorials", () => {
    const N = 37;
    const m = chiMixtureMoments(N, 2);
    expect(rel(m[1], N / 2)).toBeLessThan(1e-13);
    expect(rel(m[2], (N * N) / 4 + (5 * N) / 4)).toBeLessThan(1e-13);
    expect(Math.abs(binomialHalfPmf(N).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-14);
    expect(Math.abs(lgamma(11) - Math.log(3628800))).toBeLessThan(1e-13);
    expect(Math.abs(lgamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-14);
  });
  it("P(signal dies) = 1 − (1 − 2^{−N})^stages, and 0 with σ_b² > 0", () => {
    expect(
      rel(
        finiteWidthLaw({ width: 3, stages: 5, sigmaW2: 2, sigmaB2: 0, s0: 1 }).pDead,
        1 - Math.pow(7 / 8, 5),
      ),
    ).toBeLessThan(1e-14);
    expect(finiteWidthLaw({ width: 3, stages: 5, sigmaW2: 2, sigmaB2: 0.1, s0: 1 }).pDead).toBe(0);
  });
});

describe("Monte Carlo", () => {
  it("the recursion: mean and kurtosis within 4 SE (N = 12, 6 stages, σ_b² = 0.2)", () => {
    const inp = { width: 12, stages: 6, sigmaW2: 1.8, sigmaB2: 0.2, s0: 1.3 };
    const law = finiteWidthLaw(inp);
    const s = sampleScaleRecursion(inp, { samples: 100000, seed: 11 });
    const s2 = Float64Array.from(s, (v) => 3 * v * v);
    const k = kurtosisEstimate(s, s2);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1));
    expect(Math.abs(mean - law.mean[6])).toBeLessThan((4 * sd) / Math.sqrt(s.length));
    expect(Math.abs(k.kurtosis - law.kurtosis[6])).toBeLessThan(4 * k.se);
  });
  it("actual ReLU networks (fixed input, L = 4 weight layers = 3 stages, N = 16): kurtosis within 4 SE", () => {
    const N = 16;
    const out = sampleReluNetworkOutputs({
      width: N,
      depth: 4,
      sigmaW2: 2,
      sigmaB2: 0,
      xNorm2: 1,
      networks: 6000,
      seed: 5,
    });
    const k = kurtosisEstimate(out.h2, out.h4);
    const exact = 3 * Math.pow(1 + 5 / N, 3);
    expect(Math.abs(k.kurtosis - exact)).toBeLessThan(4 * k.se);
    // and clearly away from mean field (3) at this width
    expect(k.kurtosis - 3).toBeGreaterThan(4 * k.se);
  });
  it("actual networks with a bias: kurtosis follows the exact law, not 3(1+5/N)^l", () => {
    const N = 10;
    const sigmaW2 = 1.5;
    const sigmaB2 = 0.5;
    const xNorm2 = 1;
    const out = sampleReluNetworkOutputs({
      width: N,
      depth: 4,
      sigmaW2,
      sigmaB2,
      xNorm2,
      networks: 6000,
      seed: 6,
    });
    const k = kurtosisEstimate(out.h2, out.h4);
    const law = finiteWidthLaw({ width: N, stages: 3, sigmaW2, sigmaB2, s0: sigmaW2 * xNorm2 + sigmaB2 });
    expect(Math.abs(k.kurtosis - law.kurtosis[3])).toBeLessThan(4 * k.se);
  });
  it("the fraction of dead networks (N = 3, 6 weight layers) matches P(dead) within 4 binomial SE", () => {
    const out = sampleReluNetworkOutputs({
      width: 3,
      depth: 6,
      sigmaW2: 2,
      sigmaB2: 0,
      xNorm2: 1,
      networks: 4000,
      seed: 8,
    });
    const p = finiteWidthLaw({ width: 3, stages: 5, sigmaW2: 2, sigmaB2: 0, s0: 2 }).pDead;
    expect(Math.abs(out.dead - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 4000));
  });
});

describe("numerical density of the scale", () => {
  const moments = (
    inp: { width: number; stages: number; sigmaW2: number; sigmaB2: number; s0: number },
    G: number,
  ) => {
    const sd = scaleDensity(inp, { gridPoints: G });
    const dt = sd.logScale[1] - sd.logScale[0];
    let m0 = 0;
    let m1 = 0;
    let m2 = 0;
    sd.density.forEach((f, i) => {
      const v = Math.exp(sd.logScale[i]);
      m0 += f * dt;
      m1 += f * dt * v;
      m2 += f * dt * v * v;
    });
    return { sd, m0, m1, m2 };
  };
  it("σ_b² = 0: mass + P(dead) + truncation = 1 and E[s^k]/E[s]^k (k = 1, 2) match the exact moments to 1e-4", () => {
    const inp = { width: 8, stages: 4, sigmaW2: 2, sigmaB2: 0, s0: 1 };
    const { sd, m0, m1, m2 } = moments(inp, 2048);
    const law = finiteWidthLaw(inp);
    expect(Math.abs(m0 + sd.pDead + sd.lost - 1)).toBeLessThan(1e-12);
    expect(sd.lost).toBeLessThan(1e-4);
    expect(Math.abs(m1 - (1 - 0))).toBeLessThan(1e-4);
    expect(Math.abs(m2 - law.normalizedScaleMoments[1]) / law.normalizedScaleMoments[1]).toBeLessThan(1e-4);
  });
  it("σ_b² = 0.3: mass conserved; moment errors are O(Δ²) (×4 smaller when the grid doubles)", () => {
    const inp = { width: 8, stages: 4, sigmaW2: 2, sigmaB2: 0.3, s0: 1 };
    const law = finiteWidthLaw(inp);
    const a = moments(inp, 1024);
    const b = moments(inp, 2048);
    expect(Math.abs(b.m0 - 1)).toBeLessThan(1e-12);
    const ea = a.m2 - law.normalizedScaleMoments[1];
    const eb = b.m2 - law.normalizedScaleMoments[1];
    expect(Math.abs(eb) / law.normalizedScaleMoments[1]).toBeLessThan(2e-3);
    expect(ea / eb).toBeGreaterThan(3);
    expect(ea / eb).toBeLessThan(5);
    // Richardson-extrapolated second moment agrees to 1e-4
    expect(
      Math.abs((4 * b.m2 - a.m2) / 3 - law.normalizedScaleMoments[1]) / law.normalizedScaleMoments[1],
    ).toBeLessThan(1e-4);
  });
});

describe("looks-linear initialisation", () => {
  it("the ReLU network computes exactly W0^L ⋯ W0^1 x (gaussian blocks, rectangular ends)", () => {
    const net = looksLinearInit({
      inputDim: 7,
      width: 20,
      outputDim: 3,
      depth: 6,
      weights: "gaussian",
      sigma2: 1.3,
      seed: 4,
    });
    const x = new Stream(1).normals(7);
    const y = reluForward(net.layers, x).output;
    const z = linearForward(net.blocks, x);
    const scale = Math.max(...Array.from(z, Math.abs));
    for (let i = 0; i < 3; i++) expect(Math.abs(y[i] - z[i])).toBeLessThan(1e-12 * scale);
    expect(net.layers[2].rows).toBe(40);
  });
  it("with orthogonal blocks every singular value of the input–output Jacobian is 1 (depth 30)", () => {
    const n = 24;
    const net = looksLinearInit({
      inputDim: n,
      width: n,
      outputDim: n,
      depth: 30,
      weights: "orthogonal",
      seed: 2,
    });
    const x = new Stream(3).normals(n);
    const J = reluJacobian(net.layers, x);
    const rows: number[][] = [];
    for (let i = 0; i < n; i++) rows.push(Array.from(J.J.subarray(i * n, (i + 1) * n)));
    const sv = new SingularValueDecomposition(new Matrix(rows)).diagonal;
    for (const s of sv) expect(Math.abs(s - 1)).toBeLessThan(1e-12);
    // while a standard He-initialised ReLU network of the same depth (orthogonal weights too) is far from
    // isometric: J = D₃₀W₃₀⋯D₁W₁ has rank ≤ the fewest active units in any layer, each Binomial(24, ½), so
    // P(rank = 24) ≤ 2⁻²⁴ per layer: JJᵀ has exact-zero eigenvalues (s = 0, |s − 1| = 1), about half of them
    const std = sampleNetwork(
      {
        activation: makeActivation("relu"),
        sigmaW2: 2,
        sigmaB2: 0,
        width: n,
        depth: 30,
        weights: "orthogonal",
        q0: 1,
      },
      { seed: 2, net: 0 },
    );
    const ev = jjtEigenvalues(jacobian(std), n);
    const top = Math.max(...ev);
    const zeros = Array.from(ev).filter((x) => x <= 1e-12 * top).length;
    expect(zeros).toBeGreaterThanOrEqual(n / 4);
  });
});
