/**
 * Density by Newton continuation for general φ (src/theory/spectrum/smoothDensity.ts) against
 * (a) the S-transform moment series (∫ x^k ρ = m_k, k = 1..3; the quadrature of the density in x is a
 * graded Gauss–Legendre rule whose error here is < 1e-8 relative, and M_D uses a 1024-node rule), and
 * (b) the closed-form polynomial route for ReLU (same density from two independent computations:
 * quadrature-based M_D and Newton in w vs the algebraic equation in M), to 1e-8, and (c) simulated
 * critical tanh networks with orthogonal weights (the near-isometric case): the eigenvalue counting
 * function at three points within 4 SE over networks + COUNTING_BIAS_C/N (the O(1/N) finite-width bias
 * inside the bulk, derived and measured for these points in counting.ts: |N·bias| ≤ 0.80 ± 0.23 at N = 64).
 */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { gradedRule } from "./gradedRule.js";
import { smoothDensity } from "../../src/theory/spectrum/smoothDensity.js";
import { pwlDensity } from "../../src/theory/spectrum/density.js";
import { spectrumMoments } from "../../src/theory/spectrum/moments.js";
import { criticalFromQStar } from "../../src/theory/critical.js";
import { densityIntegral } from "../../src/spectra/histogram.js";
import { expectCountingFunction, orthogonalAtCritical } from "./counting.js";

function densityMoments(
  name: string,
  q: number,
  sigmaW2: number,
  L: number,
  weights: "gaussian" | "orthogonal",
) {
  const activation = makeActivation(name);
  const inp = { activation, q, sigmaW2, depth: L, weights };
  const edge = smoothDensity(inp, { points: 1 }).edge;
  const { xs, ws } = gradedRule(edge, 2 * L);
  const d = smoothDensity(inp, { xs });
  const m = [1, 2, 3].map((k) => xs.reduce((acc, x, i) => acc + ws[i] * d.density[i] * x ** k, 0));
  const series = spectrumMoments({ activation, sigmaW2, depth: L, weights, q, order: 3 }).moments;
  return { m, series, edge };
}

describe("smooth-φ density by Newton continuation", () => {
  for (const [name, q, sw2, L, w] of [
    ["tanh", 0.5, 1.2, 4, "gaussian"],
    ["tanh", 0.2, 1.05, 10, "orthogonal"],
    ["erf", 1, 1.3, 3, "gaussian"],
  ] as const) {
    it(`${name} ${w} L=${L}: ∫x^kρ = m_k (k = 1..3)`, () => {
      const r = densityMoments(name, q, sw2, L, w);
      r.m.forEach((m, k) => expect(Math.abs(m / r.series[k] - 1)).toBeLessThan(1e-7));
    });
  }
  it("ReLU through the general route equals the algebraic (polynomial) route", () => {
    for (const weights of ["gaussian", "orthogonal"] as const) {
      const xs = [0.01, 0.3, 1, 2.5, 7, 11.5];
      const a = smoothDensity(
        { activation: makeActivation("relu"), q: 1, sigmaW2: 2, depth: 5, weights },
        { xs },
      );
      const b = pwlDensity({ p: 0.5, sigmaW2: 2, depth: 5, weights }, { xs });
      expect(Math.abs(a.edge / (b.edge as number) - 1)).toBeLessThan(1e-10);
      expect(a.atom0).toBeCloseTo(0.5, 14);
      xs.forEach((_, i) =>
        expect(Math.abs(a.density[i] - b.density[i])).toBeLessThan(1e-8 * Math.max(1, b.density[i])),
      );
    }
  });
  it("critical tanh (q* = 0.05), orthogonal, L = 8: simulated counting function vs ∫ρ", () => {
    const act = makeActivation("tanh");
    const q = 0.05;
    const L = 8;
    const N = 64;
    const c = criticalFromQStar(act, q);
    const th = { activation: act, q, sigmaW2: c.sigmaW2, depth: L, weights: "orthogonal" as const };
    const edge = smoothDensity(th, { xs: [] }).edge;
    const ts = [0.25, 0.5, 0.75].map((f) => f * edge);
    const cdf = ts.map((t) => densityIntegral(th, 0, t));
    expectCountingFunction(orthogonalAtCritical(act, c, N, L, q), 24, 4, ts, cdf);
  });
});
