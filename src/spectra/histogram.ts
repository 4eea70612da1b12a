/**
 * Histograms of empirical eigenvalues against the predicted density: piecewise-linear φ (closed-form
 * polynomial route) or any φ (Newton continuation, src/theory/spectrum/smoothDensity.ts).
 */
import { gaussLegendre } from "../numerics/gaussLegendre.js";
import { pwlDensity, type Atom, type PwlSpectrumInput } from "../theory/spectrum/density.js";
import { smoothDensity, type SmoothSpectrumInput } from "../theory/spectrum/smoothDensity.js";

export type DensityTheory = PwlSpectrumInput | SmoothSpectrumInput;

interface DensityView {
  edge: number;
  atoms: Atom[];
  at: (xs: number[]) => number[];
}

function view(theory: DensityTheory): DensityView {
  if ("activation" in theory) {
    const d0 = smoothDensity(theory, { xs: [] });
    return {
      edge: d0.edge,
      atoms: d0.atom0 > 0 ? [{ x: 0, mass: d0.atom0 }] : [],
      at: (xs) => smoothDensity(theory, { xs }).density,
    };
  }
  const d0 = pwlDensity(theory, { xs: [] });
  return { edge: d0.edge ?? 0, atoms: d0.atoms, at: (xs) => pwlDensity(theory, { xs }).density };
}

/** ∫_a^b ρ for any theory (same quadrature as `pwlIntegral`). */
export function densityIntegral(theory: DensityTheory, a: number, b: number): number {
  return integrateView(view(theory), theory.depth, a, b);
}

function integrateView(v: DensityView, L: number, a: number, b: number): number {
  if (a === 0) {
    const { nodes, weights } = gaussLegendre(40);
    const s = Math.min(2 * L, 200);
    const us = Array.from(nodes, (x) => (x + 1) / 2);
    const d = v.at(us.map((u) => b * Math.pow(u, s)));
    return us.reduce((acc, u, i) => acc + (weights[i] / 2) * d[i] * b * s * Math.pow(u, s - 1), 0);
  }
  const { nodes, weights } = gaussLegendre(24);
  const xs = Array.from(nodes, (x) => a + ((b - a) * (x + 1)) / 2);
  const d = v.at(xs);
  return xs.reduce((acc, _x, i) => acc + (weights[i] * d[i] * (b - a)) / 2, 0);
}

/**
 * ∫_a^b ρ(x) dx for the continuous part. The first panel [0, b] uses x = b u^{2L}, which absorbs the
 * x^{1/L − 1} singularity of ρ at 0; other intervals use 24-point Gauss–Legendre.
 */
export function pwlIntegral(theory: PwlSpectrumInput, a: number, b: number): number {
  const L = theory.depth;
  if (a === 0) {
    const { nodes, weights } = gaussLegendre(40);
    const s = Math.min(2 * L, 200);
    const us = Array.from(nodes, (x) => (x + 1) / 2);
    const d = pwlDensity(theory, { xs: us.map((u) => b * Math.pow(u, s)) });
    return us.reduce((acc, u, i) => acc + (weights[i] / 2) * d.density[i] * b * s * Math.pow(u, s - 1), 0);
  }
  const { nodes, weights } = gaussLegendre(24);
  const xs = Array.from(nodes, (x) => a + ((b - a) * (x + 1)) / 2);
  const d = pwlDensity(theory, { xs });
  return xs.reduce((acc, _x, i) => acc + (weights[i] * d.density[i] * (b - a)) / 2, 0);
}

export interface SpectrumHistogram {
  /** bin edges (length bins + 1) */
  edges: number[];
  /** empirical density per bin over the non-zero eigenvalues (fraction of all eigenvalues / width) */
  empirical: number[];
  /** predicted density per bin: ∫_bin ρ / width (continuous part only), null without a theory */
  predicted: number[] | null;
  /** fraction of eigenvalues below `zeroTol` × max (the atom at 0) */
  zeroFraction: number;
  /** predicted atom at 0 */
  predictedZero: number | null;
}

export interface SpectrumHistogramOptions {
  /** number of bins on [0, hi] */
  bins: number;
  /** right end of the last bin */
  hi: number;
  /** the density to integrate over each bin (none: `predicted` is null) */
  theory?: DensityTheory;
  /** eigenvalues ≤ zeroTol · max count as the atom at 0 (default 1e-10) */
  zeroTol?: number;
}

/** Histogram of eigenvalues on [0, hi] with `bins` bins; eigenvalues ≤ zeroTol·max go to the atom. */
export function spectrumHistogram(
  eigenvalues: Float64Array | number[],
  opts: SpectrumHistogramOptions,
): SpectrumHistogram {
  const { bins, hi, theory, zeroTol = 1e-10 } = opts;
  const ev = Array.from(eigenvalues);
  const max = ev.reduce((m, x) => Math.max(m, x), 0);
  const zeros = ev.filter((x) => x <= zeroTol * max).length;
  const width = hi / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const x of ev) {
    if (x <= zeroTol * max) continue;
    const b = Math.min(bins - 1, Math.floor(x / width));
    if (b >= 0) counts[b]++;
  }
  const empirical = counts.map((c) => c / ev.length / width);
  let predicted: number[] | null = null;
  let predZero: number | null = null;
  if (theory) {
    predicted = [];
    const v = view(theory);
    for (let b = 0; b < bins; b++) {
      const a = edges[b];
      const c = Math.min(edges[b + 1], v.edge);
      let s = c > a ? integrateView(v, theory.depth, a, c) : 0;
      // atoms other than 0 (orthogonal top atom) fall in their bin
      for (const at of v.atoms) {
        if (at.x > 0 && at.x >= edges[b] && (at.x < edges[b + 1] || (b === bins - 1 && at.x <= edges[b + 1])))
          s += at.mass;
      }
      predicted.push(s / width);
    }
    predZero = v.atoms.find((a) => a.x === 0)?.mass ?? 0;
  }
  return { edges, empirical, predicted, zeroFraction: zeros / ev.length, predictedZero: predZero };
}
