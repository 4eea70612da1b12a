/**
 * Noise in the Jacobian spectrum (docs/THEORY.md §1, §5): D² = diag(ε²φ′²) for multiplicative noise, the noisy
 * variance map for additive noise.
 * - E[ε^{2k}] (`noiseEvenMoment`) against routes that do not use its formulas: composite Gauss–Legendre
 *   quadrature of the density (Gaussian, Laplace; polynomial × smooth weight on a truncated range, error
 *   < 1e-13 relative, tolerance 1e-11), Dobiński's series for Poisson(1), the two-point law for dropout
 *   (1e-13), and Monte Carlo of the simulator's sampler at 5 SE (SE from the sample variance of ε^{2k}).
 * - noise = none (and additive noise, at the same q) leaves the theory and the simulation bit-for-bit
 *   unchanged (toEqual).
 * - simulated dropout networks: E[(1/N) tr JJᵀ] = (σ_w² μ2/2)^L is exact at any width for bias-free ReLU
 *   (the sign-flip argument of empirical.test.ts, with ε independent of h: E[ε²·1{h>0}] = μ2/2), tested at
 *   4 SE; the second moment has O(L/N) finite-width bias, removed by Richardson extrapolation N = 16 → 64
 *   (m(∞) ≈ (4m(64) − m(16))/3), then 4 SE of the extrapolant.
 * - dropout density mapping (active fraction p·P(φ′=1), σ_w²/p²): ∫x^kρ + atoms = m_k (k = 0..3) from the
 *   noisy moment series, a different route (graded Gauss–Legendre error < 1e-9 as in density.test.ts;
 *   tolerance 1e-8); smooth φ (tanh) with dropout by the same test at 1e-7 (smoothDensity.test.ts bound).
 * - critical dropout (σ_w² = 2p): mean 1 and variance L(μ2_D/μ1_D² − 1 − s1) with μ2_D/μ1_D² = 2/p, i.e.
 *   2L/p (gaussian) and L(2/p − 1) (orthogonal); multiplicative Gaussian: μ2_D/μ1_D² = 2(1+6s²+3s⁴)/(1+s²)².
 */
import { describe, expect, it } from "vitest";
import { sigprop } from "../support/cli.js";
import { makeActivation } from "../../src/theory/activations.js";
import { makeNoise, noiseEvenMoment, type Noise } from "../../src/theory/noise.js";
import { criticalInit } from "../../src/theory/critical.js";
import { gaussLegendre } from "../../src/numerics/gaussLegendre.js";
import { gradedRule } from "./gradedRule.js";
import { fillNoise } from "../../src/engine/noise.js";
import { Stream } from "../../src/engine/rng.js";
import { spectrumMoments } from "../../src/theory/spectrum/moments.js";
import { spectrumTheory } from "../../src/theory/spectrum/index.js";
import { pwlDensityMoment, pwlSpectrum, type PwlSpectrumInput } from "../../src/theory/spectrum/density.js";
import { smoothDensity, type SmoothSpectrumInput } from "../../src/theory/spectrum/smoothDensity.js";
import { criticalFromQStar } from "../../src/theory/critical.js";
import { empiricalSpectrum } from "../../src/spectra/jacobian.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const relu = makeActivation("relu");

/** ∫_a^b f by composite Gauss–Legendre (panels × 20 points). */
function quad(f: (x: number) => number, a: number, b: number, panels = 400): number {
  const { nodes, weights } = gaussLegendre(20);
  const h = (b - a) / panels;
  let s = 0;
  for (let j = 0; j < panels; j++)
    for (let i = 0; i < nodes.length; i++)
      s += (weights[i] * h * f(a + h * j + (h * (nodes[i] + 1)) / 2)) / 2;
  return s;
}

describe("noiseEvenMoment: E[ε^{2k}]", () => {
  const gpdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  it("Gaussian (mult. and add.) by quadrature of the normal density", () => {
    for (const s of [0.1, 0.5, 1, 2]) {
      for (let k = 1; k <= 5; k++) {
        const mult = quad((z) => (1 + s * z) ** (2 * k) * gpdf(z), -40, 40);
        const add = quad((z) => (s * z) ** (2 * k) * gpdf(z), -40, 40);
        expect(rel(noiseEvenMoment(makeNoise("gauss_mult", { std: s }), k), mult)).toBeLessThan(1e-11);
        expect(rel(noiseEvenMoment(makeNoise("gauss_add", { std: s }), k), add)).toBeLessThan(1e-11);
      }
    }
  });
  it("Laplace (mult. and add.) by quadrature of the Laplace density", () => {
    for (const b of [0.1, 0.5, 1]) {
      for (let k = 1; k <= 5; k++) {
        // ∫_0^∞ [(1+x)^{2k} + (1−x)^{2k}] e^{−x/b}/(2b) dx, truncated at x = 120b (e^{−120} negligible)
        const mult = quad(
          (x) => (((1 + x) ** (2 * k) + (1 - x) ** (2 * k)) * Math.exp(-x / b)) / (2 * b),
          0,
          120 * b,
        );
        const add = quad((x) => (x ** (2 * k) * Math.exp(-x / b)) / b, 0, 120 * b);
        expect(rel(noiseEvenMoment(makeNoise("laplace_mult", { scale: b }), k), mult)).toBeLessThan(1e-11);
        expect(rel(noiseEvenMoment(makeNoise("laplace_add", { scale: b }), k), add)).toBeLessThan(1e-11);
      }
    }
  });
  it("Poisson(1) by Dobiński's series Σ n^{2k} e^{−1}/n!; dropout by its two-point law; none ≡ 1", () => {
    for (let k = 1; k <= 6; k++) {
      let s = 0;
      let w = Math.exp(-1);
      for (let n = 0; n < 120; n++) {
        if (n > 0) w /= n;
        s += Math.pow(n, 2 * k) * w;
      }
      expect(rel(noiseEvenMoment(makeNoise("poisson_mult"), k), s)).toBeLessThan(1e-13);
      for (const p of [0.3, 0.8, 1]) {
        const two = (1 - p) * 0 + p * Math.pow(1 / p, 2 * k);
        expect(rel(noiseEvenMoment(makeNoise("dropout", { keep: p }), k), two)).toBeLessThan(1e-13);
      }
      expect(noiseEvenMoment(makeNoise("none"), k)).toBe(1);
    }
  });
  it("k = 1 is μ2 for every kind; k = 0 is 1", () => {
    const all: Noise[] = [
      makeNoise("none"),
      makeNoise("dropout", { rate: 0.3 }),
      makeNoise("gauss_mult", { std: 0.7 }),
      makeNoise("gauss_add", { std: 0.7 }),
      makeNoise("laplace_mult", { scale: 0.4 }),
      makeNoise("laplace_add", { scale: 0.4 }),
      makeNoise("poisson_mult"),
    ];
    for (const n of all) {
      expect(rel(noiseEvenMoment(n, 1), n.mu2)).toBeLessThan(1e-15);
      expect(noiseEvenMoment(n, 0)).toBe(1);
    }
  });
  it("the simulator's float64 sampler has these moments (Monte Carlo, 5 SE)", () => {
    const kinds: Noise[] = [
      makeNoise("dropout", { keep: 0.7 }),
      makeNoise("gauss_mult", { std: 0.5 }),
      makeNoise("laplace_mult", { scale: 0.3 }),
      makeNoise("poisson_mult"),
    ];
    const rng = new Stream(11);
    const n = 200000;
    for (const nz of kinds) {
      const e = fillNoise(new Float64Array(n), nz, rng) as Float64Array;
      for (const k of [1, 2]) {
        const xs = Array.from(e, (x) => x ** (2 * k));
        const m = xs.reduce((a, b) => a + b, 0) / n;
        const se = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1) / n);
        expect(Math.abs(m - noiseEvenMoment(nz, k))).toBeLessThan(5 * se);
      }
    }
  });
});

describe("noise = none leaves the spectrum unchanged", () => {
  it("spectrumTheory, spectrumMoments and empiricalSpectrum are bit-for-bit identical", () => {
    const none = makeNoise("none");
    const cases = [
      { activation: relu, sigmaW2: 2 },
      { activation: makeActivation("tanh"), qStar: 0.5 },
      { activation: makeActivation("hard_tanh"), qStar: 0.3 },
      { activation: makeActivation("tanh"), sigmaW2: 1.5, sigmaB2: 0.1 },
    ];
    for (const c of cases) {
      for (const weights of ["gaussian", "orthogonal"] as const) {
        const a = spectrumTheory({ ...c, weights, depth: 4, points: 20 });
        const b = spectrumTheory({ ...c, weights, depth: 4, points: 20, noise: none });
        expect(b).toEqual(a);
        expect(a.chiGrad).toBe(a.chi1);
      }
    }
    // additive noise does not enter D²: same moments at the same layer variances
    const q = [0.7, 1.3, 2];
    const act = makeActivation("tanh");
    const m0 = spectrumMoments({ activation: act, sigmaW2: 1.3, depth: 3, weights: "gaussian", q });
    const m1 = spectrumMoments({
      activation: act,
      sigmaW2: 1.3,
      depth: 3,
      weights: "gaussian",
      q,
      noise: makeNoise("gauss_add", { std: 0.5 }),
    });
    expect(m1).toEqual(m0);
    const spec = {
      activation: relu,
      sigmaW2: 2,
      sigmaB2: 0,
      width: 12,
      depth: 3,
      weights: "gaussian" as const,
      q0: 1,
    };
    expect(empiricalSpectrum({ ...spec, noise: none }, { networks: 3, seed: 7, order: 2 })).toEqual(
      empiricalSpectrum(spec, { networks: 3, seed: 7, order: 2 }),
    );
  });
});

describe("critical dropout: mean 1, variance L(μ2_D/μ1_D² − 1 − s1)", () => {
  it("ReLU at σ_w² = 2p (criticalInit): μ2_D/μ1_D² = 2/p, variance 2L/p (gaussian), L(2/p − 1) (orthogonal)", () => {
    for (const p of [0.5, 0.8, 0.95]) {
      const noise = makeNoise("dropout", { keep: p });
      const cr = criticalInit(relu, noise);
      expect(cr.sigmaW2).toBe(2 * p);
      for (const L of [1, 2, 5, 20, 100]) {
        const g = spectrumTheory({
          activation: relu,
          weights: "gaussian",
          depth: L,
          sigmaW2: 2 * p,
          noise,
          points: 5,
        });
        const o = spectrumTheory({
          activation: relu,
          weights: "orthogonal",
          depth: L,
          sigmaW2: 2 * p,
          noise,
          points: 5,
        });
        for (const t of [g, o]) {
          expect(Math.abs(t.mean - 1)).toBeLessThan(1e-12);
          expect(Math.abs(t.chiGrad - 1)).toBeLessThan(1e-15);
          expect(rel(t.chi1, p)).toBeLessThan(1e-15);
          expect(t.mu2).toBe(1 / p);
        }
        expect(rel(g.variance, (2 * L) / p)).toBeLessThan(1e-10);
        expect(rel(o.variance, L * (2 / p - 1))).toBeLessThan(1e-10);
        expect(rel(g.varianceClosedForm, (2 * L) / p)).toBeLessThan(1e-12);
      }
    }
  });
  it("multiplicative Gaussian at σ_w² = 2/(1+s²): variance 2L(1+6s²+3s⁴)/(1+s²)² (gaussian weights)", () => {
    for (const s of [0.1, 0.5, 1]) {
      const noise = makeNoise("gauss_mult", { std: s });
      const L = 7;
      const t = spectrumTheory({
        activation: relu,
        weights: "gaussian",
        depth: L,
        sigmaW2: 2 / (1 + s * s),
        noise,
      });
      expect(Math.abs(t.mean - 1)).toBeLessThan(1e-12);
      const s2 = s * s;
      expect(rel(t.variance, (2 * L * (1 + 6 * s2 + 3 * s2 * s2)) / (1 + s2) ** 2)).toBeLessThan(1e-10);
      expect(t.density).toBeNull();
    }
  });
  it("critical from q* with dropout (hard-tanh): χ_grad = 1, σ_b² as without noise, orthogonal variance", () => {
    const act = makeActivation("hard_tanh");
    const p = 0.9;
    const noise = makeNoise("dropout", { keep: p });
    const q = 0.3;
    const c0 = criticalFromQStar(act, q);
    const c = criticalFromQStar(act, q, noise);
    expect(rel(c.sigmaW2, p * c0.sigmaW2)).toBeLessThan(1e-15);
    expect(rel(c.sigmaB2, c0.sigmaB2)).toBeLessThan(1e-12);
    const t = spectrumTheory({
      activation: act,
      weights: "orthogonal",
      depth: 6,
      qStar: q,
      noise,
      points: 5,
    });
    expect(Math.abs(t.mean - 1)).toBeLessThan(1e-12);
    // D² two-point {0, 1/p²} with P(≠0) = p f: μ2/μ1² = 1/(p f), orthogonal variance L(1/(p f) − 1)
    const f = c.p as number;
    expect(rel(t.variance, 6 * (1 / (p * f) - 1))).toBeLessThan(1e-10);
  });
});

describe("dropout density mapping (active fraction p·P(φ′=1), σ_w² → σ_w²/p²)", () => {
  const cases = [
    { p: 0.8, L: 3, weights: "gaussian" as const },
    { p: 0.5, L: 6, weights: "gaussian" as const },
    { p: 0.9, L: 4, weights: "orthogonal" as const },
    { p: 0.95, L: 2, weights: "orthogonal" as const }, // L(1 − p/2) = 1.05: just past the top atom
  ];
  for (const c of cases) {
    it(`ReLU ${c.weights} L=${c.L} keep=${c.p}: ∫x^kρ + atoms = m_k (k = 0..3), atom at 0 = 1 − p/2`, () => {
      const noise = makeNoise("dropout", { keep: c.p });
      const sigmaW2 = 2 * c.p;
      const t = spectrumTheory({
        activation: relu,
        weights: c.weights,
        depth: c.L,
        sigmaW2,
        noise,
        points: 10,
      });
      const inp = t.densityInput as PwlSpectrumInput;
      expect(inp.p).toBeCloseTo(c.p / 2, 15);
      expect(rel(inp.sigmaW2, sigmaW2 / c.p ** 2)).toBeLessThan(1e-15);
      expect(t.atoms[0]).toEqual({ x: 0, mass: 1 - c.p / 2 });
      const sp = pwlSpectrum(inp);
      for (let k = 0; k <= 3; k++) {
        const cont = pwlDensityMoment(inp, k);
        const atoms = sp.atoms.reduce((s, a) => s + a.mass * (k === 0 ? 1 : Math.pow(a.x, k)), 0);
        const expected = k === 0 ? 1 : t.moments[k - 1];
        expect(Math.abs(cont + atoms - expected) / expected).toBeLessThan(1e-8);
      }
    });
  }
  it("tanh (smooth route) with dropout keep 0.9: ∫x^kρ = m_k (k = 1..3), atom at 0 = 0.1", () => {
    const act = makeActivation("tanh");
    const noise = makeNoise("dropout", { keep: 0.9 });
    const L = 4;
    const t = spectrumTheory({
      activation: act,
      weights: "gaussian",
      depth: L,
      qStar: 0.5,
      noise,
      points: 5,
    });
    const inp = t.densityInput as SmoothSpectrumInput;
    expect(inp.keep).toBe(0.9);
    expect(t.atoms[0].mass).toBeCloseTo(0.1, 14);
    const edge = t.edge as number;
    const { xs, ws } = gradedRule(edge, 2 * L);
    const d = smoothDensity(inp, { xs });
    [1, 2, 3].forEach((k) => {
      const m = xs.reduce((acc, x, i) => acc + ws[i] * d.density[i] * x ** k, 0);
      expect(rel(m, t.moments[k - 1])).toBeLessThan(1e-7);
    });
  });
});

describe("simulated dropout networks vs the noisy moment series", () => {
  for (const weights of ["gaussian", "orthogonal"] as const) {
    const p = 0.8;
    const noise = makeNoise("dropout", { keep: p });
    const L = 3;
    const spec = (width: number) => ({
      activation: relu,
      sigmaW2: 2 * p,
      sigmaB2: 0,
      width,
      depth: L,
      weights,
      q0: 1,
      noise,
    });
    it(`${weights}: mean of (1/N) tr JJᵀ = 1 (exact at any width), at 4 SE`, () => {
      const em = empiricalSpectrum(spec(48), { networks: 120, seed: 31, order: 1 });
      expect(Math.abs(em.moments[0] - 1)).toBeLessThan(4 * em.momentsSe[0]);
    });
    it(`${weights}: second moment by Richardson extrapolation in N (16 → 64) vs 1 + variance`, () => {
      const th = spectrumMoments({ activation: relu, sigmaW2: 2 * p, depth: L, weights, q: 1, noise });
      const a = empiricalSpectrum(spec(16), { networks: 800, seed: 15, order: 2 });
      const b = empiricalSpectrum(spec(64), { networks: 120, seed: 16, order: 2 });
      const ext = (4 * b.moments[1] - a.moments[1]) / 3;
      const se = Math.sqrt(16 * b.momentsSe[1] ** 2 + a.momentsSe[1] ** 2) / 3;
      expect(Math.abs(ext - th.moments[1])).toBeLessThan(4 * se);
    });
  }
});

describe("sigprop spectrum --noise", () => {
  it("dropout:keep=0.8 echoes the spec and μ2, defaults to σ_w² = 2p, simulates with the noise", async () => {
    const r = await sigprop(
      "spectrum",
      "--noise",
      "dropout:rate=0.2",
      "--depth",
      "4",
      "--points",
      "5",
      "--simulate",
      "--width",
      "32",
      "--networks",
      "2",
      "--bins",
      "5",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.noise).toBe("dropout:keep=0.8");
    expect(j.mu2).toBe(1.25);
    expect(j.sigma_w2).toBe(1.6);
    expect(j.chi_grad).toBeCloseTo(1, 14);
    expect(j.variance).toBeCloseTo(10, 10); // 2L/p
    expect(j.atoms[0].mass).toBeCloseTo(0.6, 14);
    expect(j.empirical.histogram.predicted).toHaveLength(5);
  });
  it("ambiguous dropout:0.8 exits 2 naming --noise", async () => {
    const r = await sigprop("spectrum", "--noise", "dropout:0.8");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--noise");
  });
});
