/**
 * Layer-by-layer mean-field recursion for two inputs of equal variance q⁰ and correlation c⁰
 * (docs/THEORY.md §2): q^{l+1} = V(q^l); q_ab^{l+1} = σ_w² E[φ(u_a)φ(u_b)] + σ_b² at (q^l, q^l, c^l);
 * c^{l+1} = q_ab^{l+1}/q^{l+1}. Entry l is the value at layer l (entry 0 = the input), so layer l matches
 * the maps applied l times, which is what a simulation with h⁰ ~ N(0, q⁰) measures.
 */
import { covarianceMap, varianceMap } from "./maps.js";
import type { Model } from "./model.js";

export interface Trajectory {
  /** q^l, l = 0..depth */
  q: number[];
  /** c^l, l = 0..depth (null once q^l has over/underflowed) */
  c: (number | null)[];
}

export interface DynamicsOptions {
  /** layers to iterate */
  depth: number;
  /** input variance q⁰ (default 1) */
  q0?: number;
  /** input correlation c⁰ (default 0.5) */
  c0?: number;
}

/** Variance and correlation trajectories over `depth` layers. */
export function dynamics(m: Model, options: DynamicsOptions): Trajectory {
  const { depth, q0 = 1, c0 = 0.5 } = options;
  const q = [q0];
  const c: (number | null)[] = [c0];
  for (let l = 0; l < depth; l++) {
    const ql = q[l];
    const cl = c[l];
    const qn = varianceMap(m, ql);
    q.push(qn);
    if (cl === null || !Number.isFinite(qn) || qn === 0 || !Number.isFinite(ql)) {
      c.push(null);
    } else {
      c.push(Math.max(-1, Math.min(1, covarianceMap(m, ql, ql, cl) / qn)));
    }
  }
  return { q, c };
}

/** Variance trajectory only (cheap: 1-D integrals). */
export function varianceDynamics(m: Model, options: Omit<DynamicsOptions, "c0">): number[] {
  const { depth, q0 = 1 } = options;
  const q = [q0];
  for (let l = 0; l < depth; l++) q.push(varianceMap(m, q[l]));
  return q;
}
