/**
 * Gauss–Legendre nodes and weights on [−1, 1], computed once by Newton's method on the Legendre
 * recurrence (Golub & Welsch give the same rule; this is the classic `gauleg`). Exact for polynomials of
 * degree ≤ 2n−1; nodes accurate to ~1 ulp.
 */
export interface Rule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

const cache = new Map<number, Rule>();

/** The n-point Gauss–Legendre rule on [−1, 1]. */
export function gaussLegendre(n: number): Rule {
  const hit = cache.get(n);
  if (hit) return hit;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) < 1e-16) break;
    }
    nodes[i] = -z;
    nodes[n - 1 - i] = z;
    const w = 2 / ((1 - z * z) * pp * pp);
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}
