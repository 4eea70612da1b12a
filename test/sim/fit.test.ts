/**
 * ξ_c fits (Fig 5): deterministic checks on exactly exponential data and on the float64 mean-field
 * trajectory, whose tail decays as χ_c^l, i.e. with the theory's ξ_c = −1/ln χ_c.
 */
import { describe, expect, it } from "vitest";
import { fitDepthScale } from "../../src/sim/index.js";
import { analyze } from "../../src/theory/analyze.js";
import { dynamics } from "../../src/theory/dynamics.js";
import { model } from "./helpers.js";

describe("fitDepthScale", () => {
  it("recovers ξ exactly from c^l = c* + A e^{−l/ξ}", () => {
    const corr = Array.from({ length: 20 }, (_, l) => 0.3 + 0.5 * Math.exp(-l / 2.5));
    const fit = fitDepthScale(corr, 0.3, { from: 0, to: 19 });
    expect(fit.xi).toBeCloseTo(2.5, 10);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it("default window stops where the deviation falls below k·sem", () => {
    const corr = Array.from({ length: 20 }, (_, l) => 0.3 - 0.4 * Math.exp(-l / 2));
    const sem = corr.map(() => 0.002);
    const fit = fitDepthScale(corr, 0.3, undefined, { sem });
    // 0.4 e^{−l/2} > 0.006 ⇔ l < 8.4
    expect(fit.to).toBe(8);
    expect(fit.xi).toBeCloseTo(2, 10);
  });

  it.each([
    ["dropout:keep=0.9", 1.8, 2.274034322],
    ["gauss_mult:std=0.1", 2 / 1.01, 6.176931604],
  ])("mean-field trajectory of %s gives the theory ξ_c", (noise, sw2, xi) => {
    const m = model("relu", noise, sw2);
    const a = analyze(m, 1, 0.5);
    expect(a.xi_c as number).toBeCloseTo(xi, 6);
    const c = dynamics(m, 60, 1, 0.95).c as number[];
    // late window: the linearised regime, deviation still ≫ float64 rounding
    const from = Math.ceil(3 * xi);
    const fit = fitDepthScale(c, a.c_star as number, { from, to: from + Math.ceil(2 * xi) });
    expect(Math.abs(fit.xi / xi - 1)).toBeLessThan(0.02);
  });

  it("too few usable layers gives NaN, not a number", () => {
    expect(fitDepthScale([0.5, 0.3], 0.3).xi).toBeNaN();
  });
});
