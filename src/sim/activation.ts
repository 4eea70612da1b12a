/**
 * The activation catalogue of src/theory/activations.ts as jax-js (float32) array functions, for the
 * simulated forward pass h^l = W(ε ⊙ φ(h^{l−1})) + b (THEORY.md §1). Each returned function consumes its
 * argument (jax-js move semantics). Activations outside the catalogue (user-supplied φ) fall back to the
 * float64 `phi` applied element-wise in JavaScript, which costs one copy of the B×N batch per layer.
 */
import { lax, nn, numpy as np, type Array } from "@jax-js/jax";
import type { Activation } from "../theory/activations.js";

export type ArrayFn = (x: Array) => Array;

const INV_SQRT2 = Math.SQRT1_2;

/** φ as a jax-js function for the catalogue activations; null if the name is not in the catalogue. */
export function catalogueActivation(act: Activation): ArrayFn | null {
  const p = act.params;
  switch (act.name) {
    case "relu":
      return (x) => nn.relu(x);
    case "leaky_relu": {
      const a = p.alpha;
      return (x) => np.where(np.greater(x.ref, 0), x.ref, np.multiply(x, a));
    }
    case "shifted_relu":
      // max(0, x + α) − α = max(x, −α)
      return (x) => np.maximum(x, -p.alpha);
    case "elu":
    case "selu": {
      // φ(x) = λ·(x for x > 0, α(eˣ − 1) otherwise); λ = 1 (ELU) or the SELU constants
      const alpha = act.name === "selu" ? 1.6732632423543772 : p.alpha;
      const scale = act.name === "selu" ? 1.0507009873554805 : 1;
      return (x) => {
        const y = np.where(np.greater(x.ref, 0), x.ref, np.multiply(np.expm1(np.minimum(x, 0)), alpha));
        return scale === 1 ? y : np.multiply(y, scale);
      };
    }
    case "gelu":
      // exact form x Φ(x) = ½ x erfc(−x/√2)
      return (x) => np.multiply(np.multiply(x.ref, 0.5), lax.erfc(np.multiply(x, -INV_SQRT2)));
    case "swish":
      return (x) => np.multiply(x.ref, nn.sigmoid(x));
    case "softplus":
      return (x) => nn.softplus(x);
    case "s_softplus":
      // softplus(x) − ln 2 (float32: the cancellation near 0 costs ~1e-7 absolute, within float32 rounding)
      return (x) => np.subtract(nn.softplus(x), Math.LN2);
    case "sigmoid":
      return (x) => nn.sigmoid(x);
    case "tanh":
      return (x) => np.tanh(x);
    case "hard_tanh":
      return (x) => np.clip(x, -1, 1);
    case "erf":
      return (x) => lax.erf(x);
    case "linear":
      return (x) => x;
    default:
      return null;
  }
}

/** φ applied element-wise in float64 JavaScript (fallback for activations outside the catalogue). */
export function hostActivation(act: Activation): ArrayFn {
  return (x) => {
    const shape = x.shape;
    const data = x.dataSync() as Float32Array;
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = act.phi(data[i]);
    return np.array(out, { shape });
  };
}

/** φ for the simulation: the jax-js catalogue version, else the host fallback. */
export function simActivation(act: Activation): ArrayFn {
  return catalogueActivation(act) ?? hostActivation(act);
}
