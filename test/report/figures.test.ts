/**
 * Figure data against the theory, computed another way: closed forms of docs/THEORY.md §2 (noisy ReLU) and the
 * public check values, with a fake simulator standing in for src/sim.
 */
import { describe, expect, it } from "vitest";
import type { Figure, Json, Scale } from "../../src/report/figure.js";
import { fig2 } from "../../src/report/figures/fig2.js";
import { criticalBoundary, fig3, FIG3_MODELS } from "../../src/report/figures/fig3.js";
import { fig4, phaseDiagram } from "../../src/report/figures/fig4.js";
import { fig5, fig5Theory, fitFig5, FIG5_C0S, FIG5_CONFIGS } from "../../src/report/figures/fig5.js";
import { criticalRelu } from "../../src/report/figures/common.js";
import { dynamics } from "../../src/theory/dynamics.js";
import { modelOf } from "../../src/report/jobs.js";
import { fakeSimulator } from "./fakeSim.js";

const TINY: Scale = { name: "tiny", width: 8, networks: 3, weights: "gaussian", pairs: 1 };

async function buildWithFake(fig: Figure, noise = 0.001) {
  const sim = fakeSimulator({ noise });
  const results = new Map<string, Json>();
  for (const j of fig.jobs(TINY)) results.set(j.id, await j.run({ sim, seed: 7, onProgress: () => {} }));
  return fig.build(TINY, results);
}

/** g(c) of docs/THEORY.md §2 and c* from bisection on g(c)/μ2 = c in (1/(πμ2), 1/μ2). */
function g(c: number) {
  return (c * Math.asin(c) + Math.sqrt(1 - c * c)) / Math.PI + c / 2;
}
function cStarClosedForm(mu2: number) {
  let lo = 1 / (Math.PI * mu2);
  let hi = 1 / mu2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) / mu2 - mid > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe("Fig 2", () => {
  it("records tanh + noise q* and ReLU + additive noise growing by 2μ2 per layer", async () => {
    const out = await buildWithFake(fig2);
    const qStar = (out.data.q_star as Record<string, { q_star: number }>)["tanh + noise"].q_star;
    expect(qStar).toBeCloseTo(1.4638508911, 9);
    const relu = out.tables.find((t) => t.name === "b_relu_noise")!.rows.map((r) => r.theory_q as number);
    relu.forEach((q, l) => expect(q).toBeCloseTo(4 + 2 * l, 10));
    expect(out.agreement).toHaveLength(8);
    for (const a of out.agreement) expect(a.maxAbsZ).toBeLessThan(1);
  });
});

describe("Fig 3", () => {
  it("uses σ_w² = 2/μ2 scaled by the paper's factors and draws the analytic boundary", async () => {
    const crit = FIG3_MODELS.filter((m) => m.sigmaWScale === 1).map((m) => m.spec.sigmaW2);
    expect(crit[0]).toBeCloseTo(2 * 0.6, 14); // dropout keep 0.6: 2p
    expect(crit[1]).toBeCloseTo(2 / (1 + 0.25 ** 2), 14);
    const under = FIG3_MODELS.find((m) => m.sigmaWScale === 0.85)!;
    expect(under.spec.sigmaW2).toBeCloseTo(1.2 * 0.85 ** 2, 14);
    const b = criticalBoundary(11);
    b.mu2.forEach((m, i) => expect(b.sigmaW2[i]).toBeCloseTo(2 / m, 14));
    expect(b.mu2[0]).toBe(1);
    expect(b.mu2[10]).toBe(2);
    const out = await buildWithFake(fig3);
    // critical ReLU preserves the variance: theory q^l = q⁰ on every layer
    const critRows = out.tables.find((t) => t.name === "b_dropout_critical")!.rows;
    for (const r of critRows) expect(r.theory_q as number).toBeCloseTo(4, 10);
  });
});

describe("Fig 4", () => {
  it("χ_c(c*) of the phase diagram matches the closed form (asin(c*)/π + 1/2)/μ2", () => {
    const ph = phaseDiagram(10);
    ph.mu2.forEach((mu2, i) => {
      if (mu2 === 1) {
        expect(ph.chiC[i]).toBeCloseTo(1, 12); // noiseless: the edge of chaos
        return;
      }
      const c = cStarClosedForm(mu2);
      expect(ph.cStar[i]).toBeCloseTo(c, 10);
      expect(ph.chiC[i]).toBeCloseTo((Math.asin(c) / Math.PI + 0.5) / mu2, 10);
      expect(ph.chiC[i]).toBeLessThan(1);
    });
  });

  it("records the public check values and C(1) = 1/μ2", async () => {
    const out = await buildWithFake(fig4);
    const fp = out.data.fixed_points as Record<string, { c_star: number; xi_c: number; mu2: number }>;
    expect(fp["dropout p=0.6"].c_star).toBeCloseTo(0.2839086535, 9);
    expect(fp["dropout p=0.6"].xi_c).toBeCloseTo(0.9655330257, 9);
    expect(fp["no noise"].c_star).toBe(1);
    // critical init: the phase (one rule) is the edge of chaos by χ_grad = 1, while χ_c < 1 (panel c)
    const ph = out.data.fixed_points as Record<string, { phase: string; decided_by: string; chi_c: number }>;
    expect(ph["dropout p=0.6"]).toMatchObject({ phase: "edge_of_chaos", decided_by: "chi_grad" });
    expect(ph["dropout p=0.6"].chi_c).toBeLessThan(1);
    expect(ph["no noise"]).toMatchObject({ phase: "edge_of_chaos", decided_by: "chi1" });
    expect(out.caption).toMatch(/edge_of_chaos, decided by χ_grad/);
    const a = out.tables.find((t) => t.name === "a_gaussian_s_2")!.rows;
    expect(a[a.length - 1].theory_c1 as number).toBeCloseTo(1 / 5, 12);
    expect(out.agreement.length).toBe(5 * 4);
  });
});

describe("Fig 5", () => {
  it("theory ξ_c matches the public check values", () => {
    expect(fig5Theory(criticalRelu("dropout:keep=0.9")).xi).toBeCloseTo(2.274034322, 8);
    expect(fig5Theory(criticalRelu("gauss_mult:std=0.1")).xi).toBeCloseTo(6.176931604, 8);
    expect(fig5Theory(criticalRelu("gauss_mult:std=0.1")).cStar).toBeCloseTo(0.9035358646, 9);
  });

  it("fits ξ_c against the exact c* and recovers it from mean-field trajectories", () => {
    for (const noise of ["dropout:keep=0.9", "gauss_mult:std=0.25", "dropout:keep=0.5"]) {
      const spec = criticalRelu(noise);
      const t = fig5Theory(spec);
      const corr = FIG5_C0S.map((c0) => {
        const c = dynamics(modelOf(spec), { depth: 30, q0: 1, c0 }).c.map((v) => v as number);
        return { mean: c, std: c.map(() => 1e-6) };
      });
      const f = fitFig5(spec, corr, 4);
      expect(f.combined.xi).not.toBeNull();
      // the trajectories are exact (no sampling error): the only error is the pre-asymptotic curvature of
      // the correlation map near c* inside the fit window, measured 0.5 % (keep 0.9), 1.0 % (std 0.25),
      // 5.7 % (keep 0.5, the shortest ξ, where the window's first layers weigh most); 1.5× those
      const tol = noise === "dropout:keep=0.5" ? 0.085 : 0.02;
      expect(Math.abs((f.combined.xi as number) - t.xi) / t.xi).toBeLessThan(tol);
    }
  });

  it("builds with a fit per configuration and caption stating the exact-c* fit", async () => {
    const out = await buildWithFake(fig5, 0);
    const cfgs = out.data.configurations as {
      name: string;
      xi_theory: number;
      xi_fit: number | null;
      window_c0_0: string | null;
      window_c0_1: string | null;
    }[];
    expect(cfgs).toHaveLength(9 + 13);
    expect(out.caption).toContain("exact c*");
    expect(out.caption).toContain("layer 30");
    const fitted = cfgs.filter((c) => c.xi_fit !== null);
    expect(fitted.length).toBeGreaterThan(10);
    // noise 0: the fake simulator returns the mean-field trajectories c^l, so the fit's only error is the
    // pre-asymptotic curvature of the correlation map, and it is bounded exactly (no tuned tolerance).
    // With y_l = ln|c^l − c*| on consecutive layers a..b, the (weighted, weights v_l > 0) least-squares
    // slope is Σ_l w_l (y_{l+1} − y_l) with w_l = T_l/ΣT, T_l = Σ_{i>l} v_i (i − ī) ≥ 0 (a tail sum of
    // centred values): a convex combination of the local log-decay rates r_l = ln|ε_{l+1}/ε_l|. So each
    // start's ξ = −1/slope lies in [min, max] of the local lengths −1/r_l over its window, and their
    // inverse-variance weighted mean (ξ_fit) in the hull over both starts. The bounds come from
    // dynamics() and the exact c* (checked against the public values above), not from the fitter.
    // Measured hull widths (hi − lo)/lo: 0 for the 7 configurations whose window has two layers (ξ_fit is
    // then the one local rate: p = 0.1–0.3, s = 1.45–1.9), 3.3–19 % for the others (widest for weak noise,
    // whose windows start where |ε| and so the curvature are largest); ξ_fit × 1.03 leaves the hull for
    // about two thirds of them (mutant fig5-xi-plus-3pct-build). The last assertion keeps the bound
    // informative: some hull is narrower than 3 %.
    let narrowest = Infinity;
    for (const c of fitted) {
      const cfg = FIG5_CONFIGS.find((k) => k.name === c.name)!;
      const { cStar } = fig5Theory(cfg.spec);
      let lo = Infinity;
      let hi = -Infinity;
      FIG5_C0S.forEach((c0, k) => {
        const w = (k === 0 ? c.window_c0_0 : c.window_c0_1)?.split("-").map(Number);
        if (!w) return;
        const eps = dynamics(modelOf(cfg.spec), { depth: w[1], q0: 1, c0 }).c.map((v) =>
          Math.abs((v as number) - cStar),
        );
        for (let l = w[0]; l < w[1]; l++) {
          const len = -1 / Math.log(eps[l + 1] / eps[l]);
          lo = Math.min(lo, len);
          hi = Math.max(hi, len);
        }
      });
      narrowest = Math.min(narrowest, (hi - lo) / lo);
      const xi = c.xi_fit as number;
      // 1e-9 relative: rounding of the least-squares sums, far below any modelling error
      expect(xi, `${c.name}: ξ_fit in the hull [${lo}, ${hi}] of local decay lengths`).toBeGreaterThanOrEqual(
        lo * (1 - 1e-9),
      );
      expect(xi, `${c.name}: ξ_fit in the hull [${lo}, ${hi}] of local decay lengths`).toBeLessThanOrEqual(
        hi * (1 + 1e-9),
      );
    }
    expect(narrowest).toBeLessThan(0.03);
  });
});
