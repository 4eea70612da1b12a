/**
 * jax-js weight initialisers for your own networks, next to the initialisation choices they resolve
 * (train/initChoice.ts: critical, eoc, ordered, he, xavier, custom — plain TypeScript, re-exported here).
 * All draw W_ij ~ N(0, σ_w²/fan_in) and b_i ~ N(0, σ_b²).
 */
import { numpy as np, random, type Array } from "@jax-js/jax";
import type { Activation } from "../theory/activations.js";
import { InputError } from "../theory/errors.js";
import type { Noise } from "../theory/noise.js";
import { resolveInit } from "./initChoice.js";

export {
  INIT_KINDS,
  ORDERED_SIGMA_B2,
  initSnippetFor,
  resolveInit,
  type InitChoice,
  type InitKind,
} from "./initChoice.js";

/** A jax-js initialiser: (key, shape) → array, consuming the key. */
export type Initializer = (key: Array, shape: number[]) => Array;

export interface JaxInitializers {
  sigmaW2: number;
  sigmaB2: number;
  /** kernel of shape [fan_in, fan_out] (or [fan_out, fan_in] with `fanInAxis: 1`), W ~ N(0, σ_w²/fan_in) */
  kernel: Initializer;
  /** bias ~ N(0, σ_b²) (zeros when σ_b² = 0) */
  bias: Initializer;
  label: string;
}

/**
 * jax-js weight initialisers for your own network, critical for (activation, noise) or at a chosen σ_w²:
 *
 * ```ts
 * const init = jaxInitializers(parseActivation("relu"), parseNoise("dropout:keep=0.8"));
 * const W = init.kernel(random.key(0), [784, 512]);   // σ_w² = 1.6
 * ```
 */
export function jaxInitializers(
  act: Activation,
  noise: Noise,
  opts: { sigmaW2?: number; sigmaB2?: number; fanInAxis?: 0 | 1 } = {},
): JaxInitializers {
  const choice = resolveInit(opts.sigmaW2 === undefined ? "critical" : "custom", act, noise, opts);
  const sw2 = choice.sigmaW2Value;
  const sb2 = choice.sigmaB2;
  const axis = opts.fanInAxis ?? 0;
  return {
    sigmaW2: sw2,
    sigmaB2: sb2,
    label: choice.label,
    kernel: (key, shape) => {
      if (shape.length !== 2) throw new InputError("shape", JSON.stringify(shape), "[fan_in, fan_out]");
      return np.multiply(random.normal(key, shape), Math.sqrt(sw2 / shape[axis]));
    },
    bias: (key, shape) => {
      if (sb2 === 0) {
        key.dispose();
        return np.zeros(shape);
      }
      return np.multiply(random.normal(key, shape), Math.sqrt(sb2));
    },
  };
}
