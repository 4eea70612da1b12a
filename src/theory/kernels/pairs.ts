/**
 * Batched Gaussian pair expectations for kernel matrices: for every pair (a, b) of a row set A (variances
 * q_a) and a row set B (variances q_b) with covariance k_ab, the two quantities of one layer of the
 * NNGP/NTK recursion (docs/THEORY.md §2's covariance map, now with unequal variances q_a ≠ q_b):
 *
 *   E_ab = E[φ(u_a) φ(u_b)],   Ė_ab = E[φ′(u_a) φ′(u_b)],   (u_a, u_b) ~ N(0, [[q_a, k_ab], [k_ab, q_b]]).
 *
 * An n × m matrix of 2-D expectations per layer is the whole cost of a kernel, so the route matters:
 *
 * 1. Closed forms (`activation.closed.kernel/dkernel`, exact for any q_a, q_b, c): ReLU and leaky ReLU
 *    (arc-cosine kernel, √(q_a q_b) times a function of c), linear, erf (Williams 1997), ELU/SELU
 *    (`eluKernel.ts`; each entry is a 1-D integral, so these cost ~10⁴ × an arc-cosine entry).
 *
 * 2. Smooth φ without a closed form (tanh, sigmoid, softplus, swish, gelu): the Mehler series with unequal
 *    variances. With u_a = √q_a z_a, u_b = √q_b z_b and (z_a, z_b) standard with correlation c,
 *      E[φ(√q_a z_a) φ(√q_b z_b)] = Σ_k a_k(q_a) a_k(q_b) c^k,    a_k(q) = E[φ(√q z) He_k(z)]/√k!
 *    (Mehler's formula: the bivariate normal density is Σ_k He_k(z_a)He_k(z_b) c^k/k! times the product of
 *    the marginals; docs/THEORY.md §3). Differentiating in z: d/dz φ(√q z) = √q φ′(√q z) has coefficients
 *    √(k+1) a_{k+1}(q), so
 *      E[φ′(u_a) φ′(u_b)] = (1/√(q_a q_b)) Σ_{k≥1} k a_k(q_a) a_k(q_b) c^{k−1}.
 *    The coefficients (signed, unlike `hermite.ts`, which keeps a_k² for equal variances) come from one
 *    composite Gauss–Legendre grid per q on z ∈ [−12, 12] (the grid must reproduce E[φ²] and E[φ′²] from
 *    adaptive quadrature to 1e-13, else the row is not expanded). Truncation after K terms is bounded
 *    rigorously by Cauchy–Schwarz and Parseval, with T_K(q) = E[φ(√q z)²] − Σ_{k≤K} a_k(q)²:
 *      |Σ_{k>K} a_k(q_a) a_k(q_b) c^k| ≤ |c|^{K+1} √(T_K(q_a) T_K(q_b)),
 *      |Σ_{k>K} k a_k a_k′ c^{k−1}| ≤ (K+1)|c|^K √(T_K(q_a) T_K(q_b))   (for |c| ≤ (K+1)/(K+2)).
 *    An entry whose bound exceeds `SERIES_TOL` times its scale (pairs with |c| near 1) is computed by
 *    2-D adaptive quadrature instead (`kernel`/`dkernel` of expectations.ts); the count is reported.
 *
 * 3. Everything else (kinked φ without a closed kernel: hard-tanh, shifted ReLU; custom φ): per-entry 2-D
 *    adaptive quadrature (`kernel`, `dkernel`), accurate but ~10⁴× slower than route 1: use small n.
 *
 * A zero variance (an all-zero input with σ_b² = 0) makes u ≡ 0: E = φ(0) E[φ(u_b)], Ė = φ′(0) E[φ′(u_b)].
 */
import { gaussLegendre } from "../../numerics/gaussLegendre.js";
import { normPdf } from "../../numerics/special.js";
import type { Activation } from "../activations.js";
import { dkernel, eDphi2, ePhi, ePhi2, gaussMean, kernel } from "../expectations.js";

/** relative truncation tolerance of the series route (per entry, against √(E[φ_a²]E[φ_b²])) */
export const SERIES_TOL = 1e-13;
/** largest q for which the fixed grid resolves φ(√q z) (as in hermite.ts: tanh's poles at |Im z| = π/(2√q)) */
const Q_MAX = 25;
const K_MAX = 400;
const Z_MAX = 12;
const NODES = 20;

export type PairRoute = "closed_form" | "hermite_series" | "quadrature";

/** Which route `pairExpectations` takes for this activation. */
function pairRoute(act: Activation): PairRoute {
  if (act.closed.kernel && act.closed.dkernel) return "closed_form";
  if (act.kinks.length === 0 && act.dphiContinuous && act.derivatives === "analytic") return "hermite_series";
  return "quadrature";
}

/** Signed Hermite coefficients of φ(√q ·) with cumulative Parseval sums. */
export interface Coefficients {
  q: number;
  /** a_k, k = 0..K */
  a: Float64Array;
  /** captured[k] = Σ_{j≤k} a_j² */
  captured: Float64Array;
  /** E[φ(√q z)²] (adaptive quadrature) */
  m2: number;
  /** E[φ′(√q z)²] */
  d2: number;
}

const grids = new Map<number, { z: Float64Array; w: Float64Array }>();

/** Positive half of a composite Gauss–Legendre grid on [0, 12], weights including the normal density. */
function grid(panel: number) {
  const hit = grids.get(panel);
  if (hit) return hit;
  const { nodes, weights } = gaussLegendre(NODES);
  const panels = Math.round(Z_MAX / panel);
  const z = new Float64Array(panels * NODES);
  const w = new Float64Array(panels * NODES);
  for (let p = 0; p < panels; p++) {
    for (let i = 0; i < NODES; i++) {
      const x = p * panel + 0.5 * panel * (nodes[i] + 1);
      z[p * NODES + i] = x;
      w[p * NODES + i] = 0.5 * panel * weights[i] * normPdf(x);
    }
  }
  const g = { z, w };
  grids.set(panel, g);
  return g;
}

/**
 * The signed coefficients a_0..a_K of φ(√q ·), K grown until the last 12 squares carry < 1e-22·E[φ²] (and
 * K + 1 ≥ minTerms: pairing with a longer series needs as many terms for the bound) or K = 400; null when q is outside (0, 25] or the grid misses E[φ²] or E[φ′²] by more than 1e-13.
 */
export function hermiteCoefficients(act: Activation, q: number, minTerms = 0): Coefficients | null {
  if (!(q > 0 && q <= Q_MAX)) return null;
  const hit = coefficientMemo(act, q, () => buildCoefficients(act, q, 0));
  if (!hit || hit.a.length >= Math.min(minTerms, K_MAX + 1)) return hit;
  const longer = buildCoefficients(act, q, minTerms);
  coefficientMemo(act, q, () => longer, true);
  return longer;
}

/**
 * Memo per activation and q (a kernel between test and training rows needs the training rows'
 * coefficients again); deterministic, so a hit equals a recomputation (a longer set replaces a shorter
 * one). Held weakly per activation and cleared at 16,384 entries, like theory/memo.ts.
 */
const memo = new WeakMap<Activation, Map<number, Coefficients | null>>();
function coefficientMemo(act: Activation, q: number, compute: () => Coefficients | null, replace = false) {
  let m = memo.get(act);
  if (!m) memo.set(act, (m = new Map()));
  if (replace || !m.has(q)) {
    const v = compute();
    if (m.size >= 16384) m.clear();
    m.set(q, v);
    return v;
  }
  return m.get(q) ?? null;
}

function buildCoefficients(act: Activation, q: number, minTerms: number): Coefficients | null {
  const { z, w } = grid(q <= 4 ? 0.4 : 0.2);
  const n = z.length;
  const s = Math.sqrt(q);
  const fe = new Float64Array(n);
  const fo = new Float64Array(n);
  let m2g = 0;
  let d2g = 0;
  for (let i = 0; i < n; i++) {
    const p = act.phi(s * z[i]);
    const m = act.phi(-s * z[i]);
    fe[i] = w[i] * (p + m);
    fo[i] = w[i] * (p - m);
    m2g += w[i] * (p * p + m * m);
    d2g += w[i] * (act.dphi(s * z[i]) ** 2 + act.dphi(-s * z[i]) ** 2);
  }
  const m2 = ePhi2(act, q);
  const d2 = eDphi2(act, q);
  if (Math.abs(m2g - m2) > 1e-13 * m2 || Math.abs(d2g - d2) > 1e-13 * d2) return null;
  const a: number[] = [];
  let hPrev = new Float64Array(n).fill(1);
  let h = Float64Array.from(z);
  let next = new Float64Array(n);
  let a0 = 0;
  let a1 = 0;
  for (let i = 0; i < n; i++) {
    a0 += fe[i];
    a1 += fo[i] * z[i];
  }
  a.push(a0, a1);
  for (let k = 1; k < K_MAX; k++) {
    // h_{k+1} = (z h_k − √k h_{k−1})/√(k+1)  (orthonormal Hermite functions He_k/√k!)
    const c1 = 1 / Math.sqrt(k + 1);
    const c2 = Math.sqrt(k) * c1;
    const f = (k + 1) % 2 === 0 ? fe : fo;
    let ak = 0;
    for (let i = 0; i < n; i++) {
      const v = z[i] * h[i] * c1 - c2 * hPrev[i];
      next[i] = v;
      ak += f[i] * v;
    }
    a.push(ak);
    const t = hPrev;
    hPrev = h;
    h = next;
    next = t;
    if (a.length > 13 && a.length >= minTerms) {
      let win = 0;
      for (let j = a.length - 12; j < a.length; j++) win += a[j] * a[j];
      if (win < 1e-22 * m2) break;
    }
  }
  const captured = new Float64Array(a.length);
  let acc = 0;
  for (let k = 0; k < a.length; k++) {
    acc += a[k] * a[k];
    captured[k] = acc;
  }
  return { q, a: Float64Array.from(a), captured, m2, d2 };
}

/** Rows of one set: variances and (for the series route) coefficients. */
interface RowInfo {
  q: Float64Array;
  coef: (Coefficients | null)[];
}

function rowInfo(act: Activation, q: Float64Array, route: PairRoute): RowInfo {
  const coef: (Coefficients | null)[] = [];
  if (route === "hermite_series") for (const v of q) coef.push(hermiteCoefficients(act, v));
  return { q, coef };
}

export interface PairOptions {
  /** also compute Ė = E[φ′(u_a)φ′(u_b)] (the NTK needs it) */
  derivative?: boolean;
  /** B is A (then only a < b is computed and mirrored; the diagonal is left for the caller) */
  symmetric?: boolean;
}

export interface PairResult {
  /** E[φ(u_a)φ(u_b)], na × nb row-major */
  e: Float64Array;
  /** E[φ′(u_a)φ′(u_b)] when asked for */
  d: Float64Array | null;
  route: PairRoute;
  /** entries computed by 2-D quadrature because the series bound was not met (series route) */
  fallbacks: number;
}

/** Memo of the zero-variance factors E[φ(u)], E[φ′(u)] by q. */
function zeroVariance(act: Activation, qa: number, qb: number, deriv: boolean): { e: number; d: number } {
  // one of the variances is 0: u ≡ 0 there, the other is N(0, q)
  const q = qa === 0 ? qb : qa;
  const e = act.phi(0) * (q === 0 ? act.phi(0) : ePhi(act, q));
  const d = deriv ? act.dphi(0) * (q === 0 ? act.dphi(0) : gaussMean(act.dphi, q, act.kinks)) : 0;
  return { e, d };
}

/**
 * E_ab and Ė_ab for all pairs; `cov` is the na × nb covariance matrix k_ab (row-major). For symmetric
 * input (B = A, `cov` na × na) the diagonal of the result is left 0.
 */
export function pairExpectations(
  act: Activation,
  qa: Float64Array,
  qb: Float64Array,
  cov: Float64Array,
  { derivative = false, symmetric = false }: PairOptions = {},
): PairResult {
  const na = qa.length;
  const nb = qb.length;
  const route = pairRoute(act);
  const e = new Float64Array(na * nb);
  const d = derivative ? new Float64Array(na * nb) : null;
  const A = rowInfo(act, qa, route);
  const B = symmetric ? A : rowInfo(act, qb, route);
  const closedK = act.closed.kernel;
  const closedD = act.closed.dkernel;
  let fallbacks = 0;
  for (let i = 0; i < na; i++) {
    const q1 = qa[i];
    let ca = route === "hermite_series" ? A.coef[i] : null;
    for (let j = symmetric ? i + 1 : 0; j < nb; j++) {
      const q2 = qb[j];
      const idx = i * nb + j;
      let ev: number;
      let dv = 0;
      if (q1 === 0 || q2 === 0) {
        const z = zeroVariance(act, q1, q2, derivative);
        ev = z.e;
        dv = z.d;
      } else {
        let c = cov[idx] / Math.sqrt(q1 * q2);
        c = c > 1 ? 1 : c < -1 ? -1 : c;
        if (route === "closed_form") {
          ev = (closedK as NonNullable<typeof closedK>)(q1, q2, c);
          if (derivative) dv = (closedD as NonNullable<typeof closedD>)(q1, q2, c);
        } else {
          let cb = route === "hermite_series" ? B.coef[j] : null;
          let s = ca && cb ? seriesPair(ca, cb, c, derivative) : null;
          if (!s && ca && cb && ca.a.length !== cb.a.length) {
            // a series that stopped early (its own terms negligible) leaves the other's tail in the bound:
            // extend the shorter one to the other's length and try again
            if (ca.a.length < cb.a.length) {
              ca = hermiteCoefficients(act, q1, cb.a.length);
              A.coef[i] = ca;
            } else {
              cb = hermiteCoefficients(act, q2, ca.a.length);
              B.coef[j] = cb;
            }
            s = ca && cb ? seriesPair(ca, cb, c, derivative) : null;
          }
          if (s) {
            ev = s.e;
            dv = s.d;
          } else {
            if (route === "hermite_series") fallbacks++;
            ev = kernel(act, q1, q2, c);
            if (derivative) dv = dkernel(act, q1, q2, c);
          }
        }
      }
      e[idx] = ev;
      if (d) d[idx] = dv;
      if (symmetric) {
        e[j * nb + i] = ev;
        if (d) d[j * nb + i] = dv;
      }
    }
  }
  return { e, d, route, fallbacks };
}

/**
 * The Mehler sums at correlation c for two coefficient sets, or null when the Parseval/Cauchy–Schwarz
 * bound of the module comment exceeds SERIES_TOL (relative to √(m2_a m2_b), resp. √(d2_a d2_b)).
 */
export function seriesPair(
  A: Coefficients,
  B: Coefficients,
  c: number,
  derivative: boolean,
): { e: number; d: number } | null {
  const K = Math.min(A.a.length, B.a.length) - 1;
  const ac = Math.abs(c);
  const tA = Math.max(0, A.m2 - A.captured[K]);
  const tB = Math.max(0, B.m2 - B.captured[K]);
  const tail = Math.sqrt(tA * tB);
  const pK = Math.pow(ac, K);
  if (pK * ac * tail > SERIES_TOL * Math.sqrt(A.m2 * B.m2)) return null;
  const a = A.a;
  const b = B.a;
  let ev = 0;
  for (let k = K; k >= 0; k--) ev = ev * c + a[k] * b[k];
  let dv = 0;
  if (derivative) {
    if (ac > (K + 1) / (K + 2)) return null;
    const scale = Math.sqrt(A.q * B.q);
    if (((K + 1) * pK * tail) / scale > SERIES_TOL * Math.sqrt(A.d2 * B.d2)) return null;
    for (let k = K; k >= 1; k--) dv = dv * c + k * a[k] * b[k];
    dv /= scale;
  }
  return { e: ev, d: dv };
}
