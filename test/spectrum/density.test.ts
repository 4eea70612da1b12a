/**
 * Free-probability density of J Jᵀ for φ′ ∈ {0,1} (src/theory/spectrum/density.ts) against independent
 * routes: the closed-form edge L^L/(L−1)^{L−1} of orthogonal ReLU at criticality (Pennington et al.
 * 2017), the Marchenko–Pastur edge (1 + 1/√2)²·2 for one Gaussian ReLU layer, and the moments of the
 * S-transform series (∫ x^k ρ + atoms = m_k). Edges are algebraic (tolerance 1e-12); moment integrals use
 * graded Gauss–Legendre quadrature whose error, measured by doubling the panels, is < 1e-9 here.
 */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { parseNoise } from "../../src/theory/noise.js";
import { pwlDensity, pwlDensityMoment, pwlSpectrum } from "../../src/theory/spectrum/density.js";
import { spectrumMoments } from "../../src/theory/spectrum/moments.js";
import { spectrumTheory } from "../../src/theory/spectrum/index.js";
import { erf as erfApprox } from "../../src/numerics/special.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("right edge", () => {
  it("orthogonal ReLU at criticality: L^L/(L−1)^{L−1}", () => {
    for (let L = 2; L <= 30; L++) {
      const s = pwlSpectrum({ p: 0.5, sigmaW2: 2, depth: L, weights: "orthogonal" });
      expect(rel(s.edge as number, Math.pow(L, L) / Math.pow(L - 1, L - 1))).toBeLessThan(1e-12);
    }
  });
  it("one Gaussian ReLU layer: 2·(1 + 1/√2)² = 3 + 2√2 (Marchenko–Pastur, aspect ratio ½)", () => {
    const s = pwlSpectrum({ p: 0.5, sigmaW2: 2, depth: 1, weights: "gaussian" });
    expect(rel(s.edge as number, 3 + 2 * Math.SQRT2)).toBeLessThan(1e-14);
  });
  it("scales as σ_w^{2L}", () => {
    const a = pwlSpectrum({ p: 0.7, sigmaW2: 1, depth: 6, weights: "gaussian" });
    const b = pwlSpectrum({ p: 0.7, sigmaW2: 1.3, depth: 6, weights: "gaussian" });
    expect(rel(b.edge as number, (a.edge as number) * Math.pow(1.3, 6))).toBeLessThan(1e-13);
  });
  it("atoms: 1 − p at 0; orthogonal with L(1−p) < 1 also max(0, 1 − L(1−p)) at σ_w^{2L}", () => {
    const s = pwlSpectrum({ p: 0.9, sigmaW2: 1 / 0.9, depth: 5, weights: "orthogonal" });
    expect(s.atoms[0].x).toBe(0);
    expect(s.atoms[0].mass).toBeCloseTo(0.1, 14);
    expect(s.atoms[1].mass).toBeCloseTo(0.5, 14);
    expect(rel(s.atoms[1].x, Math.pow(1 / 0.9, 5))).toBeLessThan(1e-14);
    expect(s.edge as number).toBeLessThan(s.atoms[1].x);
  });
});

describe("density against the moment series", () => {
  const cases: { p: number; L: number; weights: "gaussian" | "orthogonal" }[] = [
    { p: 0.5, L: 3, weights: "gaussian" },
    { p: 0.5, L: 8, weights: "gaussian" },
    { p: 0.5, L: 5, weights: "orthogonal" },
    { p: 0.8, L: 3, weights: "orthogonal" }, // top atom and a gap
    { p: 0.9, L: 20, weights: "orthogonal" },
    { p: 0.3, L: 4, weights: "gaussian" },
  ];
  for (const c of cases) {
    it(`${c.weights} L=${c.L} p=${c.p}: ∫x^kρ + atoms = m_k (k = 0..3)`, () => {
      const sigmaW2 = 1 / c.p; // critical
      const inp = { p: c.p, sigmaW2, depth: c.L, weights: c.weights };
      const sp = pwlSpectrum(inp);
      // a ReLU-like activation with this p: shifted ReLU with α chosen so that P(φ′ = 1) = p at q = 1
      const act = makeActivation("shifted_relu", { alpha: probit(c.p) });
      const mom = spectrumMoments({
        activation: act,
        sigmaW2,
        depth: c.L,
        weights: c.weights,
        q: 1,
        order: 3,
      });
      expect(Math.abs(mom.mean - 1)).toBeLessThan(1e-9);
      for (let k = 0; k <= 3; k++) {
        const cont = pwlDensityMoment(inp, k);
        const atoms = sp.atoms.reduce((s, a) => s + a.mass * (k === 0 ? 1 : Math.pow(a.x, k)), 0);
        const expected = k === 0 ? 1 : mom.moments[k - 1];
        expect(Math.abs(cont + atoms - expected) / expected).toBeLessThan(1e-8);
      }
    });
  }
  it("density is ≥ 0 inside the support and the root has Im M < 0", () => {
    const d = pwlDensity({ p: 0.5, sigmaW2: 2, depth: 6, weights: "gaussian" }, { points: 300 });
    expect(d.density.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    expect(d.rootIm.every((x) => x < 0)).toBe(true);
  });
  it("spectrumTheory wires q* → p → density for shifted ReLU (critical from q*)", () => {
    const act = makeActivation("shifted_relu", { alpha: 0.5 });
    const t = spectrumTheory({ activation: act, weights: "orthogonal", depth: 10, qStar: 0.5, points: 50 });
    expect(Math.abs(t.mean - 1)).toBeLessThan(1e-12);
    expect(rel(t.variance, (10 * (1 - (t.p as number))) / (t.p as number))).toBeLessThan(1e-10);
    expect(t.density?.x.length).toBe(50);
    expect(t.edge).not.toBeNull();
  });
  it("ReLU with a growing or vanishing q^l still has a density: D's law (P(φ′=1) = ½) is the same in every layer", () => {
    const relu = makeActivation("relu");
    const base = spectrumTheory({ activation: relu, weights: "gaussian", depth: 8, sigmaW2: 2, sigmaB2: 0 });
    expect(base.layerQ.every((q) => q === 1)).toBe(true);
    // additive noise makes q^l grow by 2 per layer; the moment series (built from each layer's own q)
    // and the density must both be those of the constant-q network
    const grow = spectrumTheory({
      activation: relu,
      weights: "gaussian",
      depth: 8,
      sigmaW2: 2,
      sigmaB2: 0,
      noise: parseNoise("gauss_add:std=1"),
    });
    expect(grow.layerQ[3]).toBe(7);
    grow.moments.forEach((m, k) => expect(rel(m, base.moments[k])).toBeLessThan(1e-14));
    expect(grow.density).toEqual(base.density);
    expect(grow.edge).toBe(base.edge);
    // below criticality q^l vanishes geometrically; the density's moments match the series (atoms included)
    const fade = spectrumTheory({
      activation: relu,
      weights: "gaussian",
      depth: 6,
      sigmaW2: 1.5,
      sigmaB2: 0,
    });
    expect(fade.layerQ[2]).toBeCloseTo(0.5625, 15);
    expect(fade.density).not.toBeNull();
    for (const k of [1, 2, 3]) {
      const m = pwlDensityMoment({ p: 0.5, sigmaW2: 1.5, depth: 6, weights: "gaussian" }, k);
      expect(rel(m, fade.moments[k - 1])).toBeLessThan(1e-8);
    }
  });
});

/** Φ^{-1}(p) by bisection (only for building a test activation with P(φ′ = 1) = p at q = 1). */
function probit(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 200; i++) {
    const m = (lo + hi) / 2;
    const cdf = 0.5 * (1 + erfApprox(m / Math.SQRT2));
    if (cdf < p) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
}
