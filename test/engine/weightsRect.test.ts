/**
 * The engine's orthogonal law on rectangular layers (engine/weights.ts): a scaled Haar isometry whose
 * entries have the Gaussian law's variance σ_w²/fan_in. Checked by the Gram matrices (float64 CGS2,
 * so ‖·‖ errors are at rounding, ~1e-13 here; tolerance 1e-10).
 */
import { describe, expect, it } from "vitest";
import { Stream } from "../../src/engine/rng.js";
import { sampleWeights } from "../../src/engine/weights.js";

/** max |G − c I| of G = AᵀA (cols) or AAᵀ (rows) for a row-major r × c matrix A. */
function gramError(a: Float64Array, r: number, c: number, cols: boolean, scale: number): number {
  const n = cols ? c : r;
  const k = cols ? r : c;
  const at = (i: number, j: number) => (cols ? a[j * c + i] : a[i * c + j]);
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += at(i, t) * at(j, t);
      worst = Math.max(worst, Math.abs(s - (i === j ? scale : 0)));
    }
  return worst;
}

describe("orthogonal weights on rectangular layers", () => {
  const s2 = 1.7;
  it("fan_in ≥ fan_out (wide to narrow): orthonormal columns, WᵀW = σ_w² I", () => {
    const w = sampleWeights(new Stream(3, 1), {
      law: "orthogonal",
      sigmaW2: s2,
      fanIn: 40,
      fanOut: 12,
      out: new Float64Array(480),
    });
    expect(gramError(w, 40, 12, true, s2)).toBeLessThan(1e-10);
  });
  it("fan_in < fan_out (narrow to wide): orthonormal rows, WWᵀ = σ_w² (fan_out/fan_in) I", () => {
    const w = sampleWeights(new Stream(4, 1), {
      law: "orthogonal",
      sigmaW2: s2,
      fanIn: 12,
      fanOut: 40,
      out: new Float64Array(480),
    });
    expect(gramError(w, 12, 40, false, (s2 * 40) / 12)).toBeLessThan(1e-10);
  });
  it("entries have mean square σ_w²/fan_in in both cases (exactly: ‖W‖_F² = σ_w² fan_out)", () => {
    for (const [i, o] of [
      [40, 12],
      [12, 40],
      [20, 20],
    ]) {
      const w = sampleWeights(new Stream(5, 1), {
        law: "orthogonal",
        sigmaW2: s2,
        fanIn: i,
        fanOut: o,
        out: new Float64Array(i * o),
      });
      const ms = w.reduce((a, x) => a + x * x, 0) / (i * o);
      expect(ms).toBeCloseTo(s2 / i, 12);
    }
  });
});
