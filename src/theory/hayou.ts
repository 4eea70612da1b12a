/**
 * Convergence of the correlation on the edge of chaos (Hayou, Doucet & Rousseau 2019; THEORY.md §2):
 * with χ1 = 1 the correlation c^l → 1 only polynomially:
 *   ReLU (φ′ jumps):         1 − c^l ~ 9π²/(2 l²)   (leaky ReLU with slope α: × ((1+α²)/(1−α)²)²)
 *     (from C(1−δ) = 1 − δ + (2√2/(3π)) δ^{3/2} + O(δ²) for the arc-cosine kernel: δ_{l+1} = δ_l − k δ_l^{3/2}
 *      gives δ_l ~ 4/(k² l²) = 9π²/(2l²));
 *   smooth φ (class A):      1 − c^l ~ β_q/l,  β_q = 2E[φ′(√q z)²]/(q E[φ″(√q z)²])
 *     (from C(1−δ) = 1 − δ + (σ_w² q E[φ″²]/2) δ² + …, using σ_w² E[φ′²] = 1).
 * The exact mean-field iteration c^{l+1} = C(c^l) at q* (src/theory/maps.ts) is compared with these.
 */
import { brent } from "../numerics/roots.js";
import type { Activation } from "./activations.js";
import { InputError } from "./errors.js";
import { eD2phi2, eDphi2, ePhi2 } from "./expectations.js";
import { correlationMap } from "./maps.js";
import type { Model } from "./model.js";
import { makeNoise } from "./noise.js";

export interface EocModel {
  model: Model;
  qStar: number;
}

/**
 * The noiseless EOC point at σ_b²: q* solves q = σ_b² + E[φ²]/E[φ′²] (smallest root on a log grid),
 * σ_w² = 1/E[φ′(√q* z)²]. ReLU family (homogeneous φ): σ_b² = 0, σ_w² = 1/E[φ′²], any q* (q⁰ = 1 used).
 */
export function eocModel(act: Activation, sigmaB2: number): EocModel {
  const noise = makeNoise("none");
  if (act.homogeneous) {
    if (sigmaB2 !== 0)
      throw new InputError(
        "--sigma-b2",
        String(sigmaB2),
        "0 (the only EOC bias for positively homogeneous φ)",
      );
    return { model: { activation: act, noise, sigmaW2: 1 / eDphi2(act, 1), sigmaB2: 0 }, qStar: 1 };
  }
  const G = (q: number) => sigmaB2 + ePhi2(act, q) / eDphi2(act, q) - q;
  let prevQ = 1e-8;
  let prevG = G(prevQ);
  for (let i = 1; i <= 120; i++) {
    const q = Math.pow(10, -8 + (14 * i) / 120);
    const g = G(q);
    if (prevG === 0 || prevG * g < 0) {
      const qs = prevG === 0 ? prevQ : brent(G, prevQ, q, { xtol: 1e-15 * q });
      return { model: { activation: act, noise, sigmaW2: 1 / eDphi2(act, qs), sigmaB2 }, qStar: qs };
    }
    prevQ = q;
    prevG = g;
  }
  throw new InputError(
    "--sigma-b2",
    String(sigmaB2),
    `a bias variance with an edge-of-chaos point for ${act.spec}`,
    "no EOC fixed point found",
  );
}

export interface HayouComparison {
  kind: "inverse_square" | "inverse";
  /** 9π²/2 or β_q */
  constant: number;
  l: number[];
  /** 1 − c^l from the mean-field iteration */
  one_minus_c: number[];
  /** the asymptotic prediction 9π²/(2l²) or β_q/l */
  predicted: number[];
  /** l²(1 − c^l) or l(1 − c^l): tends to the constant */
  scaled: number[];
}

/** Iterate c^{l+1} = C(c^l) at q* for `depth` layers and compare with Hayou's rate. */
export function hayouComparison(
  m: Model,
  qStar: number,
  depth: number,
  c0 = 0.5,
  every = 1,
): HayouComparison {
  const act = m.activation;
  let kind: HayouComparison["kind"];
  let constant: number;
  if (!act.dphiContinuous) {
    kind = "inverse_square";
    // leaky ReLU φ = αx + (1−α)relu(x): C(1−δ) = 1 − δ + k(1−α)²/(1+α²) δ^{3/2}, so the constant is
    // 9π²/2 · ((1+α²)/(1−α)²)² (α = 0: ReLU)
    const a = act.name === "leaky_relu" ? (act.params.alpha ?? 0) : 0;
    constant = ((9 * Math.PI * Math.PI) / 2) * Math.pow((1 + a * a) / ((1 - a) * (1 - a)), 2);
    if (!act.homogeneous || (act.name !== "relu" && act.name !== "leaky_relu")) {
      throw new InputError(
        "--activation",
        act.spec,
        "ReLU / leaky ReLU or a φ with continuous φ′ (tanh, erf, ELU α=1, …)",
      );
    }
  } else {
    kind = "inverse";
    const dd = eD2phi2(act, qStar);
    if (dd === null || !(dd > 0))
      throw new InputError("--activation", act.spec, "a non-linear φ (E[φ″²] > 0)");
    constant = (2 * eDphi2(act, qStar)) / (qStar * dd);
  }
  const l: number[] = [];
  const omc: number[] = [];
  const pred: number[] = [];
  const scaled: number[] = [];
  let c = c0;
  for (let i = 1; i <= depth; i++) {
    c = correlationMap(m, qStar, c);
    if (i % every === 0 || i === depth) {
      const d = 1 - c;
      l.push(i);
      omc.push(d);
      pred.push(kind === "inverse_square" ? constant / (i * i) : constant / i);
      scaled.push(kind === "inverse_square" ? d * i * i : d * i);
    }
  }
  return { kind, constant, l, one_minus_c: omc, predicted: pred, scaled };
}
