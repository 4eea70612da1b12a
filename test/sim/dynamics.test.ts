/**
 * Multi-layer dynamics (Figs 2b, 3b, 4b): simulated per-layer means agree with the float64 mean-field
 * recursion within sampling error (|z| < Z_MAX, see helpers.ts for the rationale).
 */
import { describe, expect, it } from "vitest";
import { simulateDynamics, zScores } from "../../src/sim/index.js";
import { analyze } from "../../src/theory/analyze.js";
import { dynamics } from "../../src/theory/dynamics.js";
import { model, worst, Z_MAX } from "./helpers.js";

const NETS = 24;

describe("simulateDynamics vs theory", () => {
  it("critical dropout p = 0.6 (σ_w² = 2p) keeps the variance at q⁰ over 15 layers", async () => {
    const m = model("relu", "dropout:keep=0.6", 1.2);
    const res = await simulateDynamics(
      { model: m, width: 500, depth: 15, networks: NETS, seed: 11, weights: "gaussian" },
      1,
      [0.5],
    );
    const theory = dynamics(m, { depth: 15, q0: 1, c0: 0.5 }).q;
    for (const q of theory) expect(q).toBeCloseTo(1, 12);
    expect(res.variance.mean).toHaveLength(16);
    expect(worst(zScores(res.variance, theory, NETS))).toBeLessThan(Z_MAX);
  });

  it("ReLU He init + additive Gaussian noise (std 1) grows by 2μ2 per layer: 4, 6, 8, …", async () => {
    const m = model("relu", "gauss_add:std=1", 2);
    const res = await simulateDynamics(
      { model: m, width: 500, depth: 10, networks: NETS, seed: 12, weights: "gaussian" },
      4,
      [0.5],
    );
    const theory = dynamics(m, { depth: 10, q0: 4, c0: 0.5 }).q;
    theory.forEach((q, l) => expect(q).toBeCloseTo(4 + 2 * m.noise.mu2 * l, 10));
    expect(worst(zScores(res.variance, theory, NETS))).toBeLessThan(Z_MAX);
    // the growth is visible well beyond the spread: last layer mean − q⁰ ≫ its standard error
    const last = res.variance.mean[10];
    expect(last - 4).toBeGreaterThan(Z_MAX * (res.variance.std[10] / Math.sqrt(NETS)));
  });

  it("tanh (σ_w² = 1) + additive Gaussian noise (std 1) converges from q⁰ = 4 to q* = 1.4638508911", async () => {
    const m = model("tanh", "gauss_add:std=1", 1);
    const res = await simulateDynamics(
      { model: m, width: 500, depth: 15, networks: NETS, seed: 13, weights: "gaussian" },
      4,
      [0.5],
    );
    const theory = dynamics(m, { depth: 15, q0: 4, c0: 0.5 }).q;
    expect(theory[15]).toBeCloseTo(1.4638508911, 6);
    expect(worst(zScores(res.variance, theory, NETS))).toBeLessThan(Z_MAX);
  });

  it("correlations from c⁰ ∈ {0, 0.5, 0.9} converge to c* (critical dropout p = 0.6)", async () => {
    const m = model("relu", "dropout:keep=0.6", 1.2);
    const c0s = [0, 0.5, 0.9];
    const res = await simulateDynamics(
      { model: m, width: 500, depth: 12, networks: NETS, seed: 14, weights: "gaussian" },
      1,
      c0s,
    );
    const cStar = analyze(m, { q0: 1, c0: 0.5 }).cStar as number;
    expect(cStar).toBeCloseTo(0.2839086535, 8);
    c0s.forEach((c0, k) => {
      const s = res.correlation[k];
      expect(s.mean[0]).toBeCloseTo(c0, 6); // exactly normalised inputs
      expect(worst(zScores(s, dynamics(m, { depth: 12, q0: 1, c0 }).c, NETS))).toBeLessThan(Z_MAX);
      // deep layers: mean within Z_MAX standard errors of c*
      expect(Math.abs(s.mean[12] - cStar)).toBeLessThan(Z_MAX * (s.std[12] / Math.sqrt(NETS)));
    });
  });

  it.each([
    ["gauss_mult:std=0.25", 2 / 1.0625],
    ["poisson_mult", 1],
    ["laplace_mult:scale=0.5", 2 / 1.5],
  ])("critical %s: variance and correlation follow theory", async (noise, sw2) => {
    const m = model("relu", noise, sw2);
    const res = await simulateDynamics(
      { model: m, width: 400, depth: 8, networks: NETS, seed: 15, weights: "gaussian" },
      2,
      [0.2],
    );
    const th = dynamics(m, { depth: 8, q0: 2, c0: 0.2 });
    expect(worst(zScores(res.variance, th.q, NETS))).toBeLessThan(Z_MAX);
    expect(worst(zScores(res.correlation[0], th.c, NETS))).toBeLessThan(Z_MAX);
  });

  it("orthogonal weights and biases: tanh with σ_b² = 0.1 and Laplace additive noise", async () => {
    const m = model("tanh", "laplace_add:scale=0.3", 1.5, 0.1);
    const res = await simulateDynamics(
      { model: m, width: 200, depth: 6, networks: NETS, seed: 16, weights: "orthogonal" },
      1,
      [0.6],
    );
    const th = dynamics(m, { depth: 6, q0: 1, c0: 0.6 });
    expect(worst(zScores(res.variance, th.q, NETS))).toBeLessThan(Z_MAX);
    expect(worst(zScores(res.correlation[0], th.c, NETS))).toBeLessThan(Z_MAX);
  });

  it("a mismatched model is detected (the z test has power): sim at σ_w² = 1.2 vs theory at 1.3", async () => {
    const m = model("relu", "dropout:keep=0.6", 1.2);
    const res = await simulateDynamics(
      { model: m, width: 500, depth: 6, networks: NETS, seed: 17, weights: "gaussian" },
      1,
      [0.5],
    );
    const wrong = dynamics(model("relu", "dropout:keep=0.6", 1.3), { depth: 6, q0: 1, c0: 0.5 }).q;
    expect(worst(zScores(res.variance, wrong, NETS))).toBeGreaterThan(Z_MAX);
  });
});
