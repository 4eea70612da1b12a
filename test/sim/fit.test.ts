/**
 * ξ_c fits (Fig 5): deterministic checks on exactly exponential data and on the float64 mean-field
 * trajectory, whose tail decays as χ_c^l, i.e. with the theory's ξ_c = −1/ln χ_c (2 % bound: the
 * linearisation error of a late window, where |c − c*| < 1e-2); and one statistical check of a fit to
 * simulated correlations, with the tolerance from the jackknife spread of the fitted ξ.
 */
import { describe, expect, it } from "vitest";
import { decayWindow, fitDepthScale, simulateDynamics } from "../../src/sim/index.js";
import { analyze } from "../../src/theory/analyze.js";
import { dynamics } from "../../src/theory/dynamics.js";
import { model, Z_MAX } from "./helpers.js";

describe("fitDepthScale", () => {
  it("recovers ξ exactly from c^l = c* + A e^{−l/ξ}", () => {
    const corr = Array.from({ length: 20 }, (_, l) => 0.3 + 0.5 * Math.exp(-l / 2.5));
    const fit = fitDepthScale(corr, 0.3, { window: { from: 0, to: 19 } });
    expect(fit.xi).toBeCloseTo(2.5, 10);
    expect(fit.r2).toBeCloseTo(1, 12);
    // weights do not move an exact line (any weighted LS of collinear points recovers it)
    const sem = corr.map((_, l) => 1e-3 * (1 + l));
    const weighted = fitDepthScale(corr, 0.3, { window: { from: 0, to: 19 }, sem, weighted: true });
    expect(weighted.xi).toBeCloseTo(2.5, 10);
  });

  it("default window stops where the deviation falls below k·sem", () => {
    const corr = Array.from({ length: 20 }, (_, l) => 0.3 - 0.4 * Math.exp(-l / 2));
    const sem = corr.map(() => 0.002);
    const fit = fitDepthScale(corr, 0.3, { sem });
    // 0.4 e^{−l/2} > 0.006 ⇔ l < 8.4
    expect(fit.window).toEqual({ from: 1, to: 8 });
    expect(fit.xi).toBeCloseTo(2, 10);
  });

  it.each([
    ["dropout:keep=0.9", 1.8, 2.274034322],
    ["gauss_mult:std=0.1", 2 / 1.01, 6.176931604],
  ])("mean-field trajectory of %s gives the theory ξ_c", (noise, sw2, xi) => {
    const m = model("relu", noise, sw2);
    const a = analyze(m, { q0: 1, c0: 0.5 });
    expect(a.xiC as number).toBeCloseTo(xi, 6);
    const c = dynamics(m, { depth: 60, q0: 1, c0: 0.95 }).c as number[];
    // late window: the linearised regime, deviation still ≫ float64 rounding
    const from = Math.ceil(3 * xi);
    const fit = fitDepthScale(c, a.cStar as number, { window: { from, to: from + Math.ceil(2 * xi) } });
    expect(Math.abs((fit.xi as number) / xi - 1)).toBeLessThan(0.02);
  });

  it("no fit is null with the reason: too few usable layers, no window, no decay", () => {
    const few = fitDepthScale([0.5, 0.3], 0.3);
    expect(few.xi).toBeNull();
    expect(few.note).toMatch(/fewer than two/);
    expect(fitDepthScale([0.5, 0.4, 0.35], 0.3, { window: null }).note).toMatch(/no decay window/);
    const grow = fitDepthScale([0.31, 0.32, 0.34, 0.38], 0.3, { window: { from: 0, to: 3 } });
    expect(grow.xi).toBeNull();
    expect(grow.slope as number).toBeGreaterThan(0);
    expect(grow.note).toMatch(/slope ≥ 0/);
  });

  it("decayWindow stops at the sampling floor; the sem-weighted fit recovers a pure exponential", () => {
    const xi = 3;
    const dev = Array.from({ length: 20 }, (_, l) => 0.5 * Math.exp(-l / xi));
    const sem = dev.map(() => 0.01);
    const w = decayWindow(dev, sem, { from: 1 });
    expect(w).toEqual({ from: 1, to: dev.findLastIndex((d) => d >= 0.02) });
    const c = dev.map((d) => 0.3 + d);
    const fit = fitDepthScale(c, 0.3, { window: w, sem, weighted: true });
    expect(fit.xi).toBeCloseTo(xi, 10);
    // weighted with known variances: se of the slope is √(1/Σw(x − x̄)²), so se_ξ = ξ² √(1/Σw(x − x̄)²)
    const ls = Array.from({ length: (w?.to ?? 0) - 1 + 1 }, (_, i) => i + 1);
    const ws = ls.map((l) => (dev[l] / 0.01) ** 2);
    const W = ws.reduce((a, b) => a + b, 0);
    const mx = ls.reduce((a, l, i) => a + ws[i] * l, 0) / W;
    const sxx = ls.reduce((a, l, i) => a + ws[i] * (l - mx) ** 2, 0);
    expect(Math.abs((fit.se as number) / (xi * xi * Math.sqrt(1 / sxx)) - 1)).toBeLessThan(1e-9);
  });
});

describe("Fig 5: ξ_c fitted to simulated correlations vs theory", () => {
  it("critical dropout p = 0.9 from c⁰ = 1: |ξ_fit − ξ_c| < Z_MAX jackknife standard errors", async () => {
    const m = model("relu", "dropout:keep=0.9", 1.8);
    const a = analyze(m, { q0: 1, c0: 0.5 });
    const nets = 24;
    const r = await simulateDynamics(
      { model: m, width: 500, depth: 12, networks: nets, seed: 31, weights: "gaussian", pairs: 4 },
      1,
      [1],
    );
    const s = r.correlation[0];
    const cStar = a.cStar as number;
    // window: from layer 1 while the deviation from the exact c* exceeds 3 standard errors
    const fit = fitDepthScale(s.mean, cStar, { sem: s.std.map((x) => x / Math.sqrt(nets)) });
    expect(fit.points).toBeGreaterThanOrEqual(4);
    // the spread of the fitted ξ itself: delete-one jackknife over networks, same window
    const per = r.samples.correlation[0];
    const loo = per.map((_, i) => {
      const mean = s.mean.map(
        (_m, l) => per.reduce((acc, row, k) => (k === i ? acc : acc + row[l]), 0) / (nets - 1),
      );
      return fitDepthScale(mean, cStar, { window: fit.window }).xi as number;
    });
    const jm = loo.reduce((x, y) => x + y, 0) / nets;
    const se = Math.sqrt(((nets - 1) / nets) * loo.reduce((acc, v) => acc + (v - jm) ** 2, 0));
    expect(se).toBeGreaterThan(0);
    expect(Math.abs((fit.xi as number) - (a.xiC as number)) / se).toBeLessThan(Z_MAX);
  });
});
