/**
 * Large-batch gradient growth of batch-normalised networks (src/theory/batchnorm.ts, Yang et al. 2019):
 * ReLU's closed form π/(π−1) to 1e-10 (the library computes E[φ] by quadrature); the Gaussian Poincaré
 * bound λ ≥ 1 (equality for linear φ) over the catalogue; and a Monte Carlo of gradient norms through
 * batch-normalised float64 networks (test/theory/mcNets.ts) at growing batch size B, fitted by
 * λ(B) = λ∞ + a/B. Tolerance of the fitted λ∞: 3 standard errors of the fit (from the spread of the
 * per-network estimates) plus 2 % for finite width: at B = 64, width 256 vs 512 changed the tanh estimate
 * by 0.7 % (1.211 → 1.203) in a side run, and mean field needs width ≫ batch.
 */
import { describe, expect, it } from "vitest";
import { ACTIVATION_CATALOGUE, makeActivation } from "../../src/theory/activations.js";
import { batchNormGradientGrowth } from "../../src/theory/batchnorm.js";
import { batchNormGradientMc } from "./mcNets.js";

describe("batch-norm gradient growth, large-batch limit", () => {
  it("ReLU: π/(π−1) to 1e-10", () => {
    const r = batchNormGradientGrowth(makeActivation("relu"));
    expect(Math.abs(r.gradientGrowth / (Math.PI / (Math.PI - 1)) - 1)).toBeLessThan(1e-10);
    expect(r.gradientGrowth).toBeCloseTo(1.46694, 5);
  });
  it("linear φ: no growth (λ = 1); every other catalogue φ: λ > 1 (Gaussian Poincaré inequality)", () => {
    for (const a of ACTIVATION_CATALOGUE) {
      const r = batchNormGradientGrowth(makeActivation(a.name));
      if (a.name === "linear") expect(Math.abs(r.gradientGrowth - 1)).toBeLessThan(1e-12);
      else expect(r.gradientGrowth, a.name).toBeGreaterThan(1 + 1e-3);
    }
  });
  it("erf: λ from its closed-form moments (E[erf(z)²] = (2/π)asin(2/3), E[erf′²] = 4/(π√5))", () => {
    const want = 4 / (Math.PI * Math.sqrt(5)) / ((2 / Math.PI) * Math.asin(2 / 3));
    expect(Math.abs(batchNormGradientGrowth(makeActivation("erf")).gradientGrowth / want - 1)).toBeLessThan(
      1e-12,
    );
  });
});

describe("batch-norm gradient growth vs Monte Carlo at growing batch size", () => {
  for (const name of ["relu", "tanh"]) {
    it(`${name}: finite-batch growth decreases with B and extrapolates to the limit`, () => {
      const act = makeActivation(name);
      const lim = batchNormGradientGrowth(act).gradientGrowth;
      const Bs = [16, 32, 64];
      const xs: number[] = [];
      const ys: number[] = [];
      const means: number[] = [];
      for (const B of Bs) {
        const vals: number[] = [];
        for (let s = 0; s < 3; s++) {
          // depth 14: 5 forward layers of burn-in to the BN fixed point, 3 backward layers for the gradient
          // to align with its growth direction, the geometric mean of the 6 ratios in between
          const r = batchNormGradientMc(act, 256, B, 14, 1000 * B + s);
          const mid = r.slice(3, 9);
          vals.push(Math.exp(mid.reduce((a, v) => a + Math.log(v), 0) / mid.length));
        }
        for (const v of vals) {
          xs.push(1 / B);
          ys.push(v);
        }
        means.push(vals.reduce((a, b) => a + b) / vals.length);
      }
      // ordinary least squares on all network estimates; SE of the intercept from the residual spread
      const n = xs.length;
      const mx = xs.reduce((a, b) => a + b) / n;
      const my = ys.reduce((a, b) => a + b) / n;
      const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
      const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
      const icpt = my - slope * mx;
      const rss = ys.reduce((a, y, i) => a + (y - icpt - slope * xs[i]) ** 2, 0);
      const se = Math.sqrt((rss / (n - 2)) * (1 / n + (mx * mx) / sxx));
      expect(slope).toBeGreaterThan(0);
      expect(means[2]).toBeLessThan(means[0]);
      expect(Math.abs(icpt - lim), `fit ${icpt} ± ${se}, limit ${lim}`).toBeLessThan(3 * se + 0.02 * lim);
    }, 120_000);
  }
});
