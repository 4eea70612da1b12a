/**
 * Mean-field recursions of residual networks at infinite width, and their polynomial depth laws.
 *
 * Two variants (both with i.i.d. Gaussian weights of variance σ²/N and biases of variance σ_bias²):
 *
 * - **reduced** (Hayou et al. 2019, Prop. 1; Yang & Schoenholz 2017, "reduced residual network"):
 *     y^l = y^{l−1} + W^l φ(y^{l−1}) + b^l.
 *   W^l is independent of y^{l−1} and has mean 0, so the skip and branch are uncorrelated and the second
 *   moments add:
 *     q^l    = q^{l−1}    + σ_w² E[φ(√q^{l−1} z)²] + σ_b²           = q^{l−1}    + V(q^{l−1}),
 *     q_ab^l = q_ab^{l−1} + σ_w² E[φ(u_a)φ(u_b)] + σ_b²             = q_ab^{l−1} + q_ab′(q^{l−1}, c^{l−1}),
 *     c^l = q_ab^l / q^l,
 *   i.e. one plain layer's maps (theory/maps.ts) added to the identity; noise, when given, acts on the
 *   branch input φ(y^{l−1}) exactly as in a plain layer (docs/THEORY.md §1).
 * - **full** (Yang & Schoenholz 2017, "full residual network", their eqs. for p, q, λ, γ):
 *     h^l = W^l x^{l−1} + b^l,   x^l = x^{l−1} + V^l φ(h^l) + a^l,
 *   with W ~ N(0, σ_w²/N), b ~ N(0, σ_b²), V ~ N(0, σ_v²/N), a ~ N(0, σ_a²):
 *     p^l = σ_w² q^{l−1} + σ_b²                (variance of h^l),
 *     λ^l = σ_w² γ^{l−1} + σ_b²                (covariance of h^l for two inputs),
 *     q^l = q^{l−1} + σ_v² E[φ(√p^l z)²] + σ_a²,
 *     γ^l = γ^{l−1} + σ_v² E[φ(h_a)φ(h_b)] + σ_a²   ((h_a, h_b) with variance p^l, correlation λ^l/p^l),
 *   c^l = γ^l/q^l. Noise acts on φ(h^l) before V^l.
 *
 * Depth laws (derived here; checked by iterating the recursions to l = 10⁴–10⁵ in test/theory/residual.test.ts):
 *
 * 1. ReLU / leaky ReLU (slope a), noiseless. Let β be the branch's variance gain per layer,
 *    β = σ_w²(1+a²)/2 (reduced) or σ_v²σ_w²(1+a²)/2 (full). The variance grows **exponentially**,
 *    q^l ≈ (1+β)^l q⁰ (biases only add lower-order terms), but the correlation converges to 1 only
 *    **polynomially**. With g(1−δ) = 1 − δ + k δ^{3/2} + O(δ²), k = 2√2/(3π) (the arc-cosine kernel,
 *    see rates.ts) and the plain layer's normalised map Ĉ(c) = [a c + (1−a)² g(c)/2]/((1+a²)/2) (Ĉ(1) = 1),
 *    the residual map is c′ = (c + β Ĉ(c))/(1+β) (bias terms aside), which gives
 *      δ_{l+1} = δ_l − κ δ_l^{3/2},   κ = k (1−a)²/(1+a²) · β/(1+β),
 *    hence 1 − c^l ~ 4/(κ² l²) = (9π²/2) · ((1+a²)/(1−a)²)² · ((1+β)/β)² / l².
 *    The plain network on the EOC has the same law without the factor ((1+β)/β)² (rates.ts), so
 *    1 − c^l_plain ~ γ (1 − c^l_res) with γ = (β/(1+β))²: Hayou et al.'s Prop. 1 (ReLU on the EOC behaves
 *    like a residual ReLU network; σ_b² only shifts the origin of l, since its share of q^l decays
 *    geometrically).
 * 2. Bounded odd φ with φ(±∞) = ±φ∞ (tanh, erf, hard-tanh). Write s² = σ_w², t² = σ_b² (reduced) or
 *    s² = σ_v², t² = σ_a² (full). As q → ∞, φ(√q z) → φ∞ sign(z), so E[φ²] → φ∞² and
 *    E[φ(u_a)φ(u_b)] → φ∞² (2/π) asin c. The variance grows **linearly**: q^l ~ A l with A = s²φ∞² + t²
 *    (full: also p^l ~ σ_w² A l). For the correlation, with q^l ~ A l,
 *      c^{l+1} − c^l = (Δq_ab − c Δq)/q^{l+1} ≈ F(c)/(A l),   F(c) = s²φ∞² (2/π) asin c + t² − A c,
 *    a flow in ln l: dc/d ln l = F(c)/A. F(1) = 0 but F′(1) = +∞, so c = 1 repels; the limit is the
 *    root c* ∈ [0, 1) of F (c* = 0 when t² = 0), approached **polynomially**:
 *      |c^l − c*| ~ K l^{−ν},   ν = −F′(c*)/A = 1 − s²φ∞² (2/π) / (A √(1 − c*²))
 *    (ν = 1 − 2/π ≈ 0.3634 when t² = 0, for any s²). Corrections decay like l^{−1/2} (E[φ²] → φ∞² at
 *    rate q^{−1/2}), so the local exponent approaches ν slowly.
 * Other φ (ELU, GELU, swish, softplus, sigmoid, …): no law is implemented; the result says so.
 */
import { brent } from "../numerics/roots.js";
import type { Activation } from "./activations.js";
import { checkRange, InputError } from "./errors.js";
import { covarianceMap, varianceMap } from "./maps.js";
import { checkModel, type Model } from "./model.js";

export type ResidualVariant = "reduced" | "full";
export const RESIDUAL_VARIANTS: readonly ResidualVariant[] = ["reduced", "full"];

export interface ResidualOptions {
  /** "reduced": y + Wφ(y) + b (Hayou; Yang & Schoenholz); "full": x + Vφ(Wx + b) + a (Yang & Schoenholz) */
  variant: ResidualVariant;
  /** full variant: variance of the second matrix V (σ_v²), default 1 */
  sigmaV2?: number;
  /** full variant: variance of the second bias a (σ_a²), default 0 */
  sigmaA2?: number;
}

export interface ResidualDynamicsOptions extends ResidualOptions {
  /** residual blocks to iterate */
  depth: number;
  /** input variance q⁰ (default 1) */
  q0?: number;
  /** input correlation c⁰ (default 0.5) */
  c0?: number;
}

export interface ResidualTrajectory {
  variant: ResidualVariant;
  /** q^l, variance of the residual stream, l = 0..depth */
  q: number[];
  /** c^l, correlation of the residual stream (null once q^l has over/underflowed) */
  c: (number | null)[];
  /** full variant: p^l, variance of the branch pre-activation h^l (entry 0 is null) */
  p?: (number | null)[];
}

/** Parse a variant name (exit-2 error naming `flag` otherwise). */
export function parseResidualVariant(text: string, flag = "residual"): ResidualVariant {
  const t = text.trim().toLowerCase();
  if (t === "reduced" || t === "full") return t;
  throw new InputError(flag, text, RESIDUAL_VARIANTS.join(" | "));
}

/** The branch model of the full variant: V's variance σ_v², bias a's variance σ_a² (noise on φ(h)). */
function branchModel(m: Model, opts: ResidualOptions): Model {
  if (opts.variant === "reduced") return m;
  const sigmaV2 = opts.sigmaV2 ?? 1;
  const sigmaA2 = opts.sigmaA2 ?? 0;
  checkRange("sigmaV2", sigmaV2, 0, Number.MAX_VALUE, { loOpen: true });
  checkRange("sigmaA2", sigmaA2, 0, Number.MAX_VALUE);
  return { ...m, sigmaW2: sigmaV2, sigmaB2: sigmaA2 };
}

/**
 * Iterate the residual recursions (module doc) for two inputs of variance q⁰ and correlation c⁰ over
 * `depth` blocks. Entry l is the value after l blocks.
 */
export function residualDynamics(m: Model, opts: ResidualDynamicsOptions): ResidualTrajectory {
  const { depth, q0 = 1, c0 = 0.5 } = opts;
  checkModel(m);
  checkRange("q0", q0, 0, Number.MAX_VALUE, { loOpen: true });
  checkRange("c0", c0, -1, 1);
  const branch = branchModel(m, opts);
  const q = [q0];
  const c: (number | null)[] = [c0];
  const p: (number | null)[] = [null];
  let qab = c0 * q0;
  for (let l = 0; l < depth; l++) {
    const ql = q[l];
    const cl = c[l];
    let qn: number;
    let qabn: number | null = null;
    if (opts.variant === "reduced") {
      qn = ql + varianceMap(m, ql);
      if (cl !== null && Number.isFinite(qn)) qabn = qab + covarianceMap(m, ql, ql, cl);
    } else {
      const pl = m.sigmaW2 * ql + m.sigmaB2;
      p.push(pl);
      qn = ql + varianceMap(branch, pl);
      if (cl !== null && Number.isFinite(qn) && pl > 0) {
        const lam = m.sigmaW2 * qab + m.sigmaB2;
        qabn = qab + covarianceMap(branch, pl, pl, Math.max(-1, Math.min(1, lam / pl)));
      }
    }
    q.push(qn);
    // a closed-form kernel overflows (√(q_a q_b)) before q does: no silent c = 1 from ∞/q
    if (qabn === null || !Number.isFinite(qabn) || !Number.isFinite(qn) || qn === 0) {
      c.push(null);
    } else {
      qab = qabn;
      c.push(Math.max(-1, Math.min(1, qab / qn)));
    }
  }
  return opts.variant === "full" ? { variant: "full", q, c, p } : { variant: "reduced", q, c };
}

/** The depth laws of a residual network (module doc), or the reason there is none. */
export type ResidualLaw =
  | {
      kind: "relu_inverse_square";
      /** branch variance gain per layer β */
      beta: number;
      /** q^l ≈ (1+β)^l q⁰: exponential variance growth factor */
      varianceGrowth: number;
      /** 1 − c^l ~ constant / l² */
      constant: number;
      /** the plain EOC network's constant (rates.ts) over this one: γ = (β/(1+β))² (Hayou Prop. 1) */
      hayouGamma: number;
      formula: string;
    }
  | {
      kind: "bounded_odd";
      /** q^l ~ slope · l */
      varianceSlope: number;
      /** the limit of c^l */
      cStar: number;
      /** |c^l − c*| ~ K l^{−ν} */
      exponent: number;
      formula: string;
    }
  | { kind: "none"; reason: string };

/** φ∞ = lim φ(x) for bounded odd φ, else null. */
function boundedOddLimit(act: Activation): number | null {
  if (!act.odd) return null;
  const a = act.phi(1e6);
  const b = act.phi(1e12);
  if (!Number.isFinite(a) || Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a)) || a === 0) return null;
  return Math.abs(b);
}

/** The polynomial depth laws of the residual recursions for this model (module doc, laws 1 and 2). */
export function residualLaw(m: Model, opts: ResidualOptions): ResidualLaw {
  checkModel(m);
  const branch = branchModel(m, opts);
  const act = m.activation;
  const noisy = m.noise.type !== "none" && m.noise.mu2 !== (m.noise.type === "additive" ? 0 : 1);
  if (noisy) {
    return {
      kind: "none",
      reason: "noise decorrelates identical inputs (C(1) < 1): the noiseless depth laws do not apply",
    };
  }
  if (act.name === "relu" || act.name === "leaky_relu") {
    const a = act.name === "relu" ? 0 : act.params.alpha;
    if (a === 1) return { kind: "none", reason: "leaky ReLU with α = 1 is linear: c^l does not converge" };
    const gain = (1 + a * a) / 2;
    const beta = opts.variant === "reduced" ? m.sigmaW2 * gain : branch.sigmaW2 * m.sigmaW2 * gain;
    const shape = Math.pow((1 + a * a) / ((1 - a) * (1 - a)), 2);
    const ratio = (1 + beta) / beta;
    return {
      kind: "relu_inverse_square",
      beta,
      varianceGrowth: 1 + beta,
      constant: ((9 * Math.PI * Math.PI) / 2) * shape * ratio * ratio,
      hayouGamma: 1 / (ratio * ratio),
      formula: "1 − c^l ~ (9π²/2)((1+α²)/(1−α)²)²((1+β)/β)²/l², q^l ~ (1+β)^l q⁰",
    };
  }
  const phiInf = boundedOddLimit(act);
  if (phiInf !== null) {
    const s2 = branch.sigmaW2 * phiInf * phiInf;
    const t2 = branch.sigmaB2;
    const A = s2 + t2;
    const F = (c: number) => s2 * (2 / Math.PI) * Math.asin(c) + t2 - A * c;
    let cStar = 0;
    if (t2 > 0) {
      // F(0) = t² > 0 and F(1 − ε) < 0 for ε < (s²(2/π)√2/A)²: halve ε until negative
      let e = 0.5;
      while (F(1 - e) >= 0 && e > 1e-300) e /= 4;
      cStar = brent(F, 0, 1 - e, { xtol: 1e-16 });
    }
    const nu = 1 - (s2 * (2 / Math.PI)) / (A * Math.sqrt(1 - cStar * cStar));
    return {
      kind: "bounded_odd",
      varianceSlope: A,
      cStar,
      exponent: nu,
      formula: "q^l ~ A l, |c^l − c*| ~ K l^{−ν}, ν = 1 − s²φ∞²(2/π)/(A√(1−c*²))",
    };
  }
  return {
    kind: "none",
    reason: `no residual depth law is implemented for ${act.spec} (laws exist here for ReLU / leaky ReLU and bounded odd φ: tanh, erf, hard_tanh)`,
  };
}
