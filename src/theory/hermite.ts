/**
 * Mehler (Hermite) series of the Gaussian covariance kernel for smooth φ (docs/THEORY.md §3):
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
import { activationMemo } from "./memo.js";

const Z_MAX = 12;
const NODES = 20;
/**
 * Panel width of the fixed grid: 20 Gauss–Legendre nodes per panel resolve both φ(√q z) (for tanh the
 * Bernstein-ellipse rate is set by the poles at |Im z| = π/(2√q): ≥ 0.78 for q ≤ 4, ≥ 0.31 for q ≤ 25)
 * and the Hermite functions up to K_MAX (wavelength ≈ π/√K ≈ 0.13): ≲ 3 oscillations per 0.4-wide panel.
 * Accuracy is not assumed: the grid must reproduce E[φ²] and E[φ′²] to 1e-14 or the series is refused.
 */
function panelFor(q: number): number {
  return q <= 4 ? 0.4 : 0.2;
}
const K_MAX = 600;
/** largest q for which the fixed grid resolves φ(√q z) (tanh's poles sit at |Im z| = π/(2√q)) */
export const HERMITE_Q_MAX = 25;
/** relative accuracy demanded of the series (against E[φ²], resp. E[φ′²]) */
const TOL = 2e-14;

/**
 * The grid is symmetric about 0 and stored as its positive half (z_i > 0, weights w_i including the
 * normal density): He_k(−z) = (−1)^k He_k(z), so a_k = Σ_{z_i>0} (f(z_i) ± f(−z_i)) h_k(z_i) with + for even
 * k and − for odd k, and the Hermite recurrence runs on half the nodes.
 */
const grids = new Map<number, { z: Float64Array; w: Float64Array }>();

function getGrid(PANEL: number) {
  const hit = grids.get(PANEL);
  if (hit) return hit;
  const { nodes, weights } = gaussLegendre(NODES);
  const panels = Math.round(Z_MAX / PANEL);
  const z = new Float64Array(panels * NODES);
  const w = new Float64Array(panels * NODES);
  for (let p = 0; p < panels; p++) {
    const a = p * PANEL;
    for (let i = 0; i < NODES; i++) {
      const x = a + 0.5 * PANEL * (nodes[i] + 1);
      z[p * NODES + i] = x;
      w[p * NODES + i] = 0.5 * PANEL * weights[i] * normPdf(x);
    }
  }
  const grid = { z, w };
  grids.set(PANEL, grid);
  return grid;
}

export interface HermiteSeries {
  q: number;
  /** a_k², k = 0..K (grown on demand by `extendTo`) */
  a2: number[];
  /** T_K = E[φ²] − Σ_{k≤K} a_k² (Parseval tail) */
  tail: number;
  /** E[φ²] */
  m2: number;
  /** E[φ′²] */
  d2: number;
  /** Σ_{k≤K} a_k² */
  captured: number;
  /** true once further terms are negligible (or K_MAX is reached) */
  complete: boolean;
  /** recurrence state on the positive half-grid: w_i (φ(√q z_i) ± φ(−√q z_i)), h_{K−1}, h_K */
  fEven: Float64Array<ArrayBuffer>;
  fOdd: Float64Array<ArrayBuffer>;
  hPrev: Float64Array<ArrayBuffer>;
  h: Float64Array<ArrayBuffer>;
}

const cache = activationMemo<HermiteSeries | null>(257);

/** Whether the series applies: smooth φ (no kinks, continuous φ′), no closed-form kernel, q in range. */
export function hermiteApplies(act: Activation, q: number): boolean {
  return act.kinks.length === 0 && act.dphiContinuous && !act.closed.kernel && q > 0 && q <= HERMITE_Q_MAX;
}

/**
 * The Hermite coefficients of φ(√q ·) (the first few; `extendTo` adds more), or null when the fixed grid
 * cannot reproduce E[φ²] and E[φ′²] (given, from adaptive quadrature) to 1e-14. The moments may be
 * passed as functions: they are evaluated only when the series for (φ, q) is not cached yet.
 */
export function hermiteSeries(
  act: Activation,
  q: number,
  m2: number | (() => number),
  d2: number | (() => number),
): HermiteSeries | null {
  // the moments are only needed (and, when given lazily, only computed) on a cache miss
  return cache(act, q, () => buildSeries(act, q, m2, d2));
}

/** Build the series for (φ, q) on a cache miss (see `hermiteSeries`). */
function buildSeries(
  act: Activation,
  q: number,
  m2: number | (() => number),
  d2: number | (() => number),
): HermiteSeries | null {
  if (typeof m2 === "function") m2 = m2();
  if (typeof d2 === "function") d2 = d2();
  const { z, w } = getGrid(panelFor(q));
  const n = z.length;
  const sq = Math.sqrt(q);
  const fEven = new Float64Array(n);
  const fOdd = new Float64Array(n);
  let m2grid = 0;
  let d2grid = 0;
  let a0 = 0;
  let a1 = 0;
  for (let i = 0; i < n; i++) {
    const u = sq * z[i];
    const pp = act.phi(u);
    const pm = act.phi(-u);
    fEven[i] = w[i] * (pp + pm);
    fOdd[i] = w[i] * (pp - pm);
    m2grid += w[i] * (pp * pp + pm * pm);
    d2grid += w[i] * (act.dphi(u) ** 2 + act.dphi(-u) ** 2);
    a0 += fEven[i];
    a1 += fOdd[i] * z[i];
  }
  if (Math.abs(m2grid - m2) > 1e-14 * m2 || Math.abs(d2grid - d2) > 1e-14 * d2) {
    return null;
  }
  const s: HermiteSeries = {
    q,
    a2: [a0 * a0, a1 * a1],
    tail: Math.max(0, m2 - a0 * a0 - a1 * a1),
    captured: a0 * a0 + a1 * a1,
    m2,
    d2,
    complete: false,
    fEven,
    fOdd,
    hPrev: new Float64Array(n).fill(1),
    h: Float64Array.from(z),
  };
  return s;
}

/**
 * Extend the series to K terms (or until the last 12 coefficients carry < 1e-20·E[φ²] — odd/even ones
 * vanish for symmetric φ — when the Parseval remainder is at the grid's rounding level).
 */
export function extendTo(s: HermiteSeries, K: number): void {
  const { z } = getGrid(panelFor(s.q));
  const n = z.length;
  let next = new Float64Array(n);
  const target = Math.min(K, K_MAX);
  while (!s.complete && s.a2.length - 1 < target) {
    const k = s.a2.length - 1;
    const c1 = 1 / Math.sqrt(k + 1);
    const c2 = Math.sqrt(k) * c1;
    const h = s.h;
    const hPrev = s.hPrev;
    // the new coefficient is a_{k+1}: even or odd part of φ by the parity of k + 1
    const f = (k + 1) % 2 === 0 ? s.fEven : s.fOdd;
    let ak = 0;
    for (let i = 0; i < n; i++) {
      const v = z[i] * h[i] * c1 - c2 * hPrev[i];
      next[i] = v;
      ak += f[i] * v;
    }
    s.a2.push(ak * ak);
    s.hPrev = h;
    s.h = next;
    next = hPrev;
    s.captured += ak * ak;
    let window = 0;
    for (let j = Math.max(0, s.a2.length - 12); j < s.a2.length; j++) window += s.a2[j];
    s.tail = Math.max(0, s.m2 - s.captured);
    if ((s.a2.length > 13 && window < 1e-20 * s.m2) || s.a2.length - 1 >= K_MAX) s.complete = true;
  }
}

/**
 * Extension target: the series is extended (while terms remain) until the tail bound is below
 * TOL·(1 − |c|)², not just TOL. Near c = 1 the fixed point c* of C and the depth scale ξ_c are
 * ill-conditioned (C′(c*) = χ_c → 1 at the edge of chaos), so their accuracy needs the truncation well
 * below TOL there; far from 1 this costs a few extra terms. Acceptance (else null and 2-D quadrature)
 * stays at TOL.
 */
function targetTol(c: number): number {
  const d = 1 - Math.abs(c);
  return TOL * d * d;
}

/** Smallest K with |c|^{K+1}·T ≤ tol·m2 for the current tail T (a guess; re-checked after extending). */
function termsFor(s: HermiteSeries, c: number, tol: number): number {
  const ac = Math.abs(c);
  if (ac === 0) return 2;
  const need = Math.log((tol * s.m2) / Math.max(s.tail, 1e-300)) / Math.log(ac);
  return Math.min(K_MAX, Math.max(s.a2.length, Math.ceil(need) + 8));
}

/** E[φ(u_a)φ(u_b)] = Σ a_k² c^k, or null when the Parseval tail bound exceeds the tolerance at this c. */
export function seriesKernel(s: HermiteSeries, c: number): number | null {
  const ac = Math.abs(c);
  const target = targetTol(c);
  for (let i = 0; i < 4 && !s.complete && Math.pow(ac, s.a2.length) * s.tail > target * s.m2; i++) {
    extendTo(s, Math.max(termsFor(s, c, target), s.a2.length + 16));
  }
  const K = s.a2.length - 1;
  if (Math.pow(ac, K + 1) * s.tail > TOL * s.m2) return null;
  let v = 0;
  for (let k = K; k >= 0; k--) v = v * c + s.a2[k];
  return v;
}

/** E[φ′(u_a)φ′(u_b)] = (1/q) Σ k a_k² c^{k−1}, or null when the tail bound is not met. */
export function seriesDkernel(s: HermiteSeries, c: number): number | null {
  const ac = Math.abs(c);
  const target = targetTol(c);
  const bound = () => (s.a2.length * Math.pow(ac, s.a2.length - 1) * s.tail) / s.q;
  for (
    let i = 0;
    i < 6 && !s.complete && (ac > s.a2.length / (s.a2.length + 1) || bound() > target * s.d2);
    i++
  ) {
    extendTo(s, Math.max(termsFor(s, c, target) + 16, s.a2.length + 16));
  }
  const K = s.a2.length - 1;
  // Σ_{k>K} k a_k² |c|^{k−1} ≤ T_K · max_{k>K} k|c|^{k−1}; the max sits at k = K+1 when |c| ≤ (K+1)/(K+2).
  if (ac > (K + 1) / (K + 2)) return null;
  if (((K + 1) * Math.pow(ac, K) * s.tail) / s.q > TOL * s.d2) return null;
  let v = 0;
  for (let k = K; k >= 1; k--) v = v * c + k * s.a2[k];
  return v / s.q;
}
