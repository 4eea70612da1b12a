/**
 * The limiting spectral density of J Jᵀ for piecewise-linear φ with φ′ ∈ {0, 1} (ReLU, hard-tanh,
 * shifted ReLU) by free probability (Pennington, Schoenholz & Ganguli 2017, §4; docs/THEORY.md §5).
 *
 * D² is Bernoulli(p), p = P(φ′(h) = 1): M_{D²}(z) = pz/(1−z), S_{D²}(z) = (1+z)/(p+z). With
 * S_{WWᵀ} = 1/(σ_w²(1+z)) (gaussian) or 1/σ_w² (orthogonal), S_{JJᵀ} = Π_l S_{D²}S_{WWᵀ} and
 * M_{JJᵀ}^{-1}(m) = m S(m)/(1+m), so the moment generating function M = M_{JJᵀ}(z) solves
 *
 *     F(M) := M (1+M)^β / (p+M)^L = c z,      c = σ_w^{2L},   β = −1 (gaussian), L−1 (orthogonal),
 *
 * a polynomial equation of degree L+1 (gaussian) or L (orthogonal) in M. With z = 1/x and the Stieltjes
 * transform G(x) = (1 + M(1/x))/x, the density is ρ(x) = −Im G(x + i0)/π = −Im M/(πx), the physical
 * root being the one continuous with the real root M(z) ~ m1 z at small z and with Im M < 0 for
 * Im z < 0.
 *
 * Right edge: where two real roots merge, F′(M) = 0, i.e. (1+β−L) M² + (1+p+βp−L) M + p = 0:
 *   gaussian:   L M² + (L−1) M − p = 0, M* the positive root;
 *   orthogonal: M* = p/(L−1−Lp)  (M* > 0 when L(1−p) > 1; M* < −1 on the branch through ∞ otherwise).
 * x_edge = c/F(M*). Orthogonal ReLU at criticality (σ_w² = 2, p = ½): x_edge = L^L/(L−1)^{L−1}.
 * Atoms: at 0 with mass 1 − p (every D kills a fraction 1 − p of directions; free products do not
 * shrink the rank further); for orthogonal weights also at σ_w^{2L} with mass max(0, 1 − L(1−p))
 * (the intersection of L subspaces of dimension pN in general position).
 *
 * The root is tracked continuously from the edge towards 0 by complex Newton steps on F(M) = cz with
 * step halving (the "polynomial root tracking" of the paper; the polynomial is never expanded, so any
 * depth works).
 */
import { gaussLegendre } from "../../numerics/gaussLegendre.js";
import { InputError } from "../errors.js";
import type { WeightLaw } from "./moments.js";

type C = [number, number];

const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const clog = (a: C): C => [Math.log(Math.hypot(a[0], a[1])), Math.atan2(a[1], a[0])];
const cexp = (a: C): C => {
  const r = Math.exp(a[0]);
  return [r * Math.cos(a[1]), r * Math.sin(a[1])];
};

export interface PwlSpectrumInput {
  /** P(φ′ = 1) at q* */
  p: number;
  sigmaW2: number;
  depth: number;
  weights: WeightLaw;
}

export interface Atom {
  x: number;
  mass: number;
}

export interface PwlSpectrum {
  /** right edge of the continuous part (null when there is none) */
  edge: number | null;
  /** largest point of the support, atoms included */
  supportMax: number;
  atoms: Atom[];
  /** mass of the absolutely continuous part = 1 − Σ atoms */
  continuousMass: number;
  /** M at the edge (the double root) */
  edgeRoot: number | null;
}

function beta(weights: WeightLaw, L: number): number {
  return weights === "gaussian" ? -1 : L - 1;
}

/** log(1 + w) accurate for small |w|. */
function clog1p(w: C): C {
  return [0.5 * Math.log1p(2 * w[0] + w[0] * w[0] + w[1] * w[1]), Math.atan2(w[1], 1 + w[0])];
}

/**
 * log F(M) with principal logs (only exp of it is used, so branches do not matter). For |M| > 2 it is
 * written as (1+β−L) log M + β log1p(1/M) − L log1p(p/M) to avoid cancelling large logarithms
 * (for orthogonal weights 1+β−L = 0 and F → 1 as M → ∞).
 */
function logF(M: C, p: number, L: number, b: number): C {
  if (Math.hypot(M[0], M[1]) > 2) {
    const inv = cdiv([1, 0], M);
    const l2 = clog1p(inv);
    const l3 = clog1p([p * inv[0], p * inv[1]]);
    const k = 1 + b - L;
    const l1 = k === 0 ? ([0, 0] as C) : clog(M);
    return [k * l1[0] + b * l2[0] - L * l3[0], k * l1[1] + b * l2[1] - L * l3[1]];
  }
  const l1 = clog(M);
  const l2 = clog([1 + M[0], M[1]]);
  const l3 = clog([p + M[0], M[1]]);
  return [l1[0] + b * l2[0] - L * l3[0], l1[1] + b * l2[1] - L * l3[1]];
}

/** h′(M) = d log F/dM = 1/M + β/(1+M) − L/(p+M) = (1+β−L)/M − β/(M(1+M)) + Lp/(M(p+M)). */
function dlogF(M: C, p: number, L: number, b: number): C {
  const inv = cdiv([1, 0], M);
  const t2 = cdiv([b, 0], cmul(M, [1 + M[0], M[1]]));
  const t3 = cdiv([L * p, 0], cmul(M, [p + M[0], M[1]]));
  const k = 1 + b - L;
  return [k * inv[0] - t2[0] + t3[0], k * inv[1] - t2[1] + t3[1]];
}

function realLogF(M: number, p: number, L: number, b: number): number {
  return Math.log(Math.abs(M)) + b * Math.log(Math.abs(1 + M)) - L * Math.log(Math.abs(p + M));
}

function checkInput(inp: PwlSpectrumInput) {
  if (!(inp.p > 0 && inp.p <= 1))
    throw new InputError("p", String(inp.p), "a probability in (0, 1]", "P(φ′ = 1) must be positive");
  if (!(inp.sigmaW2 > 0 && Number.isFinite(inp.sigmaW2)))
    throw new InputError("sigmaW2", String(inp.sigmaW2), "a number > 0");
  if (!Number.isInteger(inp.depth) || inp.depth < 1)
    throw new InputError("depth", String(inp.depth), "an integer ≥ 1");
}

/** Edge and atoms of the spectrum (see module doc). */
export function pwlSpectrum(inp: PwlSpectrumInput): PwlSpectrum {
  checkInput(inp);
  const { p, sigmaW2, depth: L, weights } = inp;
  const logc = L * Math.log(sigmaW2);
  const c = Math.exp(logc);
  const b = beta(weights, L);
  const atoms: Atom[] = [];
  if (p < 1) atoms.push({ x: 0, mass: 1 - p });
  if (weights === "orthogonal") {
    const top = Math.max(0, 1 - L * (1 - p));
    if (top > 0) atoms.push({ x: c, mass: top });
  }
  const contMass = 1 - atoms.reduce((s, a) => s + a.mass, 0);
  if (contMass <= 1e-15) {
    return {
      edge: null,
      supportMax: atoms.length ? Math.max(...atoms.map((a) => a.x)) : 0,
      atoms,
      continuousMass: 0,
      edgeRoot: null,
    };
  }
  // critical point of F on the physical branch
  const A = 1 + b - L;
  const B = 1 + p + b * p - L;
  let Mstar: number | null;
  if (A === 0) Mstar = B === 0 ? null : -p / B;
  else {
    const disc = B * B - 4 * A * p;
    Mstar = (-B - Math.sqrt(disc)) / (2 * A); // gaussian: A = −L < 0 → this is the positive root
  }
  if (Mstar === null || !Number.isFinite(Mstar)) {
    // degenerate (orthogonal with L(1−p) = 1): the continuous part ends at c
    return { edge: c, supportMax: c, atoms, continuousMass: contMass, edgeRoot: null };
  }
  const edge = Math.exp(logc - realLogF(Mstar, p, L, b));
  return {
    edge,
    supportMax: Math.max(edge, ...atoms.map((a) => a.x)),
    atoms,
    continuousMass: contMass,
    edgeRoot: Mstar,
  };
}

export interface DensityOptions {
  /** grid points x (ascending, inside (0, edge)); default: `points` points x_e (i/n)^power */
  xs?: readonly number[];
  points?: number;
  power?: number;
}

export interface DensityResult extends PwlSpectrum {
  x: number[];
  density: number[];
  /** M(1/x) along the grid (real, imaginary parts) */
  rootRe: number[];
  rootIm: number[];
}

/** Solve F(M) = cz by complex Newton from M0; null on failure. */
function newton(M0: C, logcz: number, p: number, L: number, b: number): C | null {
  let M: C = [M0[0], M0[1]];
  for (let it = 0; it < 60; it++) {
    const lf = logF(M, p, L, b);
    const r = cexp([logcz - lf[0], -lf[1]]); // cz/F
    const h = dlogF(M, p, L, b);
    const step = cdiv([1 - r[0], -r[1]], h); // (1 − cz/F)/h′
    M = [M[0] - step[0], M[1] - step[1]];
    if (!Number.isFinite(M[0]) || !Number.isFinite(M[1])) return null;
    const sz = Math.hypot(step[0], step[1]);
    if (sz <= 2e-15 * Math.max(1, Math.hypot(M[0], M[1]))) return M;
    if (it > 40 && sz > 1e-10 * Math.max(1, Math.hypot(M[0], M[1]))) return null;
  }
  return M;
}

/**
 * The continuous density ρ(x) of J Jᵀ on a grid (ρ is with respect to the whole spectral measure, so
 * ∫ρ = continuousMass; the atoms are reported separately).
 */
export function pwlDensity(inp: PwlSpectrumInput, opts: DensityOptions = {}): DensityResult {
  const sp = pwlSpectrum(inp);
  const { p, sigmaW2, depth: L, weights } = inp;
  const b = beta(weights, L);
  const logc = L * Math.log(sigmaW2);
  const xe = sp.edge;
  if (xe === null) return { ...sp, x: [], density: [], rootRe: [], rootIm: [] };
  let xs: number[];
  if (opts.xs) xs = [...opts.xs];
  else {
    const n = opts.points ?? 200;
    const pw = opts.power ?? 2;
    xs = Array.from({ length: n }, (_, i) => xe * Math.pow((i + 1) / (n + 1), pw));
  }
  const order = xs.map((_, i) => i).sort((i, j) => xs[j] - xs[i]); // descending x
  const dens = new Array<number>(xs.length).fill(0);
  const rre = new Array<number>(xs.length).fill(NaN);
  const rim = new Array<number>(xs.length).fill(NaN);
  // start just below the edge
  let Mprev: C | null = null;
  let xprev = xe;
  const Ms = sp.edgeRoot;
  const startAt = (x: number): C => {
    if (Ms !== null) {
      // F(M) ≈ F* + ½F*h″(M*)(M − M*)²  ⇒  M ≈ M* − i √(2(cz − F*)/(F*|h″|))
      const hpp = -1 / (Ms * Ms) - b / ((1 + Ms) * (1 + Ms)) + L / ((p + Ms) * (p + Ms));
      const rel = xe / x - 1; // (cz − F*)/F*
      const d = Math.sqrt((2 * rel) / Math.abs(hpp));
      return [Ms, -d];
    }
    // degenerate orthogonal case L(1−p) = 1: log F = −Lp(1−p)/(2M²) + O(M⁻³) for large M, and
    // log F = log(c/x) =: ε > 0 below the edge c ⇒ M ≈ −i √(Lp(1−p)/(2ε))
    const eps = Math.log(xe / x);
    return [0, -Math.sqrt((L * p * (1 - p)) / (2 * eps))];
  };
  for (const idx of order) {
    const x = xs[idx];
    if (!(x > 0) || x >= xe) continue;
    let target = x;
    let cur: C | null = Mprev;
    let xc = xprev;
    if (cur === null) {
      // first point: start close to the edge and walk down
      xc = xe * (Ms === null ? 1 - 1e-6 : 1 - 1e-8);
      cur = newton(startAt(xc), logc - Math.log(xc), p, L, b);
      if (cur === null || cur[1] > 0) cur = startAt(xc);
    }
    // walk from xc to target in substeps (halving on failure)
    let h = xc - target;
    let guard = 0;
    while (xc > target && guard++ < 10000) {
      const xn = Math.max(target, xc - h);
      let guess: C = cur;
      if (Math.abs(guess[1]) < 1e-300) guess = [guess[0], -1e-8 * Math.max(1, Math.abs(guess[0]))];
      const sol = newton(guess, logc - Math.log(xn), p, L, b);
      const ok =
        sol !== null &&
        sol[1] <= 1e-14 * Math.max(1, Math.abs(sol[0])) &&
        Math.hypot(sol[0] - cur[0], sol[1] - cur[1]) <= 0.25 * Math.max(0.05, Math.hypot(cur[0], cur[1]));
      if (ok && sol) {
        cur = sol;
        xc = xn;
        h *= 1.5;
      } else {
        h /= 2;
        if (h < 1e-15 * xc) throw new Error(`spectral density: root tracking failed at x = ${xn}`);
      }
    }
    Mprev = cur;
    xprev = xc;
    target = xc;
    rre[idx] = cur[0];
    rim[idx] = cur[1];
    dens[idx] = Math.max(0, -cur[1] / (Math.PI * target));
  }
  return { ...sp, x: xs, density: dens, rootRe: rre, rootIm: rim };
}

/**
 * ∫ x^k ρ(x) dx over the continuous part by the substitution x = x_e t^s (s = 2L absorbs the
 * x^{1/L − 1} singularity at 0) and Gauss–Legendre panels in t; used to cross-check the density against
 * the moments from the S-transform series.
 */
export interface DensityMomentOptions {
  /** Gauss–Legendre panels in t (default 64) */
  panels?: number;
  /** nodes per panel (default 16) */
  order?: number;
}

export function pwlDensityMoment(inp: PwlSpectrumInput, k: number, opts: DensityMomentOptions = {}): number {
  const { panels = 64, order = 16 } = opts;
  const sp = pwlSpectrum(inp);
  if (sp.edge === null) return 0;
  const xe = sp.edge;
  const s = Math.min(2 * inp.depth, 200);
  // Gauss–Legendre nodes on [0, 1] per panel; panels graded towards t = 1 (square-root edge)
  const { nodes, weights } = gaussLegendre(order);
  const ts: number[] = [];
  const ws: number[] = [];
  for (let j = 0; j < panels; j++) {
    // grading: u in [0,1] → t = 1 − (1 − u)² concentrates points near t = 1
    const u0 = j / panels;
    const u1 = (j + 1) / panels;
    for (let i = 0; i < nodes.length; i++) {
      const u = u0 + ((u1 - u0) * (nodes[i] + 1)) / 2;
      const du = ((u1 - u0) * weights[i]) / 2;
      ts.push(1 - (1 - u) * (1 - u));
      ws.push(2 * (1 - u) * du);
    }
  }
  const xs = ts.map((t) => xe * Math.pow(t, s));
  const d = pwlDensity(inp, { xs });
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const dxdt = xe * s * Math.pow(ts[i], s - 1);
    sum += ws[i] * d.density[i] * Math.pow(xs[i], k) * dxdt;
  }
  return sum;
}

/** cadd/cmul are kept for callers extending the tracker (smooth φ). */
export const complex = { cadd, cmul, cdiv, clog, cexp };
