/**
 * Phase diagrams: χ1, χ_grad and ξ_c (and q*, c*, phase) over a σ_w² × σ_b² grid, each point an independent
 * `analyze` (docs/THEORY.md §2); the phase is critical.ts's `classifyPhase` (by χ_grad with multiplicative noise,
 * by χ1 otherwise; `unbounded` / `vanishing` where there is no positive q*). Points where the theory has no answer (q* diverges for a non-homogeneous φ,
 * say) are null with the reason kept per point. `fields` picks the outputs: χ1, q* and the phase need
 * only q* (about half the work for smooth φ); ξ_c, χ_c and c* also solve for c*.
 */
import type { Activation } from "./activations.js";
import { analyze, type Phase } from "./analyze.js";
import type { Noise } from "./noise.js";

export interface PhaseGrid {
  sigmaW2: number[];
  sigmaB2: number[];
  /** [i][j] ↔ (sigmaB2[i], sigmaW2[j]) */
  chi1: (number | null)[][];
  chiGrad: (number | null)[][];
  xiC: (number | null)[][];
  chiC: (number | null)[][];
  qStar: (number | null)[][];
  cStar: (number | null)[][];
  phase: (Phase | null)[][];
}

export type PhaseField = "chi1" | "chiGrad" | "xiC" | "chiC" | "qStar" | "cStar" | "phase";

export const PHASE_FIELDS: readonly PhaseField[] = [
  "chi1",
  "chiGrad",
  "xiC",
  "chiC",
  "qStar",
  "cStar",
  "phase",
];

/** The fields that need the correlation fixed point c*. */
const NEEDS_C_STAR: ReadonlySet<PhaseField> = new Set(["xiC", "chiC", "cStar"]);

/** A grid with only the requested fields (all of them by default). */
export type PhaseGridOf<F extends PhaseField> = Pick<PhaseGrid, "sigmaW2" | "sigmaB2" | F>;

export interface PhaseGridOptions<F extends PhaseField> {
  /** the σ_w² axis (columns) */
  sigmaW2s: number[];
  /** the σ_b² axis (rows) */
  sigmaB2s: number[];
  /** input variance q⁰ of every point's `analyze` (default 1) */
  q0?: number;
  /** input correlation c⁰ of every point's `analyze` (default 0.5) */
  c0?: number;
  /** called after each point with (points done, total) */
  onProgress?: (done: number, total: number) => void;
  /** outputs to compute (default: all); each equals the full grid's field exactly */
  fields?: readonly F[];
}

/** Evaluate the grid row by row (σ_b² outer), reporting progress after each point. */
export function phaseGrid<F extends PhaseField = PhaseField>(
  activation: Activation,
  noise: Noise,
  options: PhaseGridOptions<F>,
): PhaseGridOf<F> {
  const { sigmaW2s, sigmaB2s, q0 = 1, c0 = 0.5, onProgress } = options;
  const fields: readonly PhaseField[] = options.fields ?? PHASE_FIELDS;
  const correlation = fields.some((f) => NEEDS_C_STAR.has(f));
  const g: Record<string, unknown[][] | number[]> = { sigmaW2: sigmaW2s, sigmaB2: sigmaB2s };
  for (const f of fields) g[f] = [];
  const total = sigmaW2s.length * sigmaB2s.length;
  let done = 0;
  for (const sb2 of sigmaB2s) {
    const rows = fields.map(() => [] as unknown[]);
    for (const sw2 of sigmaW2s) {
      const a = analyze({ activation, noise, sigmaW2: sw2, sigmaB2: sb2 }, { q0, c0, correlation });
      fields.forEach((f, k) => rows[k].push(a[f]));
      onProgress?.(++done, total);
    }
    fields.forEach((f, k) => (g[f] as unknown[][]).push(rows[k]));
  }
  return g as unknown as PhaseGridOf<F>;
}
