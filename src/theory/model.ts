/** The network model of docs/THEORY.md §1 as the theory sees it: activation, noise, σ_w², σ_b². */
import type { Activation } from "./activations.js";
import { checkRange } from "./errors.js";
import type { Noise } from "./noise.js";

export interface Model {
  activation: Activation;
  noise: Noise;
  /** weight variance σ_w² (W_ij ~ N(0, σ_w²/N)) */
  sigmaW2: number;
  /** bias variance σ_b² */
  sigmaB2: number;
}

/** Validate σ_w² > 0 and σ_b² ≥ 0 (exit-2 errors naming the flag). */
export function checkModel(m: Model): Model {
  checkRange("sigmaW2", m.sigmaW2, 0, Number.MAX_VALUE, { loOpen: true });
  checkRange("sigmaB2", m.sigmaB2, 0, Number.MAX_VALUE);
  return m;
}
