/**
 * SGD and Adam on parameter lists (there is no optax for jax-js here; STACK.md). Pure functions of
 * (params, state, grads, step size) so they run inside `jit`; all arguments are consumed.
 *
 * Adam (Kingma & Ba 2015, the "efficient" form of their Algorithm 1): m ← β1 m + (1−β1) g,
 * v ← β2 v + (1−β2) g², p ← p − α_t m/(√v + ε̂) with α_t = α √(1−β2^t)/(1−β1^t) passed in as `lrT`.
 */
import { numpy as np, type Array } from "@jax-js/jax";
import type { Params } from "./mlp.js";

export type OptimizerName = "sgd" | "adam";

export interface AdamState {
  m: Params;
  v: Params;
}
/** SGD carries an empty state (jit needs a pytree, not null). */
export type OptState = AdamState;

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Zero moment estimates shaped like params (params are not consumed). */
export function initOptState(name: OptimizerName, params: Params): OptState {
  if (name === "sgd") return { m: [], v: [] };
  const zeros = () => params.map((p) => ({ w: np.zeros(p.w.shape), b: np.zeros(p.b.shape) }));
  return { m: zeros(), v: zeros() };
}

/** The step size to pass for step t (1-based). */
export function stepSize(name: OptimizerName, lr: number, t: number): number {
  if (name === "sgd") return lr;
  return (lr * Math.sqrt(1 - ADAM.beta2 ** t)) / (1 - ADAM.beta1 ** t);
}

/** One update; returns [params, state]. `lrT` is a scalar array. */
export function update(
  name: OptimizerName,
  params: Params,
  state: OptState,
  grads: Params,
  lrT: Array,
): [Params, OptState] {
  if (name === "sgd") {
    const out = params.map((p, i) => ({
      w: np.subtract(p.w, np.multiply(grads[i].w, lrT.ref)),
      b: np.subtract(p.b, np.multiply(grads[i].b, lrT.ref)),
    }));
    lrT.dispose();
    return [out, state];
  }
  const s = state as AdamState;
  const { beta1: b1, beta2: b2, eps } = ADAM;
  const m: Params = [];
  const v: Params = [];
  const out: Params = [];
  for (let i = 0; i < params.length; i++) {
    const upd = (pk: Array, mk: Array, vk: Array, gk: Array): [Array, Array, Array] => {
      const m1 = np.add(np.multiply(mk, b1), np.multiply(gk.ref, 1 - b1));
      const v1 = np.add(np.multiply(vk, b2), np.multiply(np.square(gk), 1 - b2));
      const p1 = np.subtract(pk, np.multiply(np.divide(m1.ref, np.add(np.sqrt(v1.ref), eps)), lrT.ref));
      return [p1, m1, v1];
    };
    const [pw, mw, vw] = upd(params[i].w, s.m[i].w, s.v[i].w, grads[i].w);
    const [pb, mb, vb] = upd(params[i].b, s.m[i].b, s.v[i].b, grads[i].b);
    out.push({ w: pw, b: pb });
    m.push({ w: mw, b: mb });
    v.push({ w: vw, b: vb });
  }
  lrT.dispose();
  return [out, { m, v }];
}
