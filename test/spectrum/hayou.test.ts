/**
 * Hayou et al. rates on the edge of chaos (src/theory/rates.ts, EOC point from src/theory/critical.ts): the mean-field iteration c^{l+1} = C(c^l)
 * computed by src/theory against 9π²/(2l²) (ReLU) and β_q/l (smooth φ). The asymptotic forms have
 * O(log l / l) relative corrections, so the test is that the scaled gap l²(1 − c^l) (or l(1 − c^l))
 * approaches the constant, with the relative error at depth 10⁴ below 0.5 % and shrinking with l.
 */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { eocModel } from "../../src/theory/critical.js";
import { hayouComparison } from "../../src/theory/rates.js";
import { chi1 } from "../../src/theory/maps.js";

describe("correlation convergence on the EOC", () => {
  it("ReLU: l²(1 − c^l) → 9π²/2", () => {
    const { model, qStar } = eocModel(makeActivation("relu"), 0);
    const h = hayouComparison(model, qStar, { depth: 10000, c0: 0.2, every: 100 });
    expect(h.kind).toBe("inverse_square");
    expect(h.constant).toBeCloseTo((9 * Math.PI ** 2) / 2, 12);
    const err = (i: number) => Math.abs(h.scaled[i] / h.constant - 1);
    const i1000 = h.l.indexOf(1000);
    const iLast = h.l.length - 1;
    expect(err(iLast)).toBeLessThan(5e-3);
    expect(err(iLast)).toBeLessThan(err(i1000));
  });
  for (const [name, sb2] of [
    ["erf", 0.1],
    ["erf", 0.5],
  ] as const) {
    it(`${name} (σ_b² = ${sb2}): l(1 − c^l) → β_q = 2E[φ′²]/(q E[φ″²]), χ1 = 1 at the EOC point`, () => {
      const { model, qStar } = eocModel(makeActivation(name), sb2);
      expect(Math.abs(chi1(model, qStar) - 1)).toBeLessThan(1e-12);
      const h = hayouComparison(model, qStar, { depth: 10000, c0: 0.3, every: 100 });
      expect(h.kind).toBe("inverse");
      const err = (i: number) => Math.abs(h.scaled[i] / h.constant - 1);
      const iLast = h.l.length - 1;
      expect(err(iLast)).toBeLessThan(5e-3);
      expect(err(iLast)).toBeLessThan(err(h.l.indexOf(500)));
    });
  }
  it("tanh (2-D quadrature kernel): l(1 − c^l) within 1 % of β_q at l = 300", () => {
    const { model, qStar } = eocModel(makeActivation("tanh"), 0.05);
    const h = hayouComparison(model, qStar, { depth: 300, c0: 0.5, every: 50 });
    expect(Math.abs(h.scaled[h.scaled.length - 1] / h.constant - 1)).toBeLessThan(1e-2);
  });
  it("leaky ReLU (α = 0.2): l²(1 − c^l) → 9π²/2 · ((1+α²)/(1−α)²)² (derived in src/theory/rates.ts)", () => {
    const { model, qStar } = eocModel(makeActivation("leaky_relu", { alpha: 0.2 }), 0);
    const h = hayouComparison(model, qStar, { depth: 10000, c0: 0.2, every: 100 });
    expect(h.constant).toBeCloseTo(((9 * Math.PI ** 2) / 2) * (1.04 / 0.64) ** 2, 10);
    expect(Math.abs(h.scaled[h.scaled.length - 1] / h.constant - 1)).toBeLessThan(5e-3);
  });
  it("rejects φ with a jumping derivative outside the ReLU family", () => {
    const { model, qStar } = eocModel(makeActivation("hard_tanh"), 0.1);
    expect(() => hayouComparison(model, qStar, { depth: 10 })).toThrow(/invalid activation/);
  });
});
