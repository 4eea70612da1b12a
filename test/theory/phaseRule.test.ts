/**
 * The one phase rule (src/theory/critical.ts `classifyPhase`, docs/THEORY.md §2): with multiplicative noise the
 * phase is decided by χ_grad = σ_w² μ2 E[φ′²], noiselessly (and with additive noise, where χ_grad = χ1) by
 * χ1, and where q^l → ∞ or 0 the phase says so. The reference values are closed forms for ReLU
 * (E[relu′²] = 1/2, V(q) = σ_w² μ2 q/2: exact in float64 for the dyadic σ_w² used here) or the
 * independently iterated variance map (dynamics.ts), not the classifier's own arithmetic.
 */
import { describe, expect, it } from "vitest";
import {
  analyze,
  classifyPhase,
  criticalInit,
  dynamics,
  modelPhase,
  parseActivation,
  parseNoise,
  phaseSlope,
  type Model,
} from "../../src/theory/index.js";

const relu = parseActivation("relu");
const tanh = parseActivation("tanh");
const model = (act: string, noise: string, sigmaW2: number, sigmaB2: number): Model => ({
  activation: parseActivation(act),
  noise: parseNoise(noise),
  sigmaW2,
  sigmaB2,
});

describe("phase under noise", () => {
  it("He init (σ_w² = 2) with dropout keep 0.8 is unbounded: q^l = 1.25^l, decided by q* not existing", () => {
    const m = model("relu", "dropout:keep=0.8", 2, 0);
    const a = analyze(m);
    expect(a.phase).toBe("unbounded");
    expect(a.decidedBy).toBe("q_star");
    // χ1 = 2·½ = 1 (the old, noiseless answer "edge of chaos"); χ_grad = 2·1.25·½ = 1.25
    expect(a.chi1).toBe(1);
    expect(a.chiGrad).toBe(1.25);
    expect(a.phaseReason).toMatch(/grows without bound.*χ_grad = 1\.25/);
    // the variance iteration itself: q^l = 1.25^l q⁰ (relative rounding ≤ l·2^-53)
    const q = dynamics(m, { depth: 40, q0: 1, c0: 0.5 }).q;
    expect(Math.abs(q[40] / Math.pow(1.25, 40) - 1)).toBeLessThan(1e-13);
  });

  it("critical noisy ReLU (σ_w² = 2p = 2/μ2) is on the edge, decided by χ_grad, for each multiplicative noise", () => {
    for (const spec of ["dropout:keep=0.8", "dropout:keep=0.5", "gauss_mult:std=0.5", "poisson_mult"]) {
      const noise = parseNoise(spec);
      const c = criticalInit(relu, noise);
      const a = analyze({ activation: relu, noise, sigmaW2: c.sigmaW2 as number, sigmaB2: 0 });
      expect(a.phase, spec).toBe("edge_of_chaos");
      expect(a.decidedBy, spec).toBe("chi_grad");
      expect(Math.abs((a.chiGrad as number) - 1), spec).toBeLessThan(1e-15);
      // χ1 = 1/μ2 < 1: by χ1 this would have been "ordered"
      expect(Math.abs((a.chi1 as number) - 1 / noise.mu2), spec).toBeLessThan(1e-15);
      // just below / above criticality the variance vanishes / explodes
      expect(
        analyze({ activation: relu, noise, sigmaW2: 0.9 * (c.sigmaW2 as number), sigmaB2: 0 }).phase,
      ).toBe("vanishing");
      expect(
        analyze({ activation: relu, noise, sigmaW2: 1.1 * (c.sigmaW2 as number), sigmaB2: 0 }).phase,
      ).toBe("unbounded");
    }
  });

  it("with σ_b² > 0 ReLU + dropout keep 0.5 is ordered below σ_w² = 1 (χ_grad = σ_w²) and unbounded above", () => {
    const below = analyze(model("relu", "dropout:keep=0.5", 0.75, 0.25));
    expect(below.phase).toBe("ordered");
    expect(below.decidedBy).toBe("chi_grad");
    // q* = σ_b²/(1 − σ_w² μ2/2) = 0.25/0.25 = 1; χ_grad = 0.75 · 2 · ½
    expect(below.qStar as number).toBeCloseTo(1, 14);
    expect(below.chiGrad as number).toBeCloseTo(0.75, 15);
    expect(analyze(model("relu", "dropout:keep=0.5", 1.25, 0.25)).phase).toBe("unbounded");
  });

  it("tanh with dropout keep 0.8 at σ_b² = 0.1: the EOC σ_w² (χ_grad = 1) separates ordered from chaotic by χ_grad", () => {
    const noise = parseNoise("dropout:keep=0.8");
    const c = criticalInit(tanh, noise, 0.1);
    const w = c.sigmaW2 as number;
    const at = analyze({ activation: tanh, noise, sigmaW2: w, sigmaB2: 0.1 }, { q0: c.qStar as number });
    expect(at.phase).toBe("edge_of_chaos");
    expect(at.decidedBy).toBe("chi_grad");
    // the noiseless slope at the same point is χ1 = χ_grad/μ2 = 0.8: "ordered" by χ1 — not the phase
    expect(Math.abs((at.chi1 as number) - 0.8)).toBeLessThan(1e-10);
    expect(analyze({ activation: tanh, noise, sigmaW2: 0.95 * w, sigmaB2: 0.1 }).phase).toBe("ordered");
    expect(analyze({ activation: tanh, noise, sigmaW2: 1.05 * w, sigmaB2: 0.1 }).phase).toBe("chaotic");
  });

  it("noiseless and additive noise: decided by χ1 (χ_grad = χ1); tanh at σ_b² = 0 below σ_w² = 1 vanishes", () => {
    const a = analyze(model("tanh", "none", 3, 0.1));
    expect(a.decidedBy).toBe("chi1");
    expect(a.phase).toBe("chaotic");
    const g = analyze(model("tanh", "gauss_add:std=0.5", 0.5, 0.1));
    expect(g.decidedBy).toBe("chi1");
    expect(g.chiGrad).toBe(g.chi1);
    expect(g.phase).toBe("ordered");
    // V(q) = 0.5 E[tanh²(√q z)] < q for every q > 0: q^l → 0
    const v = analyze(model("tanh", "none", 0.5, 0));
    expect(v.phase).toBe("vanishing");
    expect(v.decidedBy).toBe("q_star");
    // additive noise on ReLU at σ_w² = 2: q grows by σ_w² μ2 each layer (Pretorius et al.: no critical init)
    expect(analyze(model("relu", "gauss_add:std=1", 2, 0)).phase).toBe("unbounded");
    expect(phaseSlope(parseNoise("dropout:keep=1"))).toBe("chi1"); // μ2 = 1: no noise
  });

  it("modelPhase (the library function) gives analyze's phase, decider and slope over a grid", () => {
    for (const noise of ["none", "dropout:keep=0.7", "gauss_add:std=0.3"])
      for (const act of ["relu", "tanh", "erf"])
        for (const w of [0.5, 1, 1.4, 2, 3])
          for (const b of [0, 0.2]) {
            const m = model(act, noise, w, b);
            const p = modelPhase(m);
            const a = analyze(m, { correlation: false, q0: 1, c0: 0.5 });
            expect(p.phase, `${act} ${noise} ${w} ${b}`).toBe(a.phase);
            expect(p.decidedBy).toBe(a.decidedBy);
            expect(p.reason).toBe(a.phaseReason);
            expect(p.slope).toBe(p.slopeName === "chi_grad" ? a.chiGrad : a.chi1);
          }
  });

  it("classifyPhase: the slope's side of 1 within EOC_TOL, and an undefined slope with a fixed point is an error", () => {
    const noise = parseNoise("dropout:keep=0.5");
    const base = { noise, qStatus: "converged" as const, chi1: 0.5 };
    expect(classifyPhase({ ...base, chiGrad: 1 + 5e-10 }).phase).toBe("edge_of_chaos");
    expect(classifyPhase({ ...base, chiGrad: 1 + 2e-9 }).phase).toBe("chaotic");
    expect(classifyPhase({ ...base, chiGrad: 1 - 2e-9 }).phase).toBe("ordered");
    expect(() => classifyPhase({ ...base, chi1: null, chiGrad: null })).toThrow(/undefined/);
  });
});
