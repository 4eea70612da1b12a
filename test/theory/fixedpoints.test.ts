/**
 * Fixed points, slopes and depth scales against published values (docs/THEORY.md §2, FIGURES.md) and
 * against independent routes: the ReLU correlation fixed point solved by plain bisection on the
 * closed form g(c)/μ2, and q* by direct iteration of the variance map.
 */
import { describe, expect, it } from "vitest";
import { arccosKernel, makeActivation, parseActivation } from "../../src/theory/activations.js";
import { analyze } from "../../src/theory/analyze.js";
import { findQStar } from "../../src/theory/fixedPoints.js";
import { varianceMap } from "../../src/theory/maps.js";
import { makeNoise, parseNoise } from "../../src/theory/noise.js";
import type { Model } from "../../src/theory/model.js";

const relu = makeActivation("relu");
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** Independent route: bisection (60 halvings) on g(c)/μ2 − c over (0, 1). */
function reluCStar(mu2: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const m = 0.5 * (lo + hi);
    if (arccosKernel(m) / mu2 - m > 0) lo = m;
    else hi = m;
  }
  return 0.5 * (lo + hi);
}

describe("published check values (docs/THEORY.md §2, 10 significant digits given)", () => {
  const cases: [string, string, number, number][] = [
    ["dropout keep 0.6", "dropout:keep=0.6", 0.2839086535, 0.9655330257],
    ["dropout keep 0.9", "dropout:keep=0.9", 0.6271458849, 2.274034322],
    ["gauss_mult std 0.1", "gauss_mult:std=0.1", 0.9035358646, 6.176931604],
  ];
  for (const [label, spec, cStar, xiC] of cases) {
    it(label, () => {
      const noise = parseNoise(spec);
      const r = analyze({ activation: relu, noise, sigmaW2: 2 / noise.mu2, sigmaB2: 0 });
      // the published numbers are rounded to 10 digits: |error| ≤ 5e-11 relative
      expect(rel(r.cStar as number, cStar)).toBeLessThan(6e-10);
      expect(rel(r.xiC as number, xiC)).toBeLessThan(6e-10);
      expect(r.qStatus).toBe("marginal");
      // the phase is decided by χ_grad = σ_w² μ2/2 = 1 (the paper's criticality), although χ1 = 1/μ2 < 1;
      // the correlations are still ordered: χ_c < 1 (Fig 4c), checked by the closed form below
      expect(r.phase).toBe("edge_of_chaos");
      expect(r.decidedBy).toBe("chi_grad");
      expect(r.chi1 as number).toBeLessThan(1);
      // and the independent bisection route to 1e-12
      expect(rel(r.cStar as number, reluCStar(noise.mu2))).toBeLessThan(1e-12);
      // χ_c closed form (arcsin(c*)/π + 1/2)/μ2
      const chiC = (Math.asin(r.cStar as number) / Math.PI + 0.5) / noise.mu2;
      expect(rel(r.chiC as number, chiC)).toBeLessThan(1e-13);
    });
  }
  it("the same μ2 gives the same correlation results (dropout p=0.5 ≡ Gaussian s=1 ≡ Poisson)", () => {
    const vals = [
      "dropout:keep=0.5",
      "gauss_mult:std=1",
      "poisson_mult",
      "laplace_mult:scale=0.7071067811865476",
    ].map((s) => {
      const n = parseNoise(s);
      return analyze({ activation: relu, noise: n, sigmaW2: 2 / n.mu2, sigmaB2: 0 });
    });
    for (const v of vals.slice(1)) {
      expect(rel(v.cStar as number, vals[0].cStar as number)).toBeLessThan(1e-13);
      expect(rel(v.xiC as number, vals[0].xiC as number)).toBeLessThan(1e-12);
    }
  });
  it("c* lies in (1/(πμ2), 1/μ2) for every σ_w (σ_b = 0, multiplicative noise)", () => {
    for (const p of [0.1, 0.3, 0.7, 0.95]) {
      const n = makeNoise("dropout", { keep: p });
      for (const sw2 of [0.5, 2 * p, 3.7]) {
        const r = analyze({ activation: relu, noise: n, sigmaW2: sw2, sigmaB2: 0 });
        expect(r.cStar as number).toBeGreaterThan(1 / (Math.PI * n.mu2));
        expect(r.cStar as number).toBeLessThan(1 / n.mu2);
        expect(rel(r.cStar as number, reluCStar(n.mu2))).toBeLessThan(1e-12);
      }
    }
  });
  it("tanh with additive noise std 1 at σ_w² = 1: q* = 1.4638508911 (FIGURES.md Fig 2)", () => {
    const r = analyze(
      { activation: makeActivation("tanh"), noise: parseNoise("gauss_add:std=1"), sigmaW2: 1, sigmaB2: 0 },
      { q0: 4 },
    );
    expect(rel(r.qStar as number, 1.4638508911)).toBeLessThan(6e-11);
  });
});

describe("q* by Brent equals the limit of the iterated map", () => {
  const models: [string, string, number, number][] = [
    ["tanh", "none", 2.5, 0.1],
    ["tanh", "dropout:keep=0.8", 1.7, 0.05],
    ["swish", "none", 2, 0.1],
    ["elu", "none", 1.5, 0.1],
    ["hard_tanh", "none", 1.5, 0.1],
    ["sigmoid", "none", 3, 0.2],
    ["gelu", "gauss_mult:std=0.5", 1.5, 0.3],
    ["softplus", "none", 0.9, 0.1],
    ["shifted_relu:alpha=0.5", "none", 1.3, 0.2],
  ];
  for (const [a, n, sw2, sb2] of models) {
    it(`${a} ${n} σ_w²=${sw2} σ_b²=${sb2}`, () => {
      const m: Model = { activation: parseActivation(a), noise: parseNoise(n), sigmaW2: sw2, sigmaB2: sb2 };
      const r = findQStar(m, 1);
      expect(r.status).toBe("converged");
      let q = 1;
      for (let i = 0; i < 3000; i++) q = varianceMap(m, q);
      expect(rel(r.qStar as number, q)).toBeLessThan(1e-12);
      expect(Math.abs(r.slope as number)).toBeLessThan(1);
    });
  }
});

describe("status reporting", () => {
  it("ReLU below criticality vanishes, above diverges, at criticality is marginal", () => {
    const n = parseNoise("dropout:keep=0.8");
    expect(findQStar({ activation: relu, noise: n, sigmaW2: 1.5, sigmaB2: 0 }).status).toBe("vanishes");
    expect(findQStar({ activation: relu, noise: n, sigmaW2: 1.7, sigmaB2: 0 }).status).toBe("diverges");
    expect(findQStar({ activation: relu, noise: n, sigmaW2: 1.6, sigmaB2: 0 }).status).toBe("marginal");
  });
  it("a fixed point sitting on the bracket's doubling grid at rounding level is found (regression)", () => {
    // ReLU, dropout keep 0.8 (μ2 = 1.25), σ_w² = 1.44: V(q) = 0.9 q + 0.2, so q* = 0.2 / 0.1 = 2 exactly,
    // and V(2) − 2 is −2.2e-16 in float64: q⁰ = 1 doubles onto it, q⁰ = 4 halves onto it.
    const m: Model = { activation: relu, noise: parseNoise("dropout:keep=0.8"), sigmaW2: 1.44, sigmaB2: 0.2 };
    for (const q0 of [1, 4]) {
      const r = findQStar(m, q0);
      expect(r.status).toBe("converged");
      expect(rel(r.qStar as number, 2)).toBeLessThan(1e-14);
      expect(r.slope as number).toBeCloseTo(0.9, 14);
    }
  });
  it("fixed points far beyond 2^64·q⁰ are bracketed (squaring search, geometric narrowing) and exact", () => {
    // ReLU, σ_w² = 1.99, σ_b² = 1e20: V(q) = 0.995 q + 1e20, so q* = 1e20 / 0.005 = 2e22 (≈ 2^74 from q⁰ = 1)
    const m: Model = { activation: relu, noise: parseNoise("none"), sigmaW2: 1.99, sigmaB2: 1e20 };
    const r = findQStar(m, 1);
    expect(r.status).toBe("converged");
    expect(rel(r.qStar as number, 2e22)).toBeLessThan(1e-13);
    // and from far above: q⁰ = 1e60 comes down to the same fixed point
    expect(rel(findQStar(m, 1e60).qStar as number, 2e22)).toBeLessThan(1e-13);
    // gelu above criticality: V(q) − q > 0 all the way to 1e200 (decided with the squaring steps)
    const g: Model = {
      activation: parseActivation("gelu"),
      noise: parseNoise("none"),
      sigmaW2: 4,
      sigmaB2: 0.1,
    };
    expect(findQStar(g, 1).status).toBe("diverges");
  });
  it("ReLU with He init and additive noise diverges (grows by 2μ2 per layer)", () => {
    const m: Model = { activation: relu, noise: parseNoise("gauss_add:std=1.5"), sigmaW2: 2, sigmaB2: 0 };
    expect(findQStar(m, 4).status).toBe("diverges");
    expect(varianceMap(m, 4) - 4).toBeCloseTo(2 * 2.25, 13);
  });
  it("noiseless ordered tanh has c* = 1 and χ_c = χ1; chaotic has c* < 1 with C(c*) = c*", () => {
    const t = makeActivation("tanh");
    const o = analyze({ activation: t, noise: parseNoise("none"), sigmaW2: 0.8, sigmaB2: 0.1 });
    expect(o.phase).toBe("ordered");
    expect(o.cStar).toBe(1);
    expect(rel(o.chiC as number, o.chi1 as number)).toBeLessThan(1e-12);
    const c = analyze({ activation: t, noise: parseNoise("none"), sigmaW2: 2.5, sigmaB2: 0.1 });
    expect(c.phase).toBe("chaotic");
    expect(c.cStar as number).toBeLessThan(1);
    expect(c.chiC as number).toBeLessThan(1); // c* is a stable fixed point
  });
});
