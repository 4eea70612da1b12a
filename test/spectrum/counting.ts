/**
 * Shared check of the spectrum tests: the JJᵀ eigenvalues of simulated networks against the theory's
 * eigenvalue counting function (the integrated density).
 *
 * ## The finite-width bias of the counting function (issue 15)
 * F_N(t) = (1/N)#{λ ≤ t} of one network differs from the limit F(t) by a random part, covered by the
 * standard error over independent networks, and a deterministic bias E[F_N(t)] − F(t). Which law the bias
 * follows depends on where t is:
 *
 * - At t = 0 (the zero atom of ReLU, O(1/√N), exact). For bias-free ReLU, J = W^L D^{L−1} ⋯ W^1 D^0 has
 *   rank min_l K_l, K_l = #{h^l_i > 0}, l = 0..L−1 (generic position; checked per network in
 *   empirical.test.ts: the zero eigenvalues are ~1e-31, the smallest nonzero one ≥ 1e-6 at N = 64). Each
 *   h^l = W^l x is sign-symmetric given x (flip row i of W^l, or for W = σ_w O, O x uniform on a sphere), so
 *   the K_l are independent Binomial(N, ½) and E[#{λ = 0}]/N = 1 − E[min_l K_l]/N,
 *   E[min K] = Σ_{k=1}^N P(K ≥ k)^L (`reluZeroFraction`). With K_l ≈ N/2 + (√N/2) Z_l this is
 *   ½ + E[max of L normals]/(2√N) + O(1/N): for L = 4 the excess over the limit ½ is 0.0906, 0.0642,
 *   0.0454, 0.0322 at N = 32, 64, 128, 256 (√N·excess → 1.0294/2 = 0.5147). It is O(1/√N), not O(1/N):
 *   at N = 64 it is 4.1/N, twice the former blanket allowance 2/N, and 2/N fails there (tested).
 * - At t > 0 inside the bulk (every point the comparisons below use: t ≥ 0.05·edge), O(1/N) — an
 *   argument (delta method), not a proof; the Monte Carlo table below is the evidence. Given the
 *   layer fractions p̂_l = K_l/N the spectrum is, to O(1/N), the free product with those fractions, whose
 *   counting function F(t; p̂) is smooth in p̂ near p̂_l = ½ for fixed t > 0 (unequal fractions open a gap
 *   [0, O(δp²)] above the atom, below t: the mass that moves into the atom comes from (0, t], so the min
 *   does not reach F(t)). Averaging over the K_l, the linear term vanishes (E p̂_l = ½) and the quadratic one
 *   is ½ Σ_l ∂²F/∂p_l² · 1/(4N) = O(1/N); the intrinsic bias of a smooth linear statistic of a Wishart-type
 *   or free multiplicative ensemble is O(1/N) as well (Bai & Silverstein 2004, CLT for linear spectral
 *   statistics: the mean correction at β = 1). For smooth φ (tanh) there is no atom; the per-layer
 *   fluctuations of q̂^l and of diag(φ′²) enter the same way, O(1/N). The coefficient grows as t → 0 (the
 *   smoothness radius of F(t; ·) shrinks like √t), joining the O(1/√N) law of the atom.
 *   The coefficient c in c/N, measured by Monte Carlo at the points of the tests (scripts run in
 *   development, seeds 1000 + N; N·bias ± its SE; "t = 0" is the atom for comparison):
 *
 *   | network (tests)                        | N   | nets | t = 0       | t₁           | t₂           | t₃           |
 *   | ReLU gaussian, L = 4 (0.05, 0.2, 0.5)·e | 32  | 240  | 2.73 ± 0.13 | 0.35 ± 0.07  | 0.11 ± 0.06  | −0.06 ± 0.04 |
 *   |                                        | 64  | 240  | 3.88 ± 0.19 | 0.46 ± 0.10  | 0.24 ± 0.08  | 0.05 ± 0.06  |
 *   |                                        | 128 | 240  | 4.71 ± 0.27 | 0.20 ± 0.14  | 0.10 ± 0.12  | −0.09 ± 0.08 |
 *   | ReLU orthogonal, L = 4                 | 32  | 240  | 2.78 ± 0.13 | 0.53 ± 0.11  | 0.29 ± 0.10  | 0.05 ± 0.08  |
 *   |                                        | 64  | 240  | 3.94 ± 0.19 | 0.42 ± 0.15  | 0.28 ± 0.15  | −0.08 ± 0.13 |
 *   |                                        | 128 | 240  | 5.18 ± 0.24 | 0.21 ± 0.19  | −0.16 ± 0.19 | −0.26 ± 0.17 |
 *   | critical tanh q* = 0.05, orth., L = 8  | 32  | 160  |             | 0.38 ± 0.08  | −0.91 ± 0.27 | −1.12 ± 0.33 |
 *   | (0.25, 0.5, 0.75)·edge                 | 64  | 640  |             | 0.34 ± 0.06  | −0.59 ± 0.20 | −0.80 ± 0.23 |
 *   |                                        | 128 | 320  |             | 0.41 ± 0.15  | −0.09 ± 0.42 | −0.19 ± 0.46 |
 *
 *   (`npx tsx test/spectrum/countingBias.ts relu-gaussian|relu-orthogonal|tanh 32,64,128 NETS` prints a row.)
 *   N·bias at the atom grows like √N (√N·bias ≈ 0.49, the derived 0.51 less ∫₀^τρ), as derived; at the
 *   bulk points it does not grow from N to 2N: where the bias is resolved, √N·bias falls (ReLU orthogonal
 *   t₁: 0.094 → 0.053 → 0.018; tanh t₃: −0.198 → −0.100 → −0.016) while N·bias stays within its SE of a
 *   constant or falls (0.53 → 0.42 → 0.21; −1.12 → −0.80 → −0.19): O(1/N) (or faster). Over all bulk
 *   points at N ≥ 64, |N·bias| + 2 SE ≤ 1.26 (tanh t₃ at N = 64), so the allowance is c/N with c = 1.5
 *   (`COUNTING_BIAS_C`; at N = 32 tanh t₃ reaches 1.78, so the bound is for N ≥ 64, the tests' width).
 *   The former 2/N was loose by 4/3 in the bulk, and half the bias at the atom (too tight there).
 *   At the tests' network counts (24–30, seeds 17 and 4) 4 SE = 0.010–0.088 exceeds the bulk bias
 *   (≤ 0.8/N = 0.0125 at N = 64): all nine bulk comparisons pass at 4 SE alone (largest |mean − F| =
 *   0.0164 against 4 SE = 0.0275, ReLU orthogonal t₁), so in the bulk the allowance is a sufficient bound
 *   whose need cannot be shown without several hundred networks; the atom, where the bias is exact and
 *   4.1/N, is where empirical.test.ts shows the allowance is needed (half of it, or 2/N, fails).
 */
import { expect } from "vitest";
import { jacobian, jjtEigenvalues, sampleNetwork } from "../../src/spectra/jacobian.js";
import { binomialHalfPmf } from "../../src/theory/finiteWidth.js";

type NetworkSpec = Parameters<typeof sampleNetwork>[0];

/** c in the bulk allowance c/N for the finite-width bias of the counting function (derivation above). */
export const COUNTING_BIAS_C = 1.5;

/**
 * The exact expected fraction of zero eigenvalues of JJᵀ for a bias-free ReLU network of width N with L
 * (D, W) pairs: 1 − E[min_l K_l]/N, K_0..K_{L−1} independent Binomial(N, ½) (derivation above).
 */
export function reluZeroFraction(N: number, L: number): number {
  const pmf = binomialHalfPmf(N);
  let tail = 1; // P(K ≥ k), k = 0
  let eMin = 0;
  for (let k = 1; k <= N; k++) {
    tail -= pmf[k - 1];
    eMin += Math.pow(Math.max(tail, 0), L);
  }
  return 1 - eMin / N;
}

/** A network with orthogonal weights at a critical initialisation (σ_w², σ_b²), fed inputs of variance q. */
export function orthogonalAtCritical(
  activation: NetworkSpec["activation"],
  c: { sigmaW2: number; sigmaB2: number },
  width: number,
  depth: number,
  q: number,
): NetworkSpec {
  return {
    activation,
    sigmaW2: c.sigmaW2,
    sigmaB2: c.sigmaB2,
    width,
    depth,
    weights: "orthogonal",
    q0: q,
  };
}

/** `stat` of the JJᵀ eigenvalues of each of `nets` networks, network r = 0..nets−1 of `seed` (the engine's keys). */
export function perNetwork<T>(
  spec: NetworkSpec,
  nets: number,
  seed: number,
  stat: (ev: Float64Array) => T,
): T[] {
  const out: T[] = [];
  for (let r = 0; r < nets; r++) {
    const net = sampleNetwork(spec, { seed, net: r });
    out.push(stat(jjtEigenvalues(jacobian(net), spec.width)));
  }
  return out;
}

/** At each ts[j]: the fraction of eigenvalues ≤ ts[j] averaged over `nets` networks and its SE over networks. */
export function countingFunction(
  spec: NetworkSpec,
  nets: number,
  seed: number,
  ts: number[],
): { mean: number; se: number }[] {
  const N = spec.width;
  const per = perNetwork(spec, nets, seed, (ev) => ts.map((t) => ev.filter((x) => x <= t).length / N));
  return ts.map((_, j) => {
    const xs = per.map((r) => r[j]);
    const m = xs.reduce((a, b) => a + b, 0) / nets;
    const se = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (nets - 1) / nets);
    return { mean: m, se };
  });
}

/**
 * The fraction of eigenvalues ≤ t, averaged over `nets` networks, matches cdf[j] at each ts[j] within
 * 4 SE over networks + bias[j], the bound on the finite-width bias |E F_N(t) − F(t)|: by default
 * COUNTING_BIAS_C/N, valid at points inside the bulk (t > 0; derivation and measurements above).
 */
export function expectCountingFunction(
  spec: NetworkSpec,
  nets: number,
  seed: number,
  ts: number[],
  cdf: number[],
  bias: number[] = ts.map(() => COUNTING_BIAS_C / spec.width),
): void {
  countingFunction(spec, nets, seed, ts).forEach(({ mean, se }, j) =>
    expect(Math.abs(mean - cdf[j]), `t = ${ts[j]}`).toBeLessThan(4 * se + bias[j]),
  );
}
