/**
 * Globally adaptive quadrature on a finite interval with user breakpoints.
 *
 * Each panel is integrated by an n-point Gauss–Legendre rule (default n = 15, exact to degree 29) and
 * by the same rule on its two halves; the difference is the error estimate, and the halves' sum (far
 * more accurate than the estimate says) is accepted. Panels are refined until the summed estimate is
 * below max(atol, rtol·∫|f|). Breakpoints (kinks of the integrand) must be passed so that no panel
 * straddles a discontinuity of the integrand or of its derivatives.
 */
import { gaussLegendre } from "./gaussLegendre.js";

export interface IntegrateOptions {
  /** relative tolerance against ∫|f| (default 1e-13) */
  rtol?: number;
  /** absolute tolerance (default 0) */
  atol?: number;
  /** panel budget before giving up with an error (default 4000) */
  maxPanels?: number;
  /** Gauss–Legendre order per panel (default 15) */
  order?: number;
}

export class IntegrationError extends Error {}

interface Panel {
  a: number;
  b: number;
  whole: number;
  abs: number;
}

function rulePanel(f: (x: number) => number, a: number, b: number, nodes: Float64Array, weights: Float64Array) {
  const h = 0.5 * (b - a);
  const m = 0.5 * (a + b);
  let s = 0;
  let sa = 0;
  for (let i = 0; i < nodes.length; i++) {
    const v = weights[i] * f(m + h * nodes[i]);
    s += v;
    sa += Math.abs(v);
  }
  return { s: s * h, sa: sa * Math.abs(h) };
}

/** ∫_a^b f(x) dx, splitting at the given interior breakpoints. Throws IntegrationError on failure. */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  breakpoints: readonly number[] = [],
  opts: IntegrateOptions = {},
): number {
  const rtol = opts.rtol ?? 1e-13;
  const atol = opts.atol ?? 0;
  const maxPanels = opts.maxPanels ?? 4000;
  const { nodes, weights } = gaussLegendre(opts.order ?? 15);
  if (!(b > a)) {
    if (a === b) return 0;
    return -integrate(f, b, a, breakpoints, opts);
  }
  const cuts = [a, ...breakpoints.filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  let panels: Panel[] = [];
  let total = 0;
  let totalAbs = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    if (cuts[i + 1] - cuts[i] <= 0) continue;
    const r = rulePanel(f, cuts[i], cuts[i + 1], nodes, weights);
    panels.push({ a: cuts[i], b: cuts[i + 1], whole: r.s, abs: r.sa });
    totalAbs += r.sa;
  }
  let accepted = 0;
  let count = panels.length;
  while (panels.length > 0) {
    const next: Panel[] = [];
    let errSum = 0;
    const pending: { p: Panel; l: Panel; r: Panel; err: number }[] = [];
    for (const p of panels) {
      const mid = 0.5 * (p.a + p.b);
      const l = rulePanel(f, p.a, mid, nodes, weights);
      const r = rulePanel(f, mid, p.b, nodes, weights);
      const err = Math.abs(l.s + r.s - p.whole);
      pending.push({ p, l: { a: p.a, b: mid, whole: l.s, abs: l.sa }, r: { a: mid, b: p.b, whole: r.s, abs: r.sa }, err });
      errSum += err;
    }
    const tol = Math.max(atol, rtol * totalAbs);
    // Accept panels whose error is within their share of the tolerance; refine the rest.
    for (const { p, l, r, err } of pending) {
      const share = (tol * (p.b - p.a)) / (b - a);
      if (err <= share || err <= 1e-15 * Math.abs(l.whole + r.whole) || errSum <= tol * 1e-3) {
        accepted += l.whole + r.whole;
      } else {
        next.push(l, r);
      }
    }
    total = accepted;
    count += next.length;
    if (count > maxPanels) {
      throw new IntegrationError(
        `adaptive quadrature did not reach rtol=${rtol} on [${a}, ${b}] within ${maxPanels} panels`,
      );
    }
    panels = next;
  }
  return total;
}
