/**
 * Residual-network mean field (src/theory/residual.ts): the recursions against Monte Carlo of finite
 * float64 networks (test/theory/mcNets.ts), and the polynomial depth laws against the recursions iterated
 * to large depth.
 *
 * Tolerances. Monte Carlo: per layer |mean − theory| ≤ 4 standard errors (spread over 16 networks) + 2/N
 * of the quantity's scale (finite-width corrections to mean field are O(1/N); N = 256). With 8 networks the
 * spread itself was too poorly estimated (a side run: sd 0.16 from 8 networks vs 0.39 from 40 at layer 6
 * of the reduced tanh case, whose 40-network mean 4.787 ± 0.062 matches the theory's 4.804). Depth laws: the
 * 1/l² law has O(1/l) relative corrections, so the constant is estimated from u_l = (1 − c^l)^{−1/2}, whose
 * increments tend to κ/2 (constant = 4/κ²), at L and 2L and Richardson-extrapolated in 1/L; bounded odd
 * φ: the local exponent −Δ ln|c^l − c*| / Δ ln l has O(l^{−1/2}) corrections (E[φ²] → φ∞² at rate q^{−1/2}).
 */
import { describe, expect, it } from "vitest";
import { makeActivation } from "../../src/theory/activations.js";
import { dynamics } from "../../src/theory/dynamics.js";
import { parseNoise } from "../../src/theory/noise.js";
import { eocRate } from "../../src/theory/rates.js";
import {
  parseResidualVariant,
  residualDynamics,
  residualLaw,
  type ResidualOptions,
} from "../../src/theory/residual.js";
import { residualMc } from "./mcNets.js";

const none = parseNoise("none");
const model = (name: string, sigmaW2: number, sigmaB2: number, params: Record<string, number> = {}) => ({
  activation: makeActivation(name, params),
  noise: none,
  sigmaW2,
  sigmaB2,
});

/** 4/κ² from u_l = (1 − c^l)^{−1/2} increments at L and 2L, Richardson-extrapolated in 1/L. */
function inverseSquareConstant(c: (number | null)[], L: number): { raw: number; extrapolated: number } {
  const u = (l: number) => 1 / Math.sqrt(1 - (c[l] as number));
  const est = (k: number) => {
    const h = (u(2 * k) - u(k)) / k; // → κ/2
    return 1 / (h * h); // → 4/κ² = constant
  };
  const a = est(L / 2);
  const b = est(L);
  return { raw: b, extrapolated: 2 * b - a };
}

describe("residual recursions vs Monte Carlo (width 256, 16 networks)", () => {
  const cases: [string, number, number, ResidualOptions][] = [
    ["relu", 2, 0, { variant: "reduced" }],
    ["tanh", 1, 0.1, { variant: "reduced" }],
    ["relu", 1, 0.05, { variant: "full", sigmaV2: 1, sigmaA2: 0.05 }],
    ["tanh", 1.5, 0.1, { variant: "full", sigmaV2: 1, sigmaA2: 0 }],
  ];
  for (const [name, sw2, sb2, opts] of cases) {
    it(`${opts.variant} ${name} σ_w² = ${sw2} σ_b² = ${sb2}: q^l and c^l over 10 blocks`, () => {
      const depth = 10;
      const N = 256;
      const th = residualDynamics(model(name, sw2, sb2), { ...opts, depth, q0: 1, c0: 0.3 });
      const runs = Array.from({ length: 16 }, (_, s) =>
        residualMc({
          act: makeActivation(name),
          variant: opts.variant,
          sigmaW2: sw2,
          sigmaB2: sb2,
          sigmaV2: opts.sigmaV2,
          sigmaA2: opts.sigmaA2,
          width: N,
          depth,
          q0: 1,
          c0: 0.3,
          seed: 17 + s,
        }),
      );
      for (let l = 1; l <= depth; l++) {
        for (const key of ["q", "c"] as const) {
          const v = runs.map((r) => r[key][l]);
          const m = v.reduce((a, b) => a + b) / v.length;
          const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
          const want = key === "q" ? th.q[l] : (th.c[l] as number);
          const scale = key === "q" ? want : 1;
          expect(Math.abs(m - want), `${key}^${l}: MC ${m} ± ${sd}, theory ${want}`).toBeLessThanOrEqual(
            (4 * sd) / Math.sqrt(v.length) + (2 / N) * scale,
          );
        }
      }
    }, 60_000);
  }
});

describe("ReLU residual networks: 1 − c^l ~ constant/l² (exponential q, polynomial c)", () => {
  const cases: [string, number, number, ResidualOptions, Record<string, number>][] = [
    ["relu", 2, 0, { variant: "reduced" }, {}],
    ["relu", 1, 0.3, { variant: "reduced" }, {}],
    ["relu", 2, 0, { variant: "full", sigmaV2: 0.5 }, {}],
    ["leaky_relu", 1.5, 0, { variant: "reduced" }, { alpha: 0.2 }],
  ];
  for (const [name, sw2, sb2, opts, params] of cases) {
    it(`${opts.variant} ${name} σ_w² = ${sw2} σ_b² = ${sb2}`, () => {
      const m = model(name, sw2, sb2, params);
      const law = residualLaw(m, opts);
      if (law.kind !== "relu_inverse_square") throw new Error(law.kind);
      const t = residualDynamics(m, { ...opts, depth: 400, q0: 1, c0: 0.5 });
      // q^l/q^{l−1} → 1 + β
      expect(Math.abs(t.q[400] / t.q[399] - law.varianceGrowth)).toBeLessThan(1e-9 * law.varianceGrowth);
      const e100 = inverseSquareConstant(t.c, 100);
      const e200 = inverseSquareConstant(t.c, 200);
      expect(Math.abs(e200.raw / law.constant - 1)).toBeLessThan(Math.abs(e100.raw / law.constant - 1));
      expect(Math.abs(e200.raw / law.constant - 1)).toBeLessThan(0.015);
      // the corrections carry ln l/l terms, so Richardson in 1/L removes most, not all, of the bias
      expect(Math.abs(e200.extrapolated / law.constant - 1)).toBeLessThan(2.5e-3);
      expect(Math.abs(e200.extrapolated / law.constant - 1)).toBeLessThan(
        Math.abs(e200.raw / law.constant - 1) / 3,
      );
    });
  }

  it("Hayou et al. Prop. 1, both sides: ReLU on the EOC (σ_w² = 2) and the residual ReLU network", () => {
    const plain = model("relu", 2, 0);
    const res = model("relu", 2, 0);
    const opts: ResidualOptions = { variant: "reduced" };
    const rate = eocRate(plain.activation, 1);
    expect(rate.constant).toBeCloseTo((9 * Math.PI ** 2) / 2, 12);
    const cp = dynamics(plain, { depth: 400, q0: 1, c0: 0.5 }).c;
    const cr = residualDynamics(res, { ...opts, depth: 400, q0: 1, c0: 0.5 }).c;
    const kp = inverseSquareConstant(cp, 200).extrapolated;
    const kr = inverseSquareConstant(cr, 200).extrapolated;
    // plain side: l²(1 − c^l) → 9π²/2
    expect(Math.abs(kp / (rate.constant as number) - 1)).toBeLessThan(2.5e-3);
    // residual side: → (9π²/2)((1+β)/β)², β = σ_w²/2 = 1, so 1 − c_plain ~ γ(1 − c_res), γ = 1/4
    const law = residualLaw(res, opts);
    if (law.kind !== "relu_inverse_square") throw new Error(law.kind);
    expect(law.hayouGamma).toBe(0.25);
    expect(Math.abs(kp / kr / law.hayouGamma - 1)).toBeLessThan(3e-3);
    // and directly on the sequences: (1 − c_plain^l)/(1 − c_res^l) → γ, with O(ln l/l) corrections
    const ratioErr = (l: number) =>
      Math.abs((1 - (cp[l] as number)) / (1 - (cr[l] as number)) / law.hayouGamma - 1);
    expect(ratioErr(400)).toBeLessThan(ratioErr(100));
    expect(ratioErr(400)).toBeLessThan(0.05);
  });
});

describe("bounded odd φ: q^l ~ A l and |c^l − c*| ~ l^{−ν}", () => {
  it("erf, reduced, σ_b² = 0: c* = 0, ν = 1 − 2/π for any σ_w²", () => {
    for (const sw2 of [0.5, 2]) {
      const m = model("erf", sw2, 0);
      const opts: ResidualOptions = { variant: "reduced" };
      const law = residualLaw(m, opts);
      if (law.kind !== "bounded_odd") throw new Error(law.kind);
      expect(law.cStar).toBe(0);
      expect(Math.abs(law.exponent - (1 - 2 / Math.PI))).toBeLessThan(1e-15);
      const t = residualDynamics(m, { ...opts, depth: 100000, q0: 1, c0: 0.5 });
      const c = (l: number) => Math.abs(t.c[l] as number);
      const local = (L: number) => -Math.log(c(2 * L) / c(L)) / Math.log(2);
      expect(Math.abs(local(50000) - law.exponent)).toBeLessThan(3e-3);
      expect(Math.abs(local(50000) - law.exponent)).toBeLessThan(Math.abs(local(1000) - law.exponent));
      // q^l/l → A = σ_w²: the gap shrinks like l^{−1/2}
      const gap = (l: number) => Math.abs(t.q[l] / l / law.varianceSlope - 1);
      expect(gap(100000)).toBeLessThan(0.01);
      expect(gap(100000)).toBeLessThan(gap(1000) / 5);
    }
  });
  it("erf, reduced and full, biased: c* ∈ (0, 1) from F(c*) = 0, local exponent approaches ν", () => {
    const cases: [number, number, ResidualOptions][] = [
      [2, 0.5, { variant: "reduced" }],
      [1, 0.2, { variant: "full", sigmaV2: 1.5, sigmaA2: 0.3 }],
    ];
    for (const [sw2, sb2, opts] of cases) {
      const m = model("erf", sw2, sb2);
      const law = residualLaw(m, opts);
      if (law.kind !== "bounded_odd") throw new Error(law.kind);
      expect(law.cStar).toBeGreaterThan(0);
      expect(law.cStar).toBeLessThan(1);
      const t = residualDynamics(m, { ...opts, depth: 100000, q0: 1, c0: 0.9 });
      const d = (l: number) => Math.abs((t.c[l] as number) - law.cStar);
      expect(d(100000)).toBeLessThan(0.03);
      expect(d(100000)).toBeLessThan(d(1000) / 3);
      const local = (L: number) => -Math.log(d(2 * L) / d(L)) / Math.log(2);
      const e1 = Math.abs(local(1000) - law.exponent);
      const e2 = Math.abs(local(50000) - law.exponent);
      expect(e2).toBeLessThan(e1);
      expect(e2).toBeLessThan(0.06);
    }
  });
  it("other φ and noisy models say why there is no law", () => {
    expect(residualLaw(model("gelu", 1, 0), { variant: "reduced" }).kind).toBe("none");
    const noisy = { ...model("relu", 2, 0), noise: parseNoise("dropout:keep=0.9") };
    const r = residualLaw(noisy, { variant: "reduced" });
    expect(r.kind === "none" && r.reason).toMatch(/noise/);
  });
  it("variant names: reduced | full, anything else is an input error naming the flag", () => {
    expect(parseResidualVariant("Full")).toBe("full");
    expect(() => parseResidualVariant("dense")).toThrow(/invalid residual/);
  });
});
