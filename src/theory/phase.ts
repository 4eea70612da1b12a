/**
 * Phase diagrams: χ1, χ_grad and ξ_c (and q*, c*, phase) over a σ_w² × σ_b² grid, each point an independent
 * `analyze` (docs/THEORY.md §2); the phase is critical.ts's `classifyPhase` (by χ_grad with multiplicative noise,
 * by χ1 otherwise; `unbounded` / `vanishing` where there is no positive q*). Points where the theory has no answer (q* diverges for a non-homogeneous φ,
 * say) are null with the reason kept per point. `fields` picks the outputs: χ1, q* and the phase need
 * only q* (about half the work for smooth φ); ξ_c, χ_c and c* also solve for c*.
 */
import type { Activation } from "./activations.js";
import { analyze, type Analysis, type Phase } from "./analyze.js";
import type { Noise } from "./noise.js";

export interface PhaseGrid {
  sigma_w2: number[];
  sigma_b2: number[];
  /** [i][j] ↔ (sigma_b2[i], sigma_w2[j]) */
  chi1: (number | null)[][];
  chi_grad: (number | null)[][];
  xi_c: (number | null)[][];
  chi_c: (number | null)[][];
  q_star: (number | null)[][];
  c_star: (number | null)[][];
  phase: (Phase | null)[][];
}

export type PhaseField = "chi1" | "chi_grad" | "xi_c" | "chi_c" | "q_star" | "c_star" | "phase";

export const PHASE_FIELDS: readonly PhaseField[] = [
  "chi1",
  "chi_grad",
  "xi_c",
  "chi_c",
  "q_star",
  "c_star",
  "phase",
];

/** The fields that need the correlation fixed point c*. */
const NEEDS_C_STAR: ReadonlySet<PhaseField> = new Set(["xi_c", "chi_c", "c_star"]);

/** A grid with only the requested fields (all of them by default). */
export type PhaseGridOf<F extends PhaseField> = Pick<PhaseGrid, "sigma_w2" | "sigma_b2" | F>;

export interface PhaseGridOptions<F extends PhaseField> {
  /** outputs to compute (default: all); each equals the full grid's field exactly */
  fields?: readonly F[];
}

/** Evaluate the grid row by row (σ_b² outer), reporting progress after each point. */
export function phaseGrid<F extends PhaseField = PhaseField>(
  activation: Activation,
  noise: Noise,
  sigmaW2s: number[],
  sigmaB2s: number[],
  q0 = 1,
  c0 = 0.5,
  onProgress?: (done: number, total: number) => void,
  options: PhaseGridOptions<F> = {},
): PhaseGridOf<F> {
  const fields: readonly PhaseField[] = options.fields ?? PHASE_FIELDS;
  const correlation = fields.some((f) => NEEDS_C_STAR.has(f));
  const values: Record<PhaseField, (a: Analysis) => number | Phase | null> = {
    chi1: (a) => a.chi1,
    chi_grad: (a) => a.chi_grad,
    xi_c: (a) => a.xi_c,
    chi_c: (a) => a.chi_c,
    q_star: (a) => a.q_star,
    c_star: (a) => a.c_star,
    phase: (a) => a.phase,
  };
  const g: Record<string, unknown[][] | number[]> = { sigma_w2: sigmaW2s, sigma_b2: sigmaB2s };
  for (const f of fields) g[f] = [];
  const total = sigmaW2s.length * sigmaB2s.length;
  let done = 0;
  for (const sb2 of sigmaB2s) {
    const rows = fields.map(() => [] as unknown[]);
    for (const sw2 of sigmaW2s) {
      const a = analyze({ activation, noise, sigmaW2: sw2, sigmaB2: sb2 }, q0, c0, { correlation });
      fields.forEach((f, k) => rows[k].push(values[f](a)));
      onProgress?.(++done, total);
    }
    fields.forEach((f, k) => (g[f] as unknown[][]).push(rows[k]));
  }
  return g as unknown as PhaseGridOf<F>;
}
