/**
 * The finite-width law of the per-network empirical variance v^l = (1/N) Σ_i (h^l_i)² of a ReLU network
 * with Gaussian weights, σ_b² = 0 and multiplicative noise (or none): its exact mean and relative variance
 * (to first order in 1/N for the first layer, exactly after it), and a log-normal approximation of its
 * median and quantiles. It extends the noiseless law of theory/finiteWidth.ts (Burkholz & Dubatovka 2019;
 * docs/THEORY.md §5) to the noise of Pretorius et al. (NeurIPS 2018, eq. 3: h^l = W^l (ε^l ⊙ φ(h^{l−1})) + b^l,
 * ε i.i.d. with E[ε] = 1, E[ε²] = μ2, E[ε⁴] = μ4), and is what the report uses to say where the simulated
 * variance of a few networks should lie (Figs 2b, 3b).
 *
 * Derivation. Given layer l−1, the N pre-activations of layer l are i.i.d. N(0, s_l) with
 * s_l = (σ_w²/N) Σ_j ε_j² relu(h^{l−1}_j)². For ReLU, relu(h)² = s_{l−1} z² B with z ~ N(0, 1) and
 * B = 1[z > 0], so s_l = s_{l−1} G_l with the gains G_l = (σ_w²/N) Σ_j T_j, T = ε² z² B independent across
 * layers. E[T] = μ2/2 and E[T²] = 3μ4/2, so
 *     E[G] = σ_w² μ2 / 2     (the mean-field gain: E[v^l] = q^l exactly),
 *     r = Var G / E[G]² = (6 μ4/μ2² − 1)/N     (5/N without noise, theory/finiteWidth.ts).
 * Layer 1 sees the exactly normalised input of the simulation (Σ_j (h⁰_j)² = N q⁰ fixed), which removes the
 * fluctuation of Σ z²: the residual of T on z² has variance Var T − (μ2/2)² Var z², so
 * r₁ = (6 μ4/μ2² − 3)/N (to first order in 1/N). The measured v^l = s_l χ²_N/N adds a factor (1 + 2/N).
 * Hence, for l ≥ 1,
 *     E[v^l] = q⁰ (σ_w² μ2/2)^l,   E[(v^l)²]/E[v^l]² = (1 + 2/N)(1 + r₁)(1 + r)^{l−1}.
 * v^l is a product of l independent positive factors, so log v^l is close to normal for l ≫ 1; matching
 * the two moments gives the log-normal median E[v]/√(1 + R) and quantiles median · exp(z_p √ln(1 + R)),
 * R the relative variance. The mean over n networks has relative variance R/n, and its own median is
 * E[v]/√(1 + R/n): a skewed law makes a low sample mean more likely than a high one.
 */
import type { Noise } from "./noise.js";

/** E[ε⁴] of a multiplicative noise (1 without noise); null where the law above does not apply. */
export function noiseFourthMoment(noise: Noise): number | null {
  const p = noise.params;
  switch (noise.kind) {
    case "none":
      return 1;
    case "dropout":
      // ε = Bernoulli(p)/p
      return 1 / (noise.keep as number) ** 3;
    case "gauss_mult":
      // ε = 1 + sZ: 1 + 6s² + 3s⁴
      return 1 + 6 * p.std ** 2 + 3 * p.std ** 4;
    case "laplace_mult":
      // ε = 1 + X, X ~ Laplace(b): E X² = 2b², E X⁴ = 24b⁴
      return 1 + 12 * p.scale ** 2 + 24 * p.scale ** 4;
    case "poisson_mult":
      // moments of Poisson(1) are the Bell numbers 1, 2, 5, 15
      return 15;
    default:
      return null;
  }
}

export interface VarianceLawInput {
  width: number;
  /** layers l = 0..depth */
  depth: number;
  q0: number;
  sigmaW2: number;
  mu2: number;
  mu4: number;
}

export interface VarianceLaw {
  /** E[v^l] = mean-field q^l */
  mean: number[];
  /** Var v^l / E[v^l]² (0 at the exactly normalised input layer) */
  relVar: number[];
  /** log-normal median of v^l */
  median: number[];
  /** log-normal 16 % and 84 % quantiles of v^l (± 1 sd of log v^l) */
  lo: number[];
  hi: number[];
}

/** The law of the per-network empirical variance over layers (see the module comment). */
export function reluVarianceLaw(inp: VarianceLawInput): VarianceLaw {
  const { width: N, depth, q0, sigmaW2, mu2, mu4 } = inp;
  if (!(N >= 1) || !Number.isInteger(depth) || depth < 0 || !(q0 > 0) || !(sigmaW2 > 0))
    throw new RangeError("reluVarianceLaw: width ≥ 1, depth ≥ 0 integer, q0 > 0, sigmaW2 > 0");
  if (!(mu2 >= 1) || !(mu4 >= mu2 * mu2)) throw new RangeError("reluVarianceLaw: need μ2 ≥ 1 and μ4 ≥ μ2²");
  const kurt = mu4 / (mu2 * mu2);
  const r = (6 * kurt - 1) / N;
  const r1 = (6 * kurt - 3) / N;
  const gain = (sigmaW2 * mu2) / 2;
  const mean: number[] = [];
  const relVar: number[] = [];
  let m2 = 1; // (1 + r₁)(1 + r)^{l−1}
  for (let l = 0; l <= depth; l++) {
    mean.push(q0 * gain ** l);
    if (l === 0) {
      relVar.push(0);
      continue;
    }
    m2 *= l === 1 ? 1 + r1 : 1 + r;
    relVar.push((1 + 2 / N) * m2 - 1);
  }
  const sdLog = relVar.map((R) => Math.sqrt(Math.log1p(R)));
  const median = mean.map((m, l) => m / Math.sqrt(1 + relVar[l]));
  return {
    mean,
    relVar,
    median,
    lo: median.map((m, l) => m * Math.exp(-sdLog[l])),
    hi: median.map((m, l) => m * Math.exp(sdLog[l])),
  };
}
