/**
 * Shared quadrature of the spectrum tests: nodes and weights on (0, edge] for moments ∫ x^k ρ(x) dx of a
 * density that blows up at 0. Composite Gauss–Legendre (P panels × n nodes) in u ∈ (0, 1) under the
 * substitution x = edge · t^s, t = 1 − (1 − u)², which clusters nodes at 0 (power s) and at the edge
 * (square-root behaviour there); dx = edge · s t^{s−1} · 2(1 − u) du.
 */
import { gaussLegendre } from "../../src/numerics/gaussLegendre.js";

export function gradedRule(edge: number, s: number, P = 40, n = 24): { xs: number[]; ws: number[] } {
  const { nodes, weights } = gaussLegendre(n);
  const xs: number[] = [];
  const ws: number[] = [];
  for (let j = 0; j < P; j++) {
    for (let i = 0; i < n; i++) {
      const u = (j + (nodes[i] + 1) / 2) / P;
      const t = 1 - (1 - u) ** 2;
      xs.push(edge * t ** s);
      ws.push((weights[i] / 2 / P) * 2 * (1 - u) * edge * s * t ** (s - 1));
    }
  }
  return { xs, ws };
}
