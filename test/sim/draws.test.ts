/**
 * Random-network draws along a great circle (src/sim/draws.ts) against mean field: the output variance
 * q^L and the output correlation at angular separation Δ = 2π/P, over many draws. Tolerance: 4 standard
 * errors of the mean over draws + 2/N of the scale (finite-width corrections are O(1/N)).
 */
import { describe, expect, it } from "vitest";
import { networkDraws, pathCorrelation } from "../../src/sim/draws.js";
import { makeActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";

describe("networkDraws", () => {
  for (const [sw2, sb2] of [
    [1, 1],
    [4, 0.09],
  ]) {
    it(`tanh σ_w² = ${sw2}, σ_b² = ${sb2}: output variance and neighbour correlation match mean field`, () => {
      const model = {
        activation: makeActivation("tanh"),
        noise: parseNoise("none"),
        sigmaW2: sw2,
        sigmaB2: sb2,
      };
      const D = 120;
      const N = 64;
      const r = networkDraws({ model, width: N, depth: 8, draws: D, points: 4, inputDim: 3, seed: 11 });
      const th = pathCorrelation(model, 8, Math.PI / 2);
      expect(r.theory.qOut).toBe(th.q);
      const se = (sd: number) => sd / Math.sqrt(D);
      expect(Math.abs(r.empirical.qOut - th.q)).toBeLessThan(4 * se(r.empirical.qOutStd) + (2 / N) * th.q);
      expect(Math.abs(r.empirical.neighbourCorrelation - (th.c as number))).toBeLessThan(
        4 * se(r.empirical.neighbourCorrelationStd) + 2 / N,
      );
    });
  }
  it("the same seed gives the same draws; a noisy model is an input error", () => {
    const model = { activation: makeActivation("tanh"), noise: parseNoise("none"), sigmaW2: 2, sigmaB2: 0.1 };
    const a = networkDraws({ model, width: 16, depth: 3, draws: 2, points: 8, seed: 4 });
    const b = networkDraws({ model, width: 16, depth: 3, draws: 2, points: 8, seed: 4 });
    expect(a.outputs).toEqual(b.outputs);
    expect(a.outputs[0]).not.toEqual(a.outputs[1]);
    expect(() =>
      networkDraws({
        model: { ...model, noise: parseNoise("dropout:keep=0.9") },
        width: 4,
        depth: 2,
        points: 4,
      }),
    ).toThrow(/invalid noise/);
  });
});
