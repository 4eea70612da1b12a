/**
 * Globally adaptive quadrature on a finite interval with user breakpoints (the QUADPACK QAG strategy
 * with a Gauss–Legendre pair instead of Gauss–Kronrod).
 *
 * Each panel is integrated by an n-point Gauss–Legendre rule (default n = 15, exact to degree 29) and by
 * the same rule on its two halves; |whole − halves| is the panel's error estimate and the halves' sum is
 * its value (far more accurate than the estimate says). The panel with the largest estimate is split
 * until the summed estimate is below max(atol, rtol·∫|f|), or every remaining estimate is at rounding
 * level. Breakpoints (kinks, or places where the integrand changes on a small scale) must be passed so
 * that no initial panel straddles a discontinuity or hides a narrow feature between its nodes.
 */
import { gaussLegendre } from "./gaussLegendre.js";

export interface IntegrateOptions {
  /** relative tolerance against ∫|f| (default 1e-13) */
  rtol?: number;
  /** absolute tolerance (default 0) */
  atol?: number;
  /** panel budget before giving up with an error (default 2000) */
  maxPanels?: number;
  /** Gauss–Legendre order per panel (default 15) */
  order?: number;
}

export class IntegrationError extends Error {}

interface Panel {
  a: number;
  b: number;
  /** the two half-panel values */
  l: number;
  r: number;
  err: number;
  abs: number;
}

function rule(f: (x: number) => number, a: number, b: number, nodes: Float64Array, weights: Float64Array) {
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

function makePanel(
  f: (x: number) => number,
  a: number,
  b: number,
  whole: number,
  nodes: Float64Array,
  weights: Float64Array,
): Panel {
  const mid = 0.5 * (a + b);
  const L = rule(f, a, mid, nodes, weights);
  const R = rule(f, mid, b, nodes, weights);
  return { a, b, l: L.s, r: R.s, err: Math.abs(L.s + R.s - whole), abs: L.sa + R.sa };
}

/** Binary max-heap on panel error. */
class Heap {
  items: Panel[] = [];
  push(p: Panel) {
    const it = this.items;
    it.push(p);
    let i = it.length - 1;
    while (i > 0) {
      const j = (i - 1) >> 1;
      if (it[j].err >= it[i].err) break;
      [it[i], it[j]] = [it[j], it[i]];
      i = j;
    }
  }
  pop(): Panel {
    const it = this.items;
    const top = it[0];
    const last = it.pop() as Panel;
    if (it.length > 0) {
      it[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let k = i;
        if (l < it.length && it[l].err > it[k].err) k = l;
        if (r < it.length && it[r].err > it[k].err) k = r;
        if (k === i) break;
        [it[i], it[k]] = [it[k], it[i]];
        i = k;
      }
    }
    return top;
  }
  peek(): Panel {
    return this.items[0];
  }
}

/** ∫_a^b f(x) dx, splitting at the given interior breakpoints. Throws IntegrationError on failure. */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  breakpoints: readonly number[] = [],
  opts: IntegrateOptions = {},
): number {
  if (a === b) return 0;
  if (b < a) return -integrate(f, b, a, breakpoints, opts);
  const rtol = opts.rtol ?? 1e-13;
  const atol = opts.atol ?? 0;
  const maxPanels = opts.maxPanels ?? 2000;
  const { nodes, weights } = gaussLegendre(opts.order ?? 15);
  const cuts = [a, ...breakpoints.filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  const heap = new Heap();
  let err = 0;
  let absTotal = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    if (!(cuts[i + 1] > cuts[i])) continue;
    const whole = rule(f, cuts[i], cuts[i + 1], nodes, weights).s;
    const p = makePanel(f, cuts[i], cuts[i + 1], whole, nodes, weights);
    heap.push(p);
    err += p.err;
    absTotal += p.abs;
  }
  let count = heap.items.length;
  for (;;) {
    const tol = Math.max(atol, rtol * absTotal);
    if (err <= tol || heap.items.length === 0) break;
    const worst = heap.peek();
    // Estimates at rounding level cannot be reduced further.
    if (worst.err <= 64 * Number.EPSILON * worst.abs) break;
    heap.pop();
    const mid = 0.5 * (worst.a + worst.b);
    if (!(mid > worst.a && mid < worst.b)) break;
    const L = makePanel(f, worst.a, mid, worst.l, nodes, weights);
    const R = makePanel(f, mid, worst.b, worst.r, nodes, weights);
    err += L.err + R.err - worst.err;
    absTotal += L.abs + R.abs - worst.abs;
    heap.push(L);
    heap.push(R);
    count += 1;
    if (count > maxPanels) {
      throw new IntegrationError(
        `adaptive quadrature did not reach rtol=${rtol} on [${a}, ${b}] within ${maxPanels} panels (error estimate ${err.toExponential(2)})`,
      );
    }
  }
  // Re-sum the accepted panels to avoid drift from the running updates.
  let total = 0;
  for (const p of heap.items) total += p.l + p.r;
  return total;
}
