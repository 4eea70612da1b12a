/**
 * Single-layer map experiments (Figs 2a, 3a, 4a): one application of the variance map at several input
 * variances and of the correlation map at several input correlations; |z| < Z_MAX (helpers.ts).
 */
import { describe, expect, it } from "vitest";
import { simulateCorrelationMap, simulateVarianceMap, zScores } from "../../src/sim/index.js";
import { covarianceMap, varianceMap } from "../../src/theory/maps.js";
import { model, worst, Z_MAX } from "./helpers.js";

const NETS = 24;
const linspace = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

describe("single-layer maps vs theory", () => {
  it.each([
    ["tanh", "none", 1],
    ["tanh", "gauss_add:std=1", 1],
    ["relu", "gauss_add:std=1", 2],
    ["relu", "dropout:keep=0.6", 1.2 * 0.85 ** 2],
    ["relu", "gauss_mult:std=0.25", (2 / 1.0625) * 1.25 ** 2],
  ])("variance map V(q) for %s + %s at σ_w² = %f, q⁰ ∈ [0, 15] (Figs 2a, 3a)", async (act, noise, sw2) => {
    const m = model(act, noise, sw2);
    const q0s = linspace(0, 15, 8);
    const res = await simulateVarianceMap(
      { model: m, width: 500, networks: NETS, seed: 21, weights: "gaussian" },
      q0s,
    );
    expect(res.mean).toHaveLength(q0s.length);
    expect(
      worst(
        zScores(
          res,
          q0s.map((q) => varianceMap(m, q)),
          NETS,
        ),
      ),
    ).toBeLessThan(Z_MAX);
  });

  it.each([
    ["none", 2],
    ["dropout:keep=0.8", 1.6],
    ["gauss_mult:std=2", 2 / 5],
  ])("correlation map C(c) for ReLU + %s at criticality, c⁰ ∈ [0, 1] (Fig 4a)", async (noise, sw2) => {
    const m = model("relu", noise, sw2);
    const c0s = linspace(0, 1, 6);
    const res = await simulateCorrelationMap(
      { model: m, width: 500, networks: NETS, seed: 22, weights: "gaussian", pairs: 2 },
      1,
      c0s,
    );
    const theory = c0s.map((c) => covarianceMap(m, 1, 1, c) / varianceMap(m, 1));
    expect(worst(zScores(res, theory, NETS))).toBeLessThan(Z_MAX);
    if (noise === "none") expect(res.mean[5]).toBeCloseTo(1, 5); // identical inputs stay identical without noise
  });
});
