/**
 * Moments of the spectrum of J Jᵀ for the input–output Jacobian J = W^L D^{L−1} ⋯ W^1 D^0 of a deep
 * network at initialisation, in the large-width limit (Pennington, Schoenholz & Ganguli 2017, 2018;
 * docs/THEORY.md §5). D^l = diag φ′(h^l) with h^l_i ~ N(0, q^l) i.i.d.; W^l is N×N with
 * - gaussian weights: W_ij ~ N(0, σ_w²/N): W Wᵀ is Marchenko–Pastur (ratio 1) scaled by σ_w²,
 *   moments σ_w^{2k} Catalan(k), S-transform S(z) = 1/(σ_w²(1+z));
 * - orthogonal weights: W = σ_w O with O Haar orthogonal: W Wᵀ = σ_w² I, S(z) = 1/σ_w².
 * D² has moments μ_k = E[φ′(√q z)^{2k}]. Free independence gives S_{JJᵀ} = Π_l S_{D_l²} S_{W_lW_lᵀ}, and the
 * first K moments of J Jᵀ follow from the first K moments of each factor (series in `series.ts`).
 *
 * Closed forms (derived from the first two S-coefficients, S(z)/S(0) = 1 + (1 − m2/m1²) z + …):
 *   mean  m1 = Π_l σ_w² μ1(q^l)                    (= χ1^L at a fixed point; 1 at criticality)
 *   var   m2 − m1² = m1² Σ_l (μ2/μ1² − 1 − s1)       s1 = −1 gaussian, 0 orthogonal
 * which at criticality is docs/THEORY.md's L(μ2/μ1² − 1 − s1); ReLU: 2L (gaussian), L (orthogonal).
 *
 * Noise (docs/THEORY.md §1, on the input of every layer): multiplicative h^l = W^l(ε^l ⊙ φ(h^{l−1})) + b^l gives,
 * for a fixed noise draw, J = Π W^l diag(ε^l φ′(h^{l−1})), so D² has entries ε²φ′(h)² with ε independent
 * of h and μ_k = E[ε^{2k}] E[φ′(√q z)^{2k}] (`noiseEvenMoment`). Additive noise leaves D = diag φ′(h);
 * it enters only through the layer variances q^l (the caller's noisy variance map). Dropout keep p with
 * ReLU: μ_k = p^{1−2k}/2, μ2/μ1² = 2/p, so at σ_w² = 2p the mean is 1 and the variance 2L/p (gaussian),
 * L(2/p − 1) (orthogonal).
 */
import type { Activation } from "../activations.js";
import { InputError } from "../errors.js";
import { eDphi2, gaussMean } from "../expectations.js";
import { noiseEvenMoment, type Noise } from "../noise.js";
import { catalan, momentsFromS, mulSeries, sFromMoments } from "./series.js";

export type WeightLaw = "gaussian" | "orthogonal";
export const WEIGHT_LAWS: readonly WeightLaw[] = ["gaussian", "orthogonal"];

export function parseWeightLaw(text: string): WeightLaw {
  if (text === "gaussian" || text === "orthogonal") return text;
  throw new InputError("weights", text, "gaussian | orthogonal");
}

/** μ_k = E[φ′(√q z)^{2k}] for k = 1..K. */
export function derivativeMoments(act: Activation, q: number, K: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= K; k++) {
    if (act.piecewiseLinear01) {
      // φ′ ∈ {0, 1}: every moment is P(φ′ = 1) = E[φ′²]
      out.push(eDphi2(act, q));
    } else {
      out.push(gaussMean((u) => act.dphi(u) ** (2 * k), q, act.kinks));
    }
  }
  return out;
}

/** Moments σ^{2k} m_k(WWᵀ), k = 1..K. */
export function weightMoments(weights: WeightLaw, sigmaW2: number, K: number): number[] {
  const base = weights === "gaussian" ? catalan(K) : new Array<number>(K).fill(1);
  return base.map((c, i) => c * Math.pow(sigmaW2, i + 1));
}

export interface SpectrumMomentsInput {
  activation: Activation;
  sigmaW2: number;
  depth: number;
  weights: WeightLaw;
  /** the pre-activation variance of every layer (q*), or one per layer D^0..D^{L−1} */
  q: number | readonly number[];
  /** number of moments (default 3) */
  order?: number;
  /** noise on each layer's input (default none; only multiplicative noise changes D², see module doc) */
  noise?: Noise;
}

export interface SpectrumMoments {
  /** m_1..m_K of the spectral distribution of J Jᵀ (atom at 0 included) */
  moments: number[];
  mean: number;
  variance: number;
  /** E[(λ − m1)³] */
  thirdCentral: number;
  /** the closed form m1² Σ(μ2/μ1² − 1 − s1) for the variance (same quantity, independent route) */
  varianceClosedForm: number;
  /** μ_k of D² (noise included) at the first layer's q */
  mu: number[];
  /** σ_w² E[φ′²] at the first layer's q (χ1 when q = q*; the noiseless definition of docs/THEORY.md §2) */
  chi1: number;
  /** σ_w² μ1 at the first layer's q: the per-layer factor of the mean (χ_grad; = χ1 without multiplicative noise) */
  chiGrad: number;
}

/** Moments of the spectrum of J Jᵀ (see module doc). */
export function spectrumMoments(input: SpectrumMomentsInput): SpectrumMoments {
  const { activation, sigmaW2, depth, weights } = input;
  const K = input.order ?? 3;
  if (!Number.isInteger(depth) || depth < 1) throw new InputError("depth", String(depth), "an integer ≥ 1");
  const qs = typeof input.q === "number" ? new Array<number>(depth).fill(input.q) : [...input.q];
  if (qs.length !== depth)
    throw new RangeError(`spectrumMoments: ${qs.length} layer variances for depth ${depth}`);
  const sW = sFromMoments(weightMoments(weights, sigmaW2, K));
  const s1 = weights === "gaussian" ? -1 : 0;
  let S = [1, ...new Array<number>(K - 1).fill(0)];
  let mean = 1;
  let spread = 0;
  const cache = new Map<number, number[]>();
  let mu0: number[] = [];
  let muPhi0: number[] = [];
  const noise = input.noise;
  const eps2k =
    noise && noise.type === "multiplicative"
      ? Array.from({ length: K }, (_, i) => noiseEvenMoment(noise, i + 1))
      : null;
  for (let l = 0; l < depth; l++) {
    let mu = cache.get(qs[l]);
    if (!mu) {
      mu = derivativeMoments(activation, qs[l], K);
      cache.set(qs[l], mu);
    }
    if (l === 0) muPhi0 = mu;
    if (eps2k) mu = mu.map((m, i) => m * eps2k[i]);
    if (l === 0) mu0 = mu;
    if (!(mu[0] > 0)) {
      throw new InputError(
        "activation",
        activation.spec,
        "an activation with E[φ′²] > 0 at q*",
        "φ′ vanishes almost surely",
      );
    }
    S = mulSeries(mulSeries(S, sFromMoments(mu), K), sW, K);
    mean *= sigmaW2 * mu[0];
    spread += (K >= 2 ? mu[1] / (mu[0] * mu[0]) : 1) - 1 - s1;
  }
  const moments = momentsFromS(S);
  const m1 = moments[0];
  const m2 = moments[1] ?? NaN;
  const m3 = moments[2] ?? NaN;
  return {
    moments,
    mean: m1,
    variance: m2 - m1 * m1,
    thirdCentral: m3 - 3 * m1 * m2 + 2 * m1 * m1 * m1,
    varianceClosedForm: mean * mean * spread,
    mu: mu0,
    chi1: sigmaW2 * muPhi0[0],
    chiGrad: sigmaW2 * mu0[0],
  };
}

/** Fuss–Catalan numbers FC_s(k) = C((s+1)k, k)/(sk+1): moments of a product of s square Ginibre matrices. */
export function fussCatalan(s: number, k: number): number {
  let c = 1;
  // C((s+1)k, k) computed as a product to keep it in float64 range for moderate arguments
  for (let i = 1; i <= k; i++) c = (c * ((s + 1) * k - k + i)) / i;
  return c / (s * k + 1);
}
