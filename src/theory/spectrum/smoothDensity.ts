/**
 * The limiting spectral density of J Jᵀ for a general φ (smooth or not) by Newton continuation
 * (Pennington, Schoenholz & Ganguli 2017/2018; docs/THEORY.md §5).
 *
 * D² has the law of d = φ′(√q z)², with moment generating function M_D(w) = E[d w/(1 − d w)]. Writing the
 * S-transforms through the inverse χ_D(m) = M_D^{-1}(m), S_D(m) = (1+m) χ_D(m)/m, and parametrising by
 * w = χ_D(M) (so M = M_D(w)), the equation z = M S_J(M)/(1+M) with S_J = (S_D S_W)^L becomes explicit:
 *
 *     gaussian:    z(w) = M/(1+M) · (w/(σ_w² M))^L
 *     orthogonal:  z(w) = M/(1+M) · ((1+M) w/(σ_w² M))^L,        M = M_D(w).
 *
 * Along the real axis, w ∈ (0, 1/max d) traces the real branch from z = 0; the right edge of the
 * spectrum is x_e = 1/z(w*) at the first maximum w* of z(w) (or the limit w → 1/max d if z increases all
 * the way, then x_e = (σ_w² max d)^L for orthogonal weights). Below the edge, z(w) = 1/x is solved for
 * complex w by Newton steps continued from the edge (w = w* − i√(2(z − z*)/|z″|)), and
 * ρ(x) = −Im M_D(w)/(π x). M_D and M_D′ use a fixed composite Gauss–Legendre rule on z ∈ [−11, 11]
 * (64 panels × 16 points, split at the kinks of φ).
 *
 * Dropout (keep p) on each layer's input makes D² = ε²φ′² with ε ∈ {0, 1/p}: the same discrete law with
 * every node d ↦ d/p², weight ↦ p·weight, and the removed mass 1 − p added to the atom at 0. Other
 * multiplicative noises give D² an unbounded support (no right edge), so they are not handled here.
 */
import { gaussLegendre } from "../../numerics/gaussLegendre.js";
import { brent } from "../../numerics/roots.js";
import { normPdf } from "../../numerics/special.js";
import type { Activation } from "../activations.js";
import { InputError } from "../errors.js";
import type { WeightLaw } from "./moments.js";

type C = [number, number];

export interface SmoothSpectrumInput {
  activation: Activation;
  q: number;
  sigmaW2: number;
  depth: number;
  weights: WeightLaw;
  /** dropout keep probability on each layer's input (default 1: no noise) */
  keep?: number;
}

export interface SmoothDensityResult {
  edge: number;
  /** where the tracked root became real going down from the edge (a gap below it), if reached */
  leftEdge: number | null;
  /** mass of the atom at 0 (P(φ′ = 0)) */
  atom0: number;
  x: number[];
  density: number[];
}

interface Law {
  d: Float64Array;
  wts: Float64Array;
  dmax: number;
  atom0: number;
}

function derivativeLaw(act: Activation, q: number): Law {
  const Z = 11;
  const s = Math.sqrt(q);
  const cuts = [-Z, ...act.kinks.map((k) => k / s).filter((t) => t > -Z && t < Z), Z].sort((a, b) => a - b);
  const { nodes, weights } = gaussLegendre(16);
  const d: number[] = [];
  const w: number[] = [];
  const panelsPer = 64;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const a = cuts[c];
    const b = cuts[c + 1];
    const n = Math.max(4, Math.round((panelsPer * (b - a)) / (2 * Z)));
    const h = (b - a) / n;
    for (let p = 0; p < n; p++) {
      for (let i = 0; i < nodes.length; i++) {
        const z = a + h * p + (h * (nodes[i] + 1)) / 2;
        d.push(act.dphi(s * z) ** 2);
        w.push((weights[i] * h * normPdf(z)) / 2);
      }
    }
  }
  let atom0 = 0;
  let dmax = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] === 0) atom0 += w[i];
    dmax = Math.max(dmax, d[i]);
  }
  return { d: Float64Array.from(d), wts: Float64Array.from(w), dmax, atom0 };
}

/** The law of ε²d for ε = Bern(p)/p independent of d (see module doc). */
function dropoutLaw(law: Law, p: number): Law {
  if (!(p > 0 && p <= 1)) throw new InputError("noise", `dropout:keep=${p}`, "keep in (0, 1]");
  const s = 1 / (p * p);
  return {
    d: law.d.map((x) => x * s),
    wts: law.wts.map((w) => w * p),
    dmax: law.dmax * s,
    atom0: 1 - p + p * law.atom0,
  };
}

/** M_D(w) and M_D′(w) for complex w. */
function mgf(law: Law, w: C): { M: C; dM: C } {
  let mr = 0;
  let mi = 0;
  let dr = 0;
  let di = 0;
  const { d, wts } = law;
  for (let i = 0; i < d.length; i++) {
    const di0 = d[i];
    if (di0 === 0) continue;
    // 1/(1 − d w)
    const ar = 1 - di0 * w[0];
    const ai = -di0 * w[1];
    const den = ar * ar + ai * ai;
    const ir = ar / den;
    const ii = -ai / den;
    // d w/(1 − d w) = 1/(1 − d w) − 1
    mr += wts[i] * (ir - 1);
    mi += wts[i] * ii;
    // d/(1 − d w)²
    dr += wts[i] * di0 * (ir * ir - ii * ii);
    di += wts[i] * di0 * (2 * ir * ii);
  }
  return { M: [mr, mi], dM: [dr, di] };
}

const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const clog = (a: C): C => [Math.log(Math.hypot(a[0], a[1])), Math.atan2(a[1], a[0])];

/** log z(w) and d log z/dw. */
function logZ(law: Law, w: C, inp: SmoothSpectrumInput): { lz: C; dlz: C; M: C } {
  const { M, dM } = mgf(law, w);
  const L = inp.depth;
  const lM = clog(M);
  const l1M = clog([1 + M[0], M[1]]);
  const lw = clog(w);
  const ls = Math.log(inp.sigmaW2);
  const orth = inp.weights === "orthogonal";
  const lz: C = [
    lM[0] - l1M[0] + L * (lw[0] - lM[0] - ls + (orth ? l1M[0] : 0)),
    lM[1] - l1M[1] + L * (lw[1] - lM[1] + (orth ? l1M[1] : 0)),
  ];
  const dMoverM = cdiv(dM, M);
  const dMover1M = cdiv(dM, [1 + M[0], M[1]]);
  const invw = cdiv([1, 0], w);
  const dlz: C = [
    dMoverM[0] - dMover1M[0] + L * (invw[0] - dMoverM[0] + (orth ? dMover1M[0] : 0)),
    dMoverM[1] - dMover1M[1] + L * (invw[1] - dMoverM[1] + (orth ? dMover1M[1] : 0)),
  ];
  return { lz, dlz, M };
}

function newton(law: Law, w0: C, logzt: number, inp: SmoothSpectrumInput): C | null {
  let w: C = [w0[0], w0[1]];
  for (let it = 0; it < 60; it++) {
    const { lz, dlz } = logZ(law, w, inp);
    const e = Math.exp(logzt - lz[0]);
    const r: C = [e * Math.cos(-lz[1]), e * Math.sin(-lz[1])];
    const step = cdiv([1 - r[0], -r[1]], dlz);
    w = [w[0] - step[0], w[1] - step[1]];
    if (!Number.isFinite(w[0]) || !Number.isFinite(w[1])) return null;
    const sz = Math.hypot(step[0], step[1]);
    const res = Math.hypot(1 - r[0], r[1]);
    // the residual is limited by the rounding of the quadrature sums (~1e-15 relative); near the edge
    // h′ → 0 amplifies it in the step, so accept a small residual as well as a small step
    if (sz <= 1e-14 * Math.max(1e-300, Math.hypot(w[0], w[1])) || (res < 1e-13 && it > 1)) return w;
    if (it > 30 && res < 1e-10) return w;
  }
  return null;
}

export interface SmoothDensityOptions {
  xs?: readonly number[];
  points?: number;
  power?: number;
}

/** Right edge, atom at 0 and density samples for any φ (see module doc). */
export function smoothDensity(
  inp: SmoothSpectrumInput,
  opts: SmoothDensityOptions = {},
): SmoothDensityResult {
  if (!Number.isInteger(inp.depth) || inp.depth < 1)
    throw new InputError("depth", String(inp.depth), "an integer ≥ 1");
  let law = derivativeLaw(inp.activation, inp.q);
  if (inp.keep !== undefined && inp.keep !== 1) law = dropoutLaw(law, inp.keep);
  if (!(law.dmax > 0)) throw new InputError("activation", inp.activation.spec, "an activation with φ′ ≠ 0");
  const wmax = 1 / law.dmax;
  const realLz = (w: number) => logZ(law, [w, 0], inp);
  // scan the real branch for the first maximum of log z(w)
  const n = 400;
  let wStar: number | null = null;
  let prevW = wmax * 1e-6;
  let prevD = realLz(prevW).dlz[0];
  for (let i = 1; i <= n; i++) {
    const w = wmax * (1 - Math.pow(1 - i / (n + 1), 2)); // denser towards the pole
    const dd = realLz(w).dlz[0];
    if (prevD > 0 && dd <= 0) {
      wStar = brent((t) => realLz(t).dlz[0], prevW, w, { xtol: 1e-15 * w });
      break;
    }
    prevW = w;
    prevD = dd;
  }
  if (wStar === null) {
    throw new InputError(
      "activation",
      inp.activation.spec,
      "an activation whose spectrum has a square-root edge (z(w) has an interior maximum)",
      "the free-probability edge sits at the pole w = 1/max φ′²; density not implemented for this case",
    );
  }
  const lzStar = realLz(wStar).lz[0];
  const edge = Math.exp(-lzStar);
  // second derivative of log z at w* by central differences of the analytic first derivative
  const h = 1e-5 * wStar;
  const d2 = (realLz(wStar + h).dlz[0] - realLz(wStar - h).dlz[0]) / (2 * h);
  let xs: number[];
  if (opts.xs) xs = [...opts.xs];
  else {
    const np = opts.points ?? 200;
    const pw = opts.power ?? 1;
    xs = Array.from({ length: np }, (_, i) => edge * Math.pow((i + 1) / (np + 1), pw));
  }
  const order = xs.map((_, i) => i).sort((i, j) => xs[j] - xs[i]);
  const dens = new Array<number>(xs.length).fill(0);
  let cur: C | null = null;
  let xc = edge;
  const start = (x: number): C => [wStar as number, -Math.sqrt((2 * Math.log(edge / x)) / Math.abs(d2))];
  let leftEdge: number | null = null;
  for (const idx of order) {
    const target = xs[idx];
    if (!(target > 0) || target >= edge || leftEdge !== null) continue;
    if (cur === null) {
      xc = edge * (1 - 1e-7);
      cur = newton(law, start(xc), -Math.log(xc), inp) ?? start(xc);
    }
    let step = xc - target;
    let guard = 0;
    while (xc > target && guard++ < 20000) {
      const xn = Math.max(target, xc - step);
      const sol = newton(law, cur, -Math.log(xn), inp);
      const ok =
        sol !== null &&
        sol[1] <= 0 &&
        Math.hypot(sol[0] - cur[0], sol[1] - cur[1]) <=
          0.2 * Math.max(0.05 * wmax, Math.hypot(cur[0], cur[1]));
      if (ok && sol) {
        cur = sol;
        xc = xn;
        step *= 1.5;
      } else {
        step /= 2;
        if (step < 1e-12 * xc) {
          // at a left edge of the support the complex pair merges into real roots (a branch point):
          // below it the density is 0
          if (Math.abs(cur[1]) < 1e-3 * Math.hypot(cur[0], cur[1])) {
            leftEdge = xc;
            break;
          }
          throw new Error(`smooth spectral density: root tracking failed at x = ${xn}`);
        }
      }
    }
    if (leftEdge !== null) {
      dens[idx] = 0;
      continue;
    }
    const { M } = mgf(law, cur);
    dens[idx] = Math.max(0, -M[1] / (Math.PI * target));
  }
  return { edge, leftEdge, atom0: law.atom0, x: xs, density: dens };
}
