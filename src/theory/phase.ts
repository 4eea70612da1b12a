/**
 * Phase diagrams: χ1 and ξ_c (and q*, c*, phase) over a σ_w² × σ_b² grid, each point an independent
 * `analyze` (THEORY.md §2). Points where the theory has no answer (q* diverges for a non-homogeneous φ,
 * say) are null with the reason kept per point.
 */
import type { Activation } from "./activations.js";
import { analyze, type Phase } from "./analyze.js";
import type { Noise } from "./noise.js";

export interface PhaseGrid {
  sigma_w2: number[];
  sigma_b2: number[];
  /** [i][j] ↔ (sigma_b2[i], sigma_w2[j]) */
  chi1: (number | null)[][];
  xi_c: (number | null)[][];
  chi_c: (number | null)[][];
  q_star: (number | null)[][];
  c_star: (number | null)[][];
  phase: (Phase | null)[][];
}

/** Evaluate the grid row by row (σ_b² outer), reporting progress after each point. */
export function phaseGrid(
  activation: Activation,
  noise: Noise,
  sigmaW2s: number[],
  sigmaB2s: number[],
  q0 = 1,
  c0 = 0.5,
  onProgress?: (done: number, total: number) => void,
): PhaseGrid {
  const g: PhaseGrid = {
    sigma_w2: sigmaW2s,
    sigma_b2: sigmaB2s,
    chi1: [],
    xi_c: [],
    chi_c: [],
    q_star: [],
    c_star: [],
    phase: [],
  };
  const total = sigmaW2s.length * sigmaB2s.length;
  let done = 0;
  for (const sb2 of sigmaB2s) {
    const rows = {
      chi1: [] as (number | null)[],
      xi_c: [] as (number | null)[],
      chi_c: [] as (number | null)[],
      q_star: [] as (number | null)[],
      c_star: [] as (number | null)[],
      phase: [] as (Phase | null)[],
    };
    for (const sw2 of sigmaW2s) {
      const a = analyze({ activation, noise, sigmaW2: sw2, sigmaB2: sb2 }, q0, c0);
      rows.chi1.push(a.chi1);
      rows.xi_c.push(a.xi_c);
      rows.chi_c.push(a.chi_c);
      rows.q_star.push(a.q_star);
      rows.c_star.push(a.c_star);
      rows.phase.push(a.phase);
      onProgress?.(++done, total);
    }
    g.chi1.push(rows.chi1);
    g.xi_c.push(rows.xi_c);
    g.chi_c.push(rows.chi_c);
    g.q_star.push(rows.q_star);
    g.c_star.push(rows.c_star);
    g.phase.push(rows.phase);
  }
  return g;
}
