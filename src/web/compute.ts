/**
 * The theory the explorer shows, as plain data (runs in the theory Web Worker; also imported by the Node
 * tests, which compare the page's numbers with these). Every number comes from the library's theory layer;
 * nothing here re-derives a formula.
 */
import {
  analyze,
  correlationMap,
  criticalInit,
  dynamics,
  eocCurve,
  parseActivation,
  parseNoise,
  phaseGrid,
  phaseSlope,
  varianceMap,
  type Analysis,
  type CriticalPoint,
  type EocCurvePoint,
  type Model,
} from "../theory/index.js";
import { spectrumTheory } from "../theory/spectrum/index.js";
import type { SimConfig } from "../sim/index.js";
import { checkState, type State } from "./state.js";

export { DEFAULT_STATE, type State } from "./state.js";

/** The library model of a state (throws InputError naming the bad parameter). */
export function modelOf(s: State): Model {
  checkState(s);
  return {
    activation: parseActivation(s.activation),
    noise: parseNoise(s.noise),
    sigmaW2: s.sigmaW2,
    sigmaB2: s.sigmaB2,
  };
}

/** The Monte Carlo configuration of a state (the simulation worker runs exactly this), weight law included. */
export function simConfigOf(s: State, networks: number, seed: number): SimConfig {
  return { model: modelOf(s), width: s.width, depth: s.depth, networks, seed, weights: s.weights };
}

export interface Main {
  analysis: Analysis;
  /** the slope that colours the phase diagram and decides the phase (critical.ts `phaseSlope`) */
  slope: "chi1" | "chi_grad";
  critical: CriticalPoint | { exists: false; reason: string };
  vmap: { q: number[]; v: number[] };
  cmap: { c: number[]; v: number[] };
  traj: { q: number[]; c: (number | null)[] };
}

/** Input variance and correlation of the analysis and the dynamics panel. */
export const Q0 = 1;
export const C0 = 0.5;

/** Analysis (q⁰ = 1, c⁰ = 0.5), maps, dynamics and critical initialisation for one state. */
export function computeMain(s: State): Main {
  const m = modelOf(s);
  const analysis = analyze(m, { q0: Q0, c0: C0 });
  let critical: Main["critical"];
  try {
    critical = criticalInit(m.activation, m.noise, s.sigmaB2);
  } catch (e) {
    critical = { exists: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const vmap = varianceMapCurve(m, analysis);
  const qs = analysis.qStar !== null && Number.isFinite(analysis.qStar) ? analysis.qStar : 1;
  const c = Array.from({ length: 41 }, (_, i) => -1 + (2 * i) / 40);
  const cmap = { c, v: c.map((x) => correlationMap(m, qs, x)) };
  const traj = dynamics(m, { depth: s.depth, q0: Q0, c0: C0 });
  return { analysis, slope: phaseSlope(m.noise), critical, vmap, cmap, traj };
}

/** The phase-diagram grid: σ_w² = 0.16, 0.32, …, 4 and σ_b² = 0, 0.02, …, 0.48 (25 × 25). */
export const PHASE_SW = Array.from({ length: 25 }, (_, i) => Number((0.16 * (i + 1)).toFixed(2)));
export const PHASE_SB = Array.from({ length: 25 }, (_, i) => Number((0.02 * i).toFixed(2)));

/**
 * One row (σ_b² index i) of the phase grid: per σ_w² the slope that decides the phase (χ1, or χ_grad with
 * multiplicative noise: critical.ts `classifyPhase`, the rule `analyze` uses), null where the phase is
 * `unbounded` or `vanishing` (no positive q*: drawn grey). So a cell's colour (< 1 blue, > 1 orange) is
 * the phase `analyze` reports at that point, and the EOC curve (`eocCurve`: χ_grad = 1) is where it is 1.
 */
export function phaseRow(s: State, i: number): (number | null)[] {
  const m = modelOf(s);
  const g = phaseGrid(m.activation, m.noise, {
    sigmaW2s: PHASE_SW,
    sigmaB2s: [PHASE_SB[i]],
    q0: Q0,
    c0: C0,
    fields: ["chi1", "chiGrad", "phase"],
  });
  const slope = phaseSlope(m.noise) === "chi_grad" ? g.chiGrad[0] : g.chi1[0];
  return slope.map((x, j) => (g.phase[0][j] === "unbounded" || g.phase[0][j] === "vanishing" ? null : x));
}

/** The edge-of-chaos curve σ_w²(σ_b²) over the phase grid's σ_b² (or why there is none). */
export function eoc(s: State): { points: EocCurvePoint[]; reason?: string } {
  const m = modelOf(s);
  return eocCurve(m.activation, m.noise, PHASE_SB);
}

/** ξ_q, ξ_c and the trainable depth 6ξ_c at each σ_w² of `sigmaW2` (null where the scale is undefined or infinite). */
export interface DepthScales {
  sigmaW2: number[];
  xiQ: (number | null)[];
  xiC: (number | null)[];
  trainableDepth: (number | null)[];
}

/** σ_w² grid of the depth-scale panel: 0.05…4 in steps of 0.05, plus the current σ_w². */
export function depthScaleGrid(s: State): number[] {
  const g = Array.from({ length: 80 }, (_, i) => Number((0.05 * (i + 1)).toFixed(2)));
  if (!g.includes(s.sigmaW2)) g.push(s.sigmaW2);
  return g.sort((a, b) => a - b);
}

/** ξ_q, ξ_c and the trainable depth 6ξ_c (docs/THEORY.md §2) along σ_w² at the current σ_b² and noise. */
export function depthScales(s: State): DepthScales {
  return depthScalesAt(s, depthScaleGrid(s));
}

/** depthScales at the σ_w² values `sw` only (the worker streams the panel's grid in parts with this). */
export function depthScalesAt(s: State, sw: number[]): DepthScales {
  const m = modelOf(s);
  const out: DepthScales = { sigmaW2: sw, xiQ: [], xiC: [], trainableDepth: [] };
  for (const w of sw) {
    const a = analyze({ ...m, sigmaW2: w }, { q0: Q0, c0: C0 });
    out.xiQ.push(a.xiQ);
    out.xiC.push(a.xiC);
    out.trainableDepth.push(a.trainableDepth);
  }
  return out;
}

export type Spectrum =
  | ({ ok: true } & Pick<
      ReturnType<typeof spectrumTheory>,
      "mean" | "variance" | "edge" | "atoms" | "density" | "notes"
    >)
  | { ok: false; reason: string };

/** The Jacobian spectrum of J Jᵀ for the state, noise included (docs/THEORY.md §5), or why it cannot be computed. */
export function spectrum(s: State): Spectrum {
  const m = modelOf(s);
  try {
    const t = spectrumTheory({
      activation: m.activation,
      weights: s.weights,
      depth: s.depth,
      sigmaW2: s.sigmaW2,
      sigmaB2: s.sigmaB2,
      noise: m.noise,
      q0: Q0,
      points: 160,
    });
    const { mean, variance, edge, atoms, density, notes } = t;
    return { ok: true, mean, variance, edge, atoms, density, notes };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * What needs only q*: the numbers q*, χ1, ξ_q and the phase (`analyze` with `correlation: false`, which
 * leaves them unchanged) and the variance map, shown first while c*, the correlation map, the dynamics
 * and the critical point are computed.
 */
export function quickMain(s: State): Pick<Main, "analysis" | "vmap"> {
  const m = modelOf(s);
  const analysis = analyze(m, { q0: Q0, c0: C0, correlation: false });
  return { analysis, vmap: varianceMapCurve(m, analysis) };
}

/** V(q) on 41 points of [0, max(2, 2q*)] (q* from `analysis`; c* is not needed). */
function varianceMapCurve(m: Model, analysis: Analysis): Main["vmap"] {
  const qMax = Math.max(2, 2 * (analysis.qStar ?? 1));
  const q = Array.from({ length: 41 }, (_, i) => (qMax * i) / 40);
  return { q, v: q.map((x) => varianceMap(m, x)) };
}
