/**
 * Empirical Jacobian spectra of simulated networks (src/spectra) against the free-probability theory.
 * Tolerances come from the spread over independent networks (standard error SE of the mean over
 * networks) plus, where the quantity is not exact at finite width, an O(1/N) allowance:
 * - E[(1/N) tr JJᵀ] = (σ_w²/2)^L exactly at any width for bias-free ReLU (flip the sign of row i of
 *   W^l: h^l_i changes sign, D^l_i ↔ 1 − D^l_i, everything else in the trace is unchanged), so the mean
 *   is tested at 4 SE with no allowance;
 * - the eigenvalue counting function at finite N: inside the bulk (t > 0) an O(1/N) bias, bounded by
 *   COUNTING_BIAS_C/N (derived and measured in counting.ts): tolerance 4 SE + COUNTING_BIAS_C/N; at t = 0
 *   (ReLU's zero atom) an exact O(1/√N) bias from the Binomial min of the layers' active counts, which the
 *   zero-atom test below shows is needed (half of it, or the former 2/N, fails) and sufficient;
 * - second moments carry O(L²/N) corrections: Richardson extrapolation from N and 4N
 *   (m(∞) ≈ (4 m(4N) − m(N))/3) is compared at 4 SE of the extrapolant;
 * - the top atom of hard-tanh with orthogonal weights is an exact rank statement: the multiplicity of
 *   σ_w^{2L} is N − Σ_l #inactive_l (generic position), whose mean is N(1 − L(1−p)) and whose SD is
 *   √(L p(1−p) N): tolerance 4 SD/√networks + 1/N.
 */
import { describe, expect, it } from "vitest";
import { Z_MAX } from "../sim/helpers.js";
import { makeActivation } from "../../src/theory/activations.js";
import { haarOrthogonal } from "../../src/engine/haar.js";
import { Stream } from "../../src/engine/rng.js";
import { gaussLegendre } from "../../src/numerics/gaussLegendre.js";
import {
  empiricalSpectrum,
  hutchinsonMoments,
  jacobian,
  jjtEigenvalues,
  sampleNetwork,
} from "../../src/spectra/jacobian.js";
import { spectrumHistogram } from "../../src/spectra/histogram.js";
import { pwlDensity, pwlSpectrum } from "../../src/theory/spectrum/density.js";
import { spectrumMoments } from "../../src/theory/spectrum/moments.js";
import { criticalFromQStar } from "../../src/theory/critical.js";
import {
  countingFunction,
  expectCountingFunction,
  orthogonalAtCritical,
  perNetwork,
  reluZeroFraction,
} from "./counting.js";

const relu = makeActivation("relu");

describe("Haar orthogonal sampling", () => {
  it("is orthogonal to 1e-13 and has E[tr O] = 0, Var[tr O] = 1 (Diaconis–Shahshahani)", () => {
    const rng = new Stream(3);
    const n = 12;
    const traces: number[] = [];
    for (let s = 0; s < 400; s++) {
      const o = haarOrthogonal(rng, n);
      if (s < 3) {
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let d = 0;
            for (let k = 0; k < n; k++) d += o[k * n + i] * o[k * n + j];
            expect(Math.abs(d - (i === j ? 1 : 0))).toBeLessThan(1e-13);
          }
      }
      let t = 0;
      for (let i = 0; i < n; i++) t += o[i * n + i];
      traces.push(t);
    }
    const m = traces.reduce((a, b) => a + b, 0) / traces.length;
    const v = traces.reduce((a, b) => a + (b - m) ** 2, 0) / (traces.length - 1);
    // SE of the mean = 1/√400 = 0.05; SE of the variance ≈ √(2/400) ≈ 0.07 (tr O ≈ N(0,1))
    expect(Math.abs(m)).toBeLessThan(0.2);
    expect(Math.abs(v - 1)).toBeLessThan(0.3);
  });
});

describe("ReLU Jacobian spectra vs theory", () => {
  for (const weights of ["gaussian", "orthogonal"] as const) {
    it(`${weights}: mean of (1/N) tr JJᵀ = 1 (exact at any width), at 4 SE`, () => {
      const em = empiricalSpectrum(
        { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 48, depth: 3, weights, q0: 1 },
        { networks: 120, seed: 21, order: 1 },
      );
      expect(Math.abs(em.moments[0] - 1)).toBeLessThan(4 * em.momentsSe[0]);
    });
    it(`${weights}: second moment by Richardson extrapolation in N (16 → 64) vs 1 + var`, () => {
      const L = 3;
      const th = spectrumMoments({ activation: relu, sigmaW2: 2, depth: L, weights, q: 1 });
      const a = empiricalSpectrum(
        { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 16, depth: L, weights, q0: 1 },
        { networks: 800, seed: 5, order: 2 },
      );
      const b = empiricalSpectrum(
        { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 64, depth: L, weights, q0: 1 },
        { networks: 120, seed: 6, order: 2 },
      );
      const ext = (4 * b.moments[1] - a.moments[1]) / 3;
      const se = Math.sqrt(16 * b.momentsSe[1] ** 2 + a.momentsSe[1] ** 2) / 3;
      expect(Math.abs(ext - th.moments[1])).toBeLessThan(4 * se);
    });
    it(`${weights}: the eigenvalue counting function matches atom + ∫ρ at three points`, () => {
      const L = 4;
      const N = 64;
      const inp = { p: 0.5, sigmaW2: 2, depth: L, weights };
      const edge = pwlSpectrum(inp).edge as number;
      const ts = [0.05, 0.2, 0.5].map((f) => f * edge);
      const cdf = ts.map((t) => 0.5 + integrateDensity(inp, t));
      // What these points can see (issue 15; docs/TESTING.md): tolerance 4 SE + 1.5/N = 0.034–0.051 here
      // (SE 0.0026–0.0069 over 30 networks, bias allowance 1.5/64 = 0.023). A φ′ error ε scales JJᵀ by
      // s = (1 + ε)^{2L} and moves the limit F(t) to F(t/s): for ε = 2 % (s = 1.17) by 0.008–0.019, below
      // the bias allowance alone, so no derived tolerance at N = 64 can see it (at N = 128 still 4 SE +
      // 1.5/128 ≈ 0.024 > 0.019). It is seen for certain when F(t) − F(t/s) > 2 × tolerance (the null
      // deviation is at most one tolerance): ε ≥ 11 % (orthogonal, t = 0.5·edge; gaussian ε ≥ 15.5 %),
      // mutant relu-counting-dphi-11pct. The 2 % scale is caught by the exact-trace test above and the
      // tanh (L = 8) counting test.
      expectCountingFunction(
        { activation: relu, sigmaW2: 2, sigmaB2: 0, width: N, depth: L, weights, q0: 1 },
        30,
        17,
        ts,
        cdf,
      );
    });
  }
});

describe("ReLU zero atom at finite width (exact Binomial-min law, O(1/√N) bias)", () => {
  it("reluZeroFraction: L = 1 gives ½; L = 2 gives ½ + C(2N, N)/2^{2N+1} (mean absolute deviation of Bin(2N, ½))", () => {
    // E[min(K₁, K₂)] = N/2 − E|K₁ − K₂|/2 and K₁ − K₂ + N ~ Bin(2N, ½), whose mean absolute deviation
    // about N is N·C(2N, N)/2^{2N} (de Moivre); the code sums P(K ≥ k)^L instead.
    for (const N of [1, 5, 64, 256]) {
      expect(reluZeroFraction(N, 1)).toBeCloseTo(0.5, 13);
      let c = 1; // C(2N, N)/2^{2N} as a product, no overflow
      for (let k = 1; k <= N; k++) c *= (N + k) / (4 * k);
      expect(reluZeroFraction(N, 2)).toBeCloseTo(0.5 + c / 2, 12);
    }
  });
  it("L = 4: √N·(zero fraction − ½) → E[max of 4 normals]/2 — the bias at the atom is O(1/√N), not O(1/N)", () => {
    // K_l = N/2 + (√N/2) Z_l + O(1) (continuity correction), so √N·(1 − E[min K]/N − ½) = E[max Z]/2 + O(1/√N);
    // E[max of 4 standard normals] = (3/(2√π))(1 + (2/π) arcsin(1/3)) = 1.02937537 (closed form for n = 4,
    // checked against quadrature of ∫ x·4φΦ³). Measured deviation 0.005/√N; tolerance 0.1/√N.
    const eMax4 = (3 / (2 * Math.sqrt(Math.PI))) * (1 + (2 / Math.PI) * Math.asin(1 / 3));
    for (const N of [256, 1024, 4096]) {
      const scaled = Math.sqrt(N) * (reluZeroFraction(N, 4) - 0.5);
      expect(Math.abs(scaled - eMax4 / 2)).toBeLessThan(0.1 / Math.sqrt(N));
    }
  });
  it("gaussian, N = 64, L = 4: zeros = N − min K_l per network; the counting function at t ≈ 0 needs the exact allowance", () => {
    const L = 4;
    const N = 64;
    const nets = 120;
    const spec = {
      activation: relu,
      sigmaW2: 2,
      sigmaB2: 0,
      width: N,
      depth: L,
      weights: "gaussian" as const,
      q0: 1,
    };
    const inp = { p: 0.5, sigmaW2: 2, depth: L, weights: "gaussian" as const };
    const tau = 1e-12 * (pwlSpectrum(inp).edge as number);
    // The rank statement behind the law, per network: zero eigenvalues are ~1e-31 and the smallest nonzero
    // one ≥ 1e-6 (measured), so τ separates them; K_l = #{h^l_i > 0}, l = 0..L−1, the active units of D^l.
    for (let r = 0; r < 4; r++) {
      const net = sampleNetwork(spec, { seed: 23, net: r });
      const ev = jjtEigenvalues(jacobian(net), N);
      const minK = Math.min(...net.h.slice(0, L).map((h) => h.filter((x) => x > 0).length));
      expect(ev.filter((x) => x <= tau).length).toBe(N - minK);
    }
    const limit = 0.5 + integrateDensity(inp, tau); // atom 1 − p plus ∫₀^τ ρ (≈ 1e-4)
    const exact = reluZeroFraction(N, L); // 0.5642: 4.1/N above the limit
    const bias = Math.abs(exact - limit);
    const [{ mean, se }] = countingFunction(spec, nets, 23, [tau]);
    // the exact finite-N law, no allowance
    expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    // sufficient: the derived allowance passes
    expect(Math.abs(mean - limit)).toBeLessThan(4 * se + bias);
    // needed: half of it fails, and so does the former blanket 2/N (0.031 < bias = 0.064)
    expect(Math.abs(mean - limit)).toBeGreaterThan(4 * se + bias / 2);
    expect(Math.abs(mean - limit)).toBeGreaterThan(4 * se + 2 / N);
  });
});

describe("hard-tanh at small q* with orthogonal weights (near-isometry)", () => {
  it("the top atom σ_w^{2L} has mass 1 − L(1−p) and the mean is 1", () => {
    const act = makeActivation("hard_tanh");
    const q = 0.15;
    const L = 6;
    const N = 64;
    const c = criticalFromQStar(act, q);
    const p = c.p as number;
    const top = Math.pow(c.sigmaW2, L);
    const seed = 9;
    const nets = 20;
    const fr = perNetwork(
      orthogonalAtCritical(act, c, N, L, q),
      nets,
      seed,
      (ev) => ev.filter((x) => Math.abs(x - top) < 1e-8 * top).length / N,
    );
    const m = fr.reduce((a, b) => a + b, 0) / nets;
    const sd = Math.sqrt((L * p * (1 - p)) / N);
    expect(Math.abs(m - (1 - L * (1 - p)))).toBeLessThan((4 * sd) / Math.sqrt(nets) + 1 / N);
    const sp = pwlSpectrum({ p, sigmaW2: c.sigmaW2, depth: L, weights: "orthogonal" });
    expect(sp.atoms[1].mass).toBeCloseTo(1 - L * (1 - p), 12);
  });
});

describe("matrix-free moments", () => {
  it("Hutchinson estimates of (1/N) tr (JJᵀ)^k agree with exact traces within 5 SD of the estimator", () => {
    const N = 64;
    const net = sampleNetwork(
      { activation: relu, sigmaW2: 2, sigmaB2: 0, width: N, depth: 3, weights: "gaussian", q0: 1 },
      { seed: 2, net: 0 },
    );
    const ev = jjtEigenvalues(jacobian(net), N);
    const probes = 200;
    const est = hutchinsonMoments(net, { probes, order: 3, rng: new Stream(4) });
    for (let k = 1; k <= 3; k++) {
      const exact = ev.reduce((s, x) => s + Math.pow(x, k), 0) / N;
      // Rademacher probes: Var(vᵀAv) ≤ 2‖A‖_F², ‖A‖_F² = Σ λ^{2k}
      const sd = Math.sqrt((2 * ev.reduce((s, x) => s + Math.pow(x, 2 * k), 0)) / probes) / N;
      expect(Math.abs(est[k - 1] - exact)).toBeLessThan(5 * sd);
    }
  });
});

describe("histogram against the density", () => {
  it("predicted bin masses plus the zero atom sum to 1", () => {
    const inp = { p: 0.5, sigmaW2: 2, depth: 3, weights: "orthogonal" as const };
    const em = empiricalSpectrum(
      { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 48, depth: 3, weights: "orthogonal", q0: 1 },
      { networks: 10, seed: 3, order: 1 },
    );
    const sp = pwlSpectrum(inp);
    const h = spectrumHistogram(em.eigenvalues, { bins: 30, hi: (sp.edge as number) * 1.5, theory: inp });
    const w = h.edges[1] - h.edges[0];
    const predTotal = (h.predicted as number[]).reduce((s, x) => s + x * w, 0) + (h.predictedZero as number);
    expect(Math.abs(predTotal - 1)).toBeLessThan(1e-4); // 24-point Gauss–Legendre per bin (√ behaviour at the edge)
  });

  it("empirical bin masses match the predicted ones bin by bin (N = 128, 40 networks, 8 bins to the edge)", () => {
    const inp = { p: 0.5, sigmaW2: 2, depth: 3, weights: "orthogonal" as const };
    const em = empiricalSpectrum(
      { activation: relu, sigmaW2: 2, sigmaB2: 0, width: 128, depth: 3, weights: "orthogonal", q0: 1 },
      { networks: 40, seed: 3, order: 1 },
    );
    const sp = pwlSpectrum(inp);
    const h = spectrumHistogram(em.eigenvalues, { bins: 8, hi: (sp.edge as number) * 1.0001, theory: inp });
    const w = h.edges[1] - h.edges[0];
    const M = em.eigenvalues.length; // 5120
    const pred = (h.predicted as number[]).map((x) => x * w);
    const emp = h.empirical.map((x) => x * w);
    // Tolerance: a bin's mass is a mean of M indicators; with independent eigenvalues its sd would be
    // √(p(1−p)/M) (multinomial). Eigenvalues of one matrix repel (rigidity), which makes bin counts less
    // variable than that, so the multinomial sd is conservative; |z| < Z_MAX (5) per bin.
    // Finite width: the rank of J = D₃W₃D₂W₂D₁W₁ is the smallest of three Binomial(N, ½) active counts,
    // ≈ N/2 − 0.85·√N/2, so at N = 128 about 0.037 of the mass moves from the smallest eigenvalues to exact
    // zeros (measured 0.037). The zero atom and the first bin are therefore compared together.
    // Measured (seed 3): |z| ≤ 1.1 in every comparison; binning by Math.round instead of Math.floor gives 7.
    const z = (e: number, p: number) => (e - p) / Math.sqrt((p * (1 - p)) / M);
    expect(Math.abs(z(h.zeroFraction + emp[0], (h.predictedZero as number) + pred[0]))).toBeLessThan(Z_MAX);
    for (let b = 1; b < 8; b++) expect(Math.abs(z(emp[b], pred[b])), `bin ${b}`).toBeLessThan(Z_MAX);
  });
});

/** ∫_0^t ρ for the piecewise-linear density (substitution x = t u^{2L} absorbs the x^{1/L−1} singularity). */
function integrateDensity(
  inp: { p: number; sigmaW2: number; depth: number; weights: "gaussian" | "orthogonal" },
  t: number,
): number {
  const { nodes, weights } = gaussLegendre(40);
  const L = inp.depth;
  const us = Array.from(nodes, (x) => (x + 1) / 2);
  const d = pwlDensity(inp, { xs: us.map((u) => t * Math.pow(u, 2 * L)) });
  return us.reduce((s, u, i) => s + (weights[i] / 2) * d.density[i] * t * 2 * L * Math.pow(u, 2 * L - 1), 0);
}
