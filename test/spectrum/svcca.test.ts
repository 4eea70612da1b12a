/**
 * SVCCA (src/analysis/svcca.ts): exact invariances (1e-10), the population canonical correlation of a
 * noisy copy ρ = 1/√(1+σ²) (sampling SE of one canonical correlation ≈ (1 − ρ²)/√n ≈ 0.006 at n = 4000;
 * tolerance 0.02 allows for the O(k/n) upward bias of sample CCA), the null case (independent data:
 * canonical correlations O(√(k/n))), and the 99 % variance convention on data with known spectrum.
 */
import { describe, expect, it } from "vitest";
import { svcca, svReduce } from "../../src/analysis/svcca.js";
import { svccaExperiment } from "../../src/analysis/svccaExperiment.js";
import { Stream } from "../../src/engine/rng.js";
import { makeActivation } from "../../src/theory/activations.js";

const gauss = (rng: Stream, n: number, d: number) =>
  Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));

describe("SVCCA", () => {
  it("is invariant to invertible affine maps (similarity 1)", () => {
    const rng = new Stream(1);
    const X = gauss(rng, 500, 6);
    const A = gauss(rng, 6, 9);
    const Y = X.map((r) => A[0].map((_, j) => r.reduce((s, v, i) => s + v * A[i][j], 0) + 5 - j));
    const r = svcca(X, Y, { varianceKept: 1 });
    expect(r.kx).toBe(6);
    expect(Math.abs(r.similarity - 1)).toBeLessThan(1e-10);
  });
  it("noisy copy: mean canonical correlation ≈ 1/√(1+σ²)", () => {
    const rng = new Stream(2);
    const n = 4000;
    const X = gauss(rng, n, 4);
    const sig = 0.8;
    const Y = X.map((r) => r.map((v) => v + sig * rng.normal()));
    const r = svcca(X, Y, { varianceKept: 1 });
    expect(Math.abs(r.similarity - 1 / Math.sqrt(1 + sig * sig))).toBeLessThan(0.02);
  });
  it("independent representations: small similarity", () => {
    const rng = new Stream(3);
    const r = svcca(gauss(rng, 2000, 5), gauss(rng, 2000, 5), { varianceKept: 1 });
    expect(r.similarity).toBeLessThan(0.12); // E[ρ̂²] ≈ k/n per correlation
  });
  it("keeps the top directions explaining 99 % of Σ s_i² (centred neurons)", () => {
    // three centred orthogonal columns with norms² ∝ 100, 9, 0.01: 100 < 0.99·109.01 ≤ 109 → k = 2
    const n = 8;
    const cols = [
      [1, -1, 1, -1, 1, -1, 1, -1],
      [1, 1, -1, -1, 1, 1, -1, -1],
      [1, 1, 1, 1, -1, -1, -1, -1],
    ];
    const scale = [10, 3, 0.1];
    const X = Array.from({ length: n }, (_, i) => cols.map((c, j) => c[i] * scale[j] + 7));
    expect(svReduce(X, 0.99).k).toBe(2);
    expect(svReduce(X, 0.9).k).toBe(1);
    expect(svReduce(X, 1).k).toBe(3);
  });
  it("the seed experiment runs and returns similarities in [0, 1] per layer and configuration", () => {
    const curves = svccaExperiment({ width: 16, depth: 4, samples: 48, manifoldDim: 4, seeds: 2 });
    expect(curves.length).toBe(4);
    for (const c of curves) {
      expect(c.mean.length).toBe(4);
      for (const m of c.mean) expect(m >= 0 && m <= 1).toBe(true);
    }
    // layer 1 of a ReLU network keeps most of the input geometry
    expect(curves[0].mean[0]).toBeGreaterThan(0.5);
  });
  it("a linear network without bias is an invertible linear map of the inputs: similarity 1 at every layer", () => {
    // h^l = h⁰·W¹⋯W^l with square Gaussian W (invertible almost surely): the column space of the n × N
    // activations is the inputs' at every layer, and CCA is invariant under invertible linear maps, so
    // every canonical correlation is 1 (to rounding; 1e-6 allows the SVD/CCA of ill-conditioned products)
    const linear = { label: "linear", activation: makeActivation("linear"), sigmaW2: 1, sigmaB2: 0, q0: 1 };
    const [c] = svccaExperiment({
      width: 16,
      depth: 4,
      samples: 48,
      manifoldDim: 4,
      seeds: 2,
      configs: [linear],
    });
    for (const m of c.mean) expect(Math.abs(m - 1)).toBeLessThan(1e-6);
  });
});
