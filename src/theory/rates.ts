/**
 * Convergence of the correlation on the edge of chaos (Hayou et al. 2019, Props. 1 and 3):
 * ReLU-like φ: 1 − c^l ~ 9π²/(2 l²); smooth φ (φ″ without deltas): 1 − c^l ~ β_q/l with
 * β_q = 2 E[φ′(√q z)²] / (q E[φ″(√q z)²]) at the EOC variance q.
 */
import type { Activation } from "./activations.js";
import { eD2phi2, eDphi2 } from "./expectations.js";

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
