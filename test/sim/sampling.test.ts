/**
 * The samplers: ziggurat normals, noise families and Haar orthogonal matrices.
 * Tolerances are derived from the sample itself: an empirical mean of M i.i.d. values is compared with its
 * expectation in units of its standard error s/√M (s the sample std of the values averaged), |z| < Z_MAX
 * (helpers.ts); exact identities (orthogonality) use float64 rounding bounds.
 */
import { describe, expect, it } from "vitest";
import { fillNoise } from "../../src/engine/noise.js";
import { haarOrthogonal } from "../../src/engine/haar.js";
import { haarOrthogonalBlocked } from "../../src/engine/tensor.js";
import { initJax } from "../../src/sim/index.js";
import { Stream } from "../../src/engine/rng.js";
import type { Noise } from "../../src/theory/noise.js";

/** ε for `count` elements in float32 by the engine's laws (null for the identity). */
const sampleNoise = (stream: Stream, noise: Noise, count: number) =>
  fillNoise(new Float32Array(count), noise, stream);
import { parseNoise } from "../../src/theory/noise.js";
import { Z_MAX } from "./helpers.js";

/** z-score of the sample mean of f(x) against `expected`, using the sample std of f(x). */
function zMean(xs: ArrayLike<number>, f: (x: number) => number, expected: number): number {
  const m = xs.length;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const v = f(xs[i]);
    s += v;
    s2 += v * v;
  }
  const mean = s / m;
  const sd = Math.sqrt(Math.max(0, s2 / m - mean * mean));
  return (mean - expected) / (sd / Math.sqrt(m));
}

describe("ziggurat normal stream", () => {
  const xs = new Stream(123, 4).fillNormal(new Float64Array(2_000_000));
  it.each([
    ["E[x] = 0", (x: number) => x, 0],
    ["E[x²] = 1", (x: number) => x * x, 1],
    ["E[x³] = 0", (x: number) => x ** 3, 0],
    ["E[x⁴] = 3", (x: number) => x ** 4, 3],
    ["P(|x| > 3) = 0.0026997961", (x: number) => (Math.abs(x) > 3 ? 1 : 0), 0.0026997960632601866],
    [
      "P(x > 3.6) (beyond the base strip R = 3.4426)",
      (x: number) => (x > 3.6 ? 1 : 0),
      1.5910859015753364e-4,
    ],
    ["P(0.5 < x < 0.6)", (x: number) => (x > 0.5 && x < 0.6 ? 1 : 0), 0.034196751643],
  ])("%s", (_name, f, expected) => {
    expect(Math.abs(zMean(xs, f, expected))).toBeLessThan(Z_MAX);
  });

  it("streams are reproducible and distinct per id", () => {
    const a = new Stream(1, 2, 3).fillNormal(new Float32Array(8));
    const b = new Stream(1, 2, 3).fillNormal(new Float32Array(8));
    const c = new Stream(1, 2, 4).fillNormal(new Float32Array(8));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });
});

describe("noise samplers: E[ε] and μ2 = E[ε²] as in docs/THEORY.md §1", () => {
  it.each([
    "dropout:keep=0.6",
    "dropout:rate=0.2",
    "gauss_mult:std=0.25",
    "gauss_add:std=2",
    "laplace_mult:scale=0.5",
    "laplace_add:scale=1",
    "poisson_mult",
  ])("%s", (spec) => {
    const noise = parseNoise(spec);
    const eps = sampleNoise(new Stream(9, spec.length), noise, 1_000_000) as Float32Array;
    const mean = noise.type === "additive" ? 0 : 1;
    expect(Math.abs(zMean(eps, (x) => x, mean))).toBeLessThan(Z_MAX);
    expect(Math.abs(zMean(eps, (x) => x * x, noise.mu2))).toBeLessThan(Z_MAX);
  });

  it("none and keep = 1 are the identity (no sampling)", () => {
    expect(sampleNoise(new Stream(1), parseNoise("none"), 10)).toBeNull();
    expect(sampleNoise(new Stream(1), parseNoise("dropout:keep=1"), 10)).toBeNull();
  });
});

describe("Haar orthogonal matrices", () => {
  it("QQᵀ = I to float64 rounding, and E[Q_ij²] = 1/N", () => {
    const n = 64;
    const q = haarOrthogonal(new Stream(5), n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += q[i * n + k] * q[j * n + k];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    // CGS2 keeps orthogonality at a small multiple of n·ε_64 ≈ 1.4e-14
    expect(worst).toBeLessThan(1e-12);
    // entries of a Haar matrix: E[Q_ij²] = 1/N over many matrices; and no sign bias E[Q_ij] = 0
    const entries: number[] = [];
    for (let r = 0; r < 40; r++) entries.push(...haarOrthogonal(new Stream(6, r), 16));
    expect(Math.abs(zMean(entries, (x) => x * x, 1 / 16))).toBeLessThan(Z_MAX);
    expect(Math.abs(zMean(entries, (x) => x, 0))).toBeLessThan(Z_MAX);
  });

  it("Haar, not just orthogonal: eigenvalue-angle statistics tr Q and tr Q² match Haar O(n)", () => {
    // QQᵀ = I and E[Q_ij²] = 1/N hold for any orthogonal law with exchangeable entries (Q² of a Haar Q passes
    // both). The eigenvalue angles θ_k of a Haar Q in O(n) give tr Qʲ = Σ_k cos(jθ_k) with exact moments
    // (Diaconis & Shahshahani 1994; left invariance: flipping the sign of row i maps Q to a Haar Q):
    // E[tr Q] = 0, E[(tr Q)²] = Σ_i E[Q_ii²] = 1, E[tr Q²] = Σ_i E[Q_ii²] + Σ_{i≠j} E[Q_ij Q_ji] = 1 + 0.
    // Over 400 matrices each mean has standard error ≈ √(Var/400) (Var ≈ 1, 2, 2), so |z| < Z_MAX.
    const n = 16;
    const t1: number[] = [];
    const t2: number[] = [];
    for (let r = 0; r < 400; r++) {
      const q = haarOrthogonal(new Stream(7, r), n);
      let a = 0;
      let b = 0;
      for (let i = 0; i < n; i++) {
        a += q[i * n + i];
        for (let j = 0; j < n; j++) b += q[i * n + j] * q[j * n + i];
      }
      t1.push(a);
      t2.push(b);
    }
    expect(Math.abs(zMean(t1, (x) => x, 0))).toBeLessThan(Z_MAX);
    expect(Math.abs(zMean(t1, (x) => x * x, 1))).toBeLessThan(Z_MAX);
    expect(Math.abs(zMean(t2, (x) => x, 1))).toBeLessThan(Z_MAX);
  });

  it("the blocked float32 variant is the same factorisation: equals the float64 Q to float32 accuracy", async () => {
    await initJax();
    const n = 300; // > one 64-row block boundary several times, not a multiple of 64
    const a = haarOrthogonalBlocked(new Stream(8), n);
    const b = haarOrthogonal(new Stream(8), n);
    let diff = 0;
    for (let i = 0; i < n * n; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
    // float32 Gram–Schmidt: errors ~ ε_32·√N·κ-free (CGS2) ≈ 1e-6; 1e-4 still catches any wrong projection (O(1))
    expect(diff).toBeLessThan(1e-4);
  });
});
