/**
 * Variance depth: with no noise and a deterministic input, the float32 variance of a random ReLU network
 * follows q^l ≈ γ^l q⁰ (γ = σ_w²/2), so the first over/underflow layer is close to L* = (ln K − ln q⁰)/ln γ.
 * At width 512 the per-layer log-variance fluctuates by O(√(2/(N B))) and drifts by −O(1/N) per layer
 * (E ln q < ln E q), so over ~60–130 layers the depth agrees within ±15 % — loose on purpose, checked on
 * both sides of criticality, plus the exact bookkeeping of q⁰ for data inputs.
 */
import { describe, expect, it } from "vitest";
import { parseNoise } from "../../src/theory/noise.js";
import { meanSquare, theoryDepth, varianceDepth } from "../../src/train/varianceDepth.js";

const dim = 64;
const x = new Float32Array(4 * dim).map((_, i) => ((i * 37) % 101) / 100);

describe("variance propagation depth", () => {
  it("q⁰ = 2⟨x²⟩ so that q¹ = σ_w² μ2 ⟨x²⟩ = γ q⁰", () => {
    const t = theoryDepth(0.5, 1, x);
    expect(t.q0).toBeCloseTo(2 * meanSquare(x), 15);
    expect(t.kind).toBe("underflow");
    expect(t.depth as number).toBeCloseTo(
      (Math.log(1.1754943508222875e-38) - Math.log(t.q0)) / Math.log(0.25),
      10,
    );
  });
  for (const sw2 of [0.5, 4]) {
    it(`measured depth ≈ L* at σ_w² = ${sw2} (${sw2 < 2 ? "underflow" : "overflow"})`, async () => {
      const t = theoryDepth(sw2, 1, x);
      const r = await varianceDepth({
        x,
        dim,
        width: 512,
        sigmaW2: sw2,
        noise: parseNoise("none"),
        maxDepth: 400,
        seed: 1,
        net: 0,
      });
      expect(r.kind).toBe(t.kind);
      expect(Math.abs((r.depth as number) - (t.depth as number)) / (t.depth as number)).toBeLessThan(0.15);
      expect(r.log10q).toHaveLength(r.depth as number);
    });
  }
});
