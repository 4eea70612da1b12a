/**
 * Moments of the Jacobian spectrum (src/theory/spectrum/moments.ts) against independent routes:
 * Fuss–Catalan numbers (products of Ginibre matrices), the closed-form variance of docs/THEORY.md §5,
 * the exact L = 1 orthogonal spectrum σ²D², and the free multiplicative convolution formula for m2.
 * All are exact identities, so tolerances are float64 rounding (1e-12 relative; 1e-10 where μ_k come
 * from adaptive quadrature with rtol 1e-14).
 */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { fussCatalan, spectrumMoments, derivativeMoments } from "../../src/theory/spectrum/moments.js";
import { momentsFromS, sFromMoments, mulSeries } from "../../src/theory/spectrum/series.js";
import { criticalFromQStar } from "../../src/theory/critical.js";
import { erf, erfc } from "../../src/numerics/special.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe("S-transform series", () => {
  it("round-trips moments ↔ S", () => {
    const m = [1.3, 2.9, 8.1, 27.5, 101.2];
    const back = momentsFromS(sFromMoments(m));
    back.forEach((x, i) => expect(rel(x, m[i])).toBeLessThan(1e-12));
  });
  it("products of L square Ginibre matrices have Fuss–Catalan moments", () => {
    const lin = makeActivation("linear");
    for (let L = 1; L <= 5; L++) {
      const r = spectrumMoments({
        activation: lin,
        sigmaW2: 1,
        depth: L,
        weights: "gaussian",
        q: 1,
        order: 5,
      });
      r.moments.forEach((m, k) => expect(rel(m, fussCatalan(L, k + 1))).toBeLessThan(1e-12));
    }
  });
  it("free multiplicative convolution of two known laws (m2 = a2 b1² + a1² b2 − a1² b1²)", () => {
    const a = [0.7, 0.9, 1.4];
    const b = [2, 5, 17];
    const m = momentsFromS(mulSeries(sFromMoments(a), sFromMoments(b), 3));
    expect(rel(m[0], a[0] * b[0])).toBeLessThan(1e-14);
    expect(rel(m[1], a[1] * b[0] ** 2 + a[0] ** 2 * b[1] - a[0] ** 2 * b[0] ** 2)).toBeLessThan(1e-13);
  });
});

describe("Jacobian moments", () => {
  it("ReLU at criticality: mean 1, variance 2L (gaussian) and L (orthogonal)", () => {
    const relu = makeActivation("relu");
    for (const L of [1, 2, 5, 20, 100]) {
      const g = spectrumMoments({ activation: relu, sigmaW2: 2, depth: L, weights: "gaussian", q: 1 });
      const o = spectrumMoments({ activation: relu, sigmaW2: 2, depth: L, weights: "orthogonal", q: 1 });
      expect(Math.abs(g.mean - 1)).toBeLessThan(1e-12);
      expect(rel(g.variance, 2 * L)).toBeLessThan(1e-10);
      expect(rel(o.variance, L)).toBeLessThan(1e-10);
    }
  });
  it("series variance equals the closed form m1² Σ(μ2/μ1² − 1 − s1) for any φ and (σ_w², q)", () => {
    const cases: [string, number, number][] = [
      ["tanh", 1.3, 0.7],
      ["erf", 0.8, 2.5],
      ["hard_tanh", 1.1, 0.4],
      ["swish", 2.2, 1.3],
      ["shifted_relu:alpha=0.5", 1.5, 0.9],
    ];
    for (const [spec, sw2, q] of cases) {
      const [name, par] = spec.split(":");
      const act = makeActivation(name, par ? { alpha: Number(par.split("=")[1]) } : {});
      for (const weights of ["gaussian", "orthogonal"] as const) {
        for (const L of [1, 3, 8]) {
          const r = spectrumMoments({ activation: act, sigmaW2: sw2, depth: L, weights, q });
          expect(rel(r.variance, r.varianceClosedForm)).toBeLessThan(1e-9);
          const mu = derivativeMoments(act, q, 2);
          expect(rel(r.mean, Math.pow(sw2 * mu[0], L))).toBeLessThan(1e-12);
        }
      }
    }
  });
  it("L = 1 with orthogonal weights: J Jᵀ ≅ σ_w² D², so m_k = σ_w^{2k} E[φ′^{2k}]", () => {
    const act = makeActivation("tanh");
    const r = spectrumMoments({
      activation: act,
      sigmaW2: 1.7,
      depth: 1,
      weights: "orthogonal",
      q: 0.9,
      order: 4,
    });
    const mu = derivativeMoments(act, 0.9, 4);
    r.moments.forEach((m, k) => expect(rel(m, Math.pow(1.7, k + 1) * mu[k])).toBeLessThan(1e-12));
  });
  it("per-layer variances: moments depend on the multiset of layer q's only through products", () => {
    const act = makeActivation("tanh");
    const a = spectrumMoments({
      activation: act,
      sigmaW2: 1.2,
      depth: 3,
      weights: "gaussian",
      q: [0.5, 1, 2],
    });
    const b = spectrumMoments({
      activation: act,
      sigmaW2: 1.2,
      depth: 3,
      weights: "gaussian",
      q: [2, 0.5, 1],
    });
    a.moments.forEach((m, k) => expect(rel(m, b.moments[k])).toBeLessThan(1e-12));
  });
});

describe("critical initialisation from q*", () => {
  it("hard-tanh: σ_w² = 1/erf(1/√(2q*)), p = erf(1/√(2q*)), orthogonal variance L(1−p)/p", () => {
    const act = makeActivation("hard_tanh");
    for (const q of [0.05, 0.3, 1, 3]) {
      const c = criticalFromQStar(act, q);
      const p = erf(1 / Math.sqrt(2 * q));
      expect(rel(c.p as number, p)).toBeLessThan(1e-14);
      expect(rel(c.sigmaW2, 1 / p)).toBeLessThan(1e-14);
      const r = spectrumMoments({ activation: act, sigmaW2: c.sigmaW2, depth: 7, weights: "orthogonal", q });
      expect(Math.abs(r.mean - 1)).toBeLessThan(1e-12);
      expect(rel(r.variance, (7 * (1 - p)) / p)).toBeLessThan(1e-10);
    }
  });
  it("shifted ReLU: p = ½ erfc(−α/√(2q*)) and q* is a fixed point of V", () => {
    for (const alpha of [0.25, 0.5, 1]) {
      const act = makeActivation("shifted_relu", { alpha });
      for (const q of [0.2, 1, 2]) {
        const c = criticalFromQStar(act, q);
        expect(rel(c.p as number, 0.5 * erfc(-alpha / Math.sqrt(2 * q)))).toBeLessThan(1e-14);
        // fixed point: V(q*) = σ_w² E[φ²] + σ_b² = q*, by Monte-Carlo-free quadrature of E[φ²]
        const m2 = act.closed.m2 as (q: number) => number;
        expect(rel(c.sigmaW2 * m2(q) + c.sigmaB2, q)).toBeLessThan(1e-13);
      }
    }
  });
  it("rejects q* that would need σ_b² < 0 (an InputError naming qStar)", () => {
    // shifted ReLU with large α at tiny q*: E[φ²] ≈ α² ≫ q* E[φ′²]
    expect(() => criticalFromQStar(makeActivation("shifted_relu", { alpha: -2 }), 0.01)).toThrow(
      /invalid qStar/,
    );
  });
});
