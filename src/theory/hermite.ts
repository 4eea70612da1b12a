/**
 * Mehler (Hermite) series of the Gaussian covariance kernel for smooth φ (THEORY.md §3):
 *   E[φ(u_a)φ(u_b)] = Σ_k a_k² c^k,   E[φ′(u_a)φ′(u_b)] = (1/q) Σ_k k a_k² c^{k−1},
 * with u_a, u_b ~ N(0, q) of correlation c and a_k = E[φ(√q z) He_k(z)]/√k! (orthonormal Hermite
 * coefficients; the second identity is Price's theorem, d/dΣ_ab of the first).
 * The coefficients come from one fixed composite Gauss–Legendre grid on z ∈ [−12, 12], so the kernel
 * at any c costs O(K) once they are known: this is what makes c* and phase diagrams fast.
 * Truncation is bounded rigorously by Parseval: Σ_{k>K} a_k² = E[φ²] − Σ_{k≤K} a_k² =: T_K, so the tail
 * at c is ≤ |c|^{K+1} T_K. When the grid is not accurate enough (checked against the adaptive E[φ²]) or
 * the bound is not met, callers fall back to 2-D adaptive quadrature.
 */
import { gaussLegendre } from "../numerics/gaussLegendre.js";
import { normPdf } from "../numerics/special.js";
import type { Activation } from "./activations.js";

const Z_MAX = 12;
const PANEL = 0.2;
const NODES = 20;
const K_MAX = 600;
/** largest q for which the fixed grid resolves φ(√q z) (tanh's poles sit at |Im z| = π/(2√q)) */
export const HERMITE_Q_MAX = 25;
/** relative accuracy demanded of the series (against E[φ²], resp. E[φ′²]) */
const TOL = 2e-14;

let grid: { z: Float64Array; w: Float64Array } | null = null;

function getGrid() {
  if (grid) return grid;
  const { nodes, weights } = gaussLegendre(NODES);
  const panels = Math.round((2 * Z_MAX) / PANEL);
  const z = new Float64Array(panels * NODES);
  const w = new Float64Array(panels * NODES);
  for (let p = 0; p < panels; p++) {
    const a = -Z_MAX + p * PANEL;
    for (let i = 0; i < NODES; i++) {
      const x = a + 0.5 * PANEL * (nodes[i] + 1);
      z[p * NODES + i] = x;
      w[p * NODES + i] = 0.5 * PANEL * weights[i] * normPdf(x);
    }
  }
  grid = { z, w };
  return grid;
}

export interface HermiteSeries {
  q: number;
  /** a_k², k = 0..K */
  a2: Float64Array;
  /** T_K = E[φ²] − Σ_{k≤K} a_k² (Parseval tail) */
  tail: number;
  /** E[φ²] */
  m2: number;
  /** E[φ′²] */
  d2: number;
}

const cache = new WeakMap<Activation, Map<number, HermiteSeries | null>>();

/** Whether the series applies: smooth φ (no kinks, continuous φ′), no closed-form kernel, q in range. */
export function hermiteApplies(act: Activation, q: number): boolean {
  return act.kinks.length === 0 && act.dphiContinuous && !act.closed.kernel && q > 0 && q <= HERMITE_Q_MAX;
}

/**
 * The Hermite coefficients of φ(√q ·), or null when the fixed grid cannot reproduce E[φ²] (given, from
 * adaptive quadrature) and E[φ′²] to 1e-14.
 */
export function hermiteSeries(act: Activation, q: number, m2: number, d2: number): HermiteSeries | null {
  let byQ = cache.get(act);
  if (!byQ) {
    byQ = new Map();
    cache.set(act, byQ);
  }
  const hit = byQ.get(q);
  if (hit !== undefined) return hit;
  if (byQ.size > 256) byQ.clear();
  const { z, w } = getGrid();
  const n = z.length;
  const s = Math.sqrt(q);
  const f = new Float64Array(n);
  let m2grid = 0;
  let d2grid = 0;
  for (let i = 0; i < n; i++) {
    const u = s * z[i];
    const p = act.phi(u);
    f[i] = w[i] * p;
    m2grid += w[i] * p * p;
    d2grid += w[i] * act.dphi(u) ** 2;
  }
  if (Math.abs(m2grid - m2) > 1e-14 * m2 || Math.abs(d2grid - d2) > 1e-14 * d2) {
    byQ.set(q, null);
    return null;
  }
  let hPrev = new Float64Array(n).fill(1);
  let h = Float64Array.from(z);
  const a2: number[] = [];
  let a0 = 0;
  let a1 = 0;
  for (let i = 0; i < n; i++) {
    a0 += f[i];
    a1 += f[i] * z[i];
  }
  a2.push(a0 * a0, a1 * a1);
  let captured = a0 * a0 + a1 * a1;
  let next = new Float64Array(n);
  for (let k = 1; k < K_MAX && m2 - captured > 1e-16 * m2; k++) {
    const c1 = 1 / Math.sqrt(k + 1);
    const c2 = Math.sqrt(k) * c1;
    let ak = 0;
    for (let i = 0; i < n; i++) {
      const v = z[i] * h[i] * c1 - c2 * hPrev[i];
      next[i] = v;
      ak += f[i] * v;
    }
    a2.push(ak * ak);
    captured += ak * ak;
    const t = hPrev;
    hPrev = h;
    h = next;
    next = t;
  }
  const series: HermiteSeries = { q, a2: Float64Array.from(a2), tail: Math.max(0, m2 - captured), m2, d2 };
  byQ.set(q, series);
  return series;
}

/** E[φ(u_a)φ(u_b)] = Σ a_k² c^k, or null when the Parseval tail bound exceeds the tolerance at this c. */
export function seriesKernel(s: HermiteSeries, c: number): number | null {
  const K = s.a2.length - 1;
  const ac = Math.abs(c);
  if (Math.pow(ac, K + 1) * s.tail > TOL * s.m2) return null;
  let v = 0;
  for (let k = K; k >= 0; k--) v = v * c + s.a2[k];
  return v;
}

/** E[φ′(u_a)φ′(u_b)] = (1/q) Σ k a_k² c^{k−1}, or null when the tail bound is not met. */
export function seriesDkernel(s: HermiteSeries, c: number): number | null {
  const K = s.a2.length - 1;
  const ac = Math.abs(c);
  // Σ_{k>K} k a_k² |c|^{k−1} ≤ T_K · max_{k>K} k|c|^{k−1}; the max sits at k = K+1 when |c| ≤ (K+1)/(K+2).
  if (ac > (K + 1) / (K + 2)) return null;
  if (((K + 1) * Math.pow(ac, K) * s.tail) / s.q > TOL * s.d2) return null;
  let v = 0;
  for (let k = K; k >= 1; k--) v = v * c + k * s.a2[k];
  return v / s.q;
}
