/**
 * Convergence of the correlation on the edge of chaos (Hayou, Doucet & Rousseau 2019, Props. 1 and 3;
 * docs/THEORY.md §2): with χ1 = 1 the correlation c^l → 1 only polynomially. The one home of Hayou's constants
 * (`eocRate`); the EOC point itself comes from critical.ts (`criticalInit` / `eocModel`).
 *   ReLU (φ′ jumps):         1 − c^l ~ 9π²/(2 l²)   (leaky ReLU with slope α: × ((1+α²)/(1−α)²)²)
 *     (from C(1−δ) = 1 − δ + (2√2/(3π)) δ^{3/2} + O(δ²) for the arc-cosine kernel: δ_{l+1} = δ_l − k δ_l^{3/2}
 *      gives δ_l ~ 4/(k² l²) = 9π²/(2l²));
 *   smooth φ (class A):      1 − c^l ~ β_q/l,  β_q = 2E[φ′(√q z)²]/(q E[φ″(√q z)²])
 *     (from C(1−δ) = 1 − δ + (σ_w² q E[φ″²]/2) δ² + …, using σ_w² E[φ′²] = 1: δ_{l+1} = δ_l − a δ_l² gives
 *      δ_l ~ 1/(a l) with a = σ_w² q E[φ″²]/2, i.e. β_q = 2/(σ_w² q E[φ″²]) = 2E[φ′²]/(q E[φ″²])).
 * The exact mean-field iteration c^{l+1} = C(c^l) at q* (maps.ts) is compared with these by
 * `eocCorrelationDecay` (`sigprop rates`, the hayou-rates figure) and `hayouComparison` (spectra figures).
 */
import type { Activation } from "./activations.js";
import { criticalInit } from "./critical.js";
import { checkRange, InputError } from "./errors.js";
import { eD2phi2, eDphi2 } from "./expectations.js";
import { correlationMap } from "./maps.js";
import type { Model } from "./model.js";
import { makeNoise } from "./noise.js";

export type EocRate =
  | { kind: "inverse_square"; constant: number; formula: string }
  | { kind: "inverse"; constant: number; formula: string }
  | { kind: "undefined"; constant: null; formula: string };

/** The rate constant on the EOC at variance q. */
export function eocRate(act: Activation, q: number): EocRate {
  if (act.name === "relu") {
    return { kind: "inverse_square", constant: (9 * Math.PI * Math.PI) / 2, formula: "1 − c^l ~ 9π²/(2l²)" };
  }
  if (act.name === "leaky_relu") {
    // normalised map C(1−δ) = 1 − δ + k(1−α)²/(1+α²)·δ^{3/2}, k = 2√2/(3π): the ReLU constant scales by
    // ((1+α²)/(1−α)²)²
    const a = act.params.alpha;
    const f = (1 + a * a) / ((1 - a) * (1 - a));
    return {
      kind: "inverse_square",
      constant: ((9 * Math.PI * Math.PI) / 2) * f * f,
      formula: "1 − c^l ~ (9π²/2)((1+α²)/(1−α)²)²/l²",
    };
  }
  const dd = eD2phi2(act, q);
  if (dd === null || dd === 0 || q === 0) {
    return {
      kind: "undefined",
      constant: null,
      formula:
        dd === null
          ? "φ′ jumps (φ″ has a delta): E[φ″²] is infinite, β_q undefined"
          : "E[φ″²] = 0 or q = 0: β_q undefined",
    };
  }
  return {
    kind: "inverse",
    constant: (2 * eDphi2(act, q)) / (q * dd),
    formula: "1 − c^l ~ β_q/l, β_q = 2E[φ′²]/(q E[φ″²])",
  };
}

export interface EocDecayOptions {
  /** layers to iterate (default 1000) */
  depth?: number;
  /** input correlation c⁰ (default 0.5) */
  c0?: number;
  /** keep about this many log-spaced layers in the result (default 60; every layer if depth ≤ it) */
  samples?: number;
}

export interface EocDecay {
  /** the noiseless EOC point: σ_w² with χ1 = 1 at σ_b², and its variance q* (ReLU family: q⁰ = 1) */
  sigmaW2: number;
  sigmaB2: number;
  qStar: number;
  /** V′(q*) < 1 (null for the ReLU family, where every q is a fixed point) */
  eocStable: boolean | null;
  rate: EocRate;
  /** sampled layers l, the exact mean-field 1 − c^l at q*, the asymptote constant/l^k, and l^k(1 − c^l) */
  l: number[];
  oneMinusC: number[];
  predicted: (number | null)[];
  scaled: (number | null)[];
  notes: string[];
}

/**
 * Iterate c^{l+1} = C(c^l) at the noiseless EOC point (critical.ts) and set it against Hayou's rate
 * (`eocRate`): l²(1 − c^l) → 9π²/2 (ReLU), l(1 − c^l) → β_q (smooth φ). The variance is held at q*;
 * where q* is an unstable fixed point (swish σ_b < 0.745, shifted softplus) a finite network drifts away
 * from it, and a note says so.
 */
export function eocCorrelationDecay(act: Activation, sigmaB2: number, opts: EocDecayOptions = {}): EocDecay {
  const depth = opts.depth ?? 1000;
  const c0 = opts.c0 ?? 0.5;
  const samples = opts.samples ?? 60;
  checkRange("depth", depth, 1, 1e7);
  checkRange("c0", c0, -1, 1, { hiOpen: true });
  const noise = makeNoise("none");
  const cp = criticalInit(act, noise, act.homogeneous ? (sigmaB2 === 0 ? undefined : sigmaB2) : sigmaB2);
  if (!cp.exists || cp.sigmaW2 === null) {
    throw new InputError("sigmaB2", String(sigmaB2), "a bias variance with an edge of chaos", cp.reason);
  }
  const qStar = cp.qStar ?? 1;
  if (qStar === 0) {
    throw new InputError(
      "sigmaB2",
      String(sigmaB2),
      "a number > 0",
      `for ${act.spec} at σ_b² = 0 the EOC point is the limit q* → 0, where β_q = 2E[φ′²]/(q E[φ″²]) is undefined`,
    );
  }
  const model: Model = { activation: act, noise, sigmaW2: cp.sigmaW2, sigmaB2: cp.sigmaB2 };
  const rate = eocRate(act, qStar);
  const notes: string[] = [];
  if (cp.stable === false)
    notes.push("the EOC fixed point q* is unstable (|V′(q*)| > 1): the variance is held at q* here");
  const keep = new Set<number>();
  for (let i = 0; i <= samples; i++) keep.add(Math.max(1, Math.round(Math.pow(depth, i / samples))));
  const power = rate.kind === "inverse_square" ? 2 : 1;
  const out: Omit<EocDecay, "sigmaW2" | "sigmaB2" | "qStar" | "eocStable" | "rate" | "notes"> = {
    l: [],
    oneMinusC: [],
    predicted: [],
    scaled: [],
  };
  let c = c0;
  for (let l = 1; l <= depth; l++) {
    c = correlationMap(model, qStar, c);
    if (keep.has(l) || depth <= samples) {
      out.l.push(l);
      out.oneMinusC.push(1 - c);
      out.predicted.push(rate.constant === null ? null : rate.constant / Math.pow(l, power));
      out.scaled.push(rate.constant === null ? null : (1 - c) * Math.pow(l, power));
    }
  }
  return {
    sigmaW2: cp.sigmaW2,
    sigmaB2: cp.sigmaB2,
    qStar,
    eocStable: cp.stable,
    rate,
    ...out,
    notes,
  };
}

export interface HayouComparisonOptions {
  /** layers to iterate */
  depth: number;
  /** input correlation c⁰ (default 0.5) */
  c0?: number;
  /** keep every `every`-th layer (and the last; default 1: all) */
  every?: number;
}

export interface HayouComparison {
  kind: "inverse_square" | "inverse";
  /** 9π²/2 (× the leaky factor) or β_q: `eocRate`'s constant */
  constant: number;
  l: number[];
  /** 1 − c^l from the mean-field iteration */
  oneMinusC: number[];
  /** the asymptotic prediction constant/l² or constant/l */
  predicted: number[];
  /** l²(1 − c^l) or l(1 − c^l): tends to the constant */
  scaled: number[];
}

/**
 * Iterate c^{l+1} = C(c^l) at q* for `depth` layers from c⁰ (every `every`-th layer and the last kept) and
 * compare with Hayou's rate (`eocRate` at q*). InputError naming `--activation` where the rate is undefined
 * (φ′ jumps outside the ReLU family, e.g. hard-tanh; or E[φ″²] = 0).
 */
export function hayouComparison(m: Model, qStar: number, options: HayouComparisonOptions): HayouComparison {
  const { depth, c0 = 0.5, every = 1 } = options;
  const rate = eocRate(m.activation, qStar);
  if (rate.kind === "undefined") {
    throw new InputError(
      "activation",
      m.activation.spec,
      "ReLU / leaky ReLU or a non-linear φ with continuous φ′ (tanh, erf, ELU α=1, …)",
      rate.formula,
    );
  }
  const power = rate.kind === "inverse_square" ? 2 : 1;
  const out: HayouComparison = {
    kind: rate.kind,
    constant: rate.constant,
    l: [],
    oneMinusC: [],
    predicted: [],
    scaled: [],
  };
  let c = c0;
  for (let i = 1; i <= depth; i++) {
    c = correlationMap(m, qStar, c);
    if (i % every === 0 || i === depth) {
      const d = 1 - c;
      out.l.push(i);
      out.oneMinusC.push(d);
      out.predicted.push(rate.constant / Math.pow(i, power));
      out.scaled.push(d * Math.pow(i, power));
    }
  }
  return out;
}
