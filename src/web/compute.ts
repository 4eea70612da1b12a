/** Pure theory computations the page shows (runs in the Web Worker; also importable in Node tests). */
import {
  analyze,
  correlationMap,
  criticalInit,
  dynamics,
  eocCurve,
  parseActivation,
  parseNoise,
  phaseGrid,
  varianceMap,
  type Analysis,
  type CriticalPoint,
  type Model,
} from "../theory/index.js";

export interface State {
  activation: string;
  noise: string;
  sigmaW2: number;
  sigmaB2: number;
  width: number;
  depth: number;
}

export const DEFAULT_STATE: State = {
  activation: "tanh",
  noise: "none",
  sigmaW2: 1.5,
  sigmaB2: 0.05,
  width: 500,
  depth: 30,
};

export function modelOf(s: State): Model {
  return {
    activation: parseActivation(s.activation),
    noise: parseNoise(s.noise),
    sigmaW2: s.sigmaW2,
    sigmaB2: s.sigmaB2,
  };
}

export interface Main {
  analysis: Analysis;
  critical: CriticalPoint | { exists: false; reason: string };
  vmap: { q: number[]; v: number[] };
  cmap: { c: number[]; v: number[] };
  traj: { q: number[]; c: (number | null)[] };
}

/** Analysis (q⁰ = 1, c⁰ = 0.5), maps, dynamics and critical initialisation for one state. */
export function computeMain(s: State): Main {
  const m = modelOf(s);
  const analysis = analyze(m, 1, 0.5);
  let critical: Main["critical"];
  try {
    critical = criticalInit(m.activation, m.noise, s.sigmaB2);
  } catch (e) {
    critical = { exists: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const qMax = Math.max(2, 2 * (analysis.q_star ?? 1));
  const q = Array.from({ length: 41 }, (_, i) => (qMax * i) / 40);
  const vmap = { q, v: q.map((x) => varianceMap(m, x)) };
  const qs = analysis.q_star !== null && Number.isFinite(analysis.q_star) ? analysis.q_star : 1;
  const c = Array.from({ length: 21 }, (_, i) => -1 + (2 * i) / 20);
  const cmap = { c, v: c.map((x) => correlationMap(m, qs, x)) };
  const traj = dynamics(m, s.depth, 1, 0.5);
  return { analysis, critical, vmap, cmap, traj };
}

export const PHASE_SW = Array.from({ length: 25 }, (_, i) => 0.2 + (3.8 * i) / 24);
export const PHASE_SB = Array.from({ length: 25 }, (_, i) => (0.5 * i) / 24);

/** One row (σ_b² index i) of the phase grid: χ1 per σ_w². */
export function phaseRow(s: State, i: number): (number | null)[] {
  const act = parseActivation(s.activation);
  const noise = parseNoise(s.noise);
  return phaseGrid(act, noise, PHASE_SW, [PHASE_SB[i]], 1, 0.5).chi1[0];
}

export function eoc(s: State) {
  return eocCurve(parseActivation(s.activation), parseNoise(s.noise), PHASE_SB);
}
