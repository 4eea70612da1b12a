/**
 * The two routes of a Gaussian layer (src/engine/tensor.ts `LayerRoute`) simulate the same law: for the
 * same configuration, the per-layer means over networks of the explicit route (W sampled) and the
 * conditional route (H = chol((σ_w²/N)XXᵀ)·Z) agree within sampling error. Two-sample z =
 * (m₁ − m₂)/√(s₁²/n + s₂²/n), |z| < Z_MAX = 5 for every layer and statistic (rationale in helpers.ts:
 * ≈ 4.6e-5 per entry for n = 24, so ≲ 0.2 % over the 40 entries here). A route that got the covariance
 * wrong by a factor (e.g. σ_w² instead of σ_w²/N, or X instead of XXᵀ) is off by many standard errors.
 */
import { describe, expect, it } from "vitest";
import { simulateDynamics, type SimConfig } from "../../src/sim/index.js";
import { model, Z_MAX } from "./helpers.js";

const NETS = 24;

function twoSampleZ(a: { mean: number[]; std: number[] }, b: { mean: number[]; std: number[] }): number {
  let worst = 0;
  a.mean.forEach((m, i) => {
    const se = Math.sqrt((a.std[i] ** 2 + b.std[i] ** 2) / NETS);
    if (se > 1e-6 * Math.max(1, Math.abs(m))) worst = Math.max(worst, Math.abs(m - b.mean[i]) / se);
    else expect(Math.abs(m - b.mean[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(m))); // layer 0: exact inputs
  });
  return worst;
}

describe("conditional and explicit Gaussian layers are the same law", () => {
  it.each([
    ["relu", "dropout:keep=0.7", 1.4, 0],
    ["tanh", "gauss_add:std=0.5", 1.5, 0.1],
  ] as const)("%s, %s, σ_w² = %s, σ_b² = %s", async (act, noise, sw2, sb2) => {
    const cfg: SimConfig = {
      model: model(act, noise, sw2, sb2),
      width: 200,
      depth: 8,
      networks: NETS,
      seed: 21,
      weights: "gaussian",
      pairs: 4,
    };
    const c0s = [0.2, 0.8];
    const cond = await simulateDynamics({ ...cfg, route: "conditional" }, 1, c0s);
    const expl = await simulateDynamics({ ...cfg, route: "explicit", seed: 22 }, 1, c0s);
    expect(twoSampleZ(cond.variance, expl.variance)).toBeLessThan(Z_MAX);
    cond.correlation.forEach((c, k) => expect(twoSampleZ(c, expl.correlation[k])).toBeLessThan(Z_MAX));
  });
});
