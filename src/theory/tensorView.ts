/**
 * The tensor view of an activation: φ written once over a small structural interface of element-wise
 * operations, so each catalogue entry carries the form a tensor backend runs (STYLE.md "one object, every
 * view") while the theory layer stays free of any tensor library. The engine passes jax-js's np/nn/lax
 * (src/engine/tensor.ts); `SCALAR_OPS` runs the same view on float64 numbers (tests compare it with φ;
 * a test aid, so not on the public entry `sigprop/theory`).
 *
 * Move semantics: jax-js operations consume their tensor arguments, so a view that uses x more than once
 * takes `ops.ref(x)` for every use but the last (for numbers `ref` is the identity).
 */
import { erf, erfc, sigmoid, softplus } from "../numerics/special.js";

/** The element-wise operations a tensor view may use (T is the backend's tensor type). */
export interface TensorOps<T> {
  /** another reference to x (jax-js: `x.ref`), for every use of x but the last */
  ref(x: T): T;
  add(x: T, y: T | number): T;
  mul(x: T, y: T | number): T;
  maximum(x: T, y: number): T;
  minimum(x: T, y: number): T;
  clip(x: T, lo: number, hi: number): T;
  /** element-wise cond > 0 ? a : b */
  wherePositive(cond: T, a: T, b: T): T;
  relu(x: T): T;
  tanh(x: T): T;
  sigmoid(x: T): T;
  softplus(x: T): T;
  erf(x: T): T;
  erfc(x: T): T;
  expm1(x: T): T;
}

/** φ over any backend's tensors. */
export type TensorView = <T>(ops: TensorOps<T>, x: T) => T;

/** The operations on float64 numbers (the views evaluated as scalars). */
export const SCALAR_OPS: TensorOps<number> = {
  ref: (x) => x,
  add: (x, y) => x + y,
  mul: (x, y) => x * y,
  maximum: (x, y) => Math.max(x, y),
  minimum: (x, y) => Math.min(x, y),
  clip: (x, lo, hi) => Math.min(hi, Math.max(lo, x)),
  wherePositive: (c, a, b) => (c > 0 ? a : b),
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
  sigmoid,
  softplus,
  erf,
  erfc,
  expm1: Math.expm1,
};
