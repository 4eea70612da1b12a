/**
 * The finite-width variance law with multiplicative noise (src/theory/finiteWidthNoise.ts) against
 * (1) the exact noiseless moments of theory/finiteWidth.ts (independent code: Binomial–χ² sums) and
 * (2) a plain float64 Monte Carlo of the network itself (normalised Gaussian input, ReLU, noise ε per unit,
 * pre-activations drawn from their exact conditional law N(0, s_l)), 20000 networks of width 64.
 */
import { describe, expect, it } from "vitest";
import { scaleMoments } from "../../src/theory/finiteWidth.js";
import { noiseFourthMoment, reluVarianceLaw } from "../../src/theory/finiteWidthNoise.js";
import { parseNoise } from "../../src/theory/noise.js";

/** mulberry32 + Box–Muller: a small seeded generator independent of the library's. */
function gen(seed: number) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { u, normal };
}

/** Per-network empirical variance v^l, l = 0..depth, for `nets` networks. */
function monteCarlo(
  N: number,
  depth: number,
  nets: number,
  sigmaW2: number,
  eps: (g: ReturnType<typeof gen>) => number,
) {
  const g = gen(12345);
  const v: number[][] = [];
  const h = new Float64Array(N);
  for (let n = 0; n < nets; n++) {
    let ss = 0;
    for (let i = 0; i < N; i++) {
      h[i] = g.normal();
      ss += h[i] * h[i];
    }
    for (let i = 0; i < N; i++) h[i] *= Math.sqrt(N / ss); // exactly normalised input, q⁰ = 1
    const row = [1];
    for (let l = 1; l <= depth; l++) {
      let s = 0;
      for (let i = 0; i < N; i++) if (h[i] > 0) s += eps(g) ** 2 * h[i] * h[i];
      s *= sigmaW2 / N;
      let m = 0;
      for (let i = 0; i < N; i++) {
        h[i] = Math.sqrt(s) * g.normal();
        m += h[i] * h[i];
      }
      row.push(m / N);
    }
    v.push(row);
  }
  return v;
}

describe("reluVarianceLaw", () => {
  it("noiseless stages after the first have the exact relative variance of theory/finiteWidth.ts", () => {
    const N = 50;
    const law = reluVarianceLaw({ width: N, depth: 6, q0: 1, sigmaW2: 2, mu2: 1, mu4: 1 });
    const m = scaleMoments({ width: N, stages: 5, sigmaW2: 2, sigmaB2: 0, s0: 1 }, { order: 2 });
    // ratio of E[v²]/E[v]² at layers 6 and 1 = (1 + r)^5, exactly the χ²-mixture's 5-stage ratio
    const ratio = (1 + law.relVar[6]) / (1 + law.relVar[1]);
    expect(ratio).toBeCloseTo(m[5][1] / m[5][0] ** 2, 12);
    expect(law.mean[6]).toBeCloseTo(1, 14);
  });

  it("μ4 of the noises", () => {
    expect(noiseFourthMoment(parseNoise("dropout:keep=0.5"))).toBe(8);
    expect(noiseFourthMoment(parseNoise("gauss_mult:std=0.25"))).toBeCloseTo(1.38671875, 14);
    expect(noiseFourthMoment(parseNoise("gauss_add:std=1"))).toBeNull();
  });

  it.each([
    ["none", 2, 1, 1, () => 1],
    [
      "dropout:keep=0.6",
      2 * 0.6,
      1 / 0.6,
      1 / 0.6 ** 3,
      (g: ReturnType<typeof gen>) => (g.u() < 0.6 ? 1 / 0.6 : 0),
    ],
  ] as const)(
    "%s: mean, relative variance and median match a Monte Carlo of the network",
    (_n, sw2, mu2, mu4, eps) => {
      const N = 64;
      const depth = 6;
      const nets = 20000;
      const v = monteCarlo(N, depth, nets, sw2, eps);
      const law = reluVarianceLaw({ width: N, depth, q0: 1, sigmaW2: sw2, mu2, mu4 });
      for (const l of [1, 3, 6]) {
        const xs = v.map((r) => r[l]);
        const mean = xs.reduce((a, b) => a + b, 0) / nets;
        const rv = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (nets - 1) / mean ** 2;
        // mean: 5 Monte Carlo standard errors (√(R/n) relative)
        expect(Math.abs(mean / law.mean[l] - 1)).toBeLessThan(5 * Math.sqrt(law.relVar[l] / nets));
        // relative variance: O(1/N²) terms of the first layer plus Monte Carlo error of a variance
        // (≈ √(κ/n) with kurtosis κ < 20 here → 3 %): 10 % relative
        expect(Math.abs(rv / law.relVar[l] - 1)).toBeLessThan(0.1);
        // median: the log-normal shape is an approximation; its error is of the order of the skewness of
        // log v times σ_log² (< 2 % at R ≤ 0.6), plus Monte Carlo error of a median (< 0.5 %): 3 %
        const sorted = [...xs].sort((a, b) => a - b);
        const med = sorted[nets / 2];
        expect(Math.abs(med / law.median[l] - 1)).toBeLessThan(0.03);
      }
    },
  );
});
