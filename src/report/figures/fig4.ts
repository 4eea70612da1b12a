/**
 * Fig 4 — correlation information (FIGURES.md). Critical ReLU (σ_w² = 2/μ2) without noise, with dropout
 * (keep 0.6, 0.8) and multiplicative Gaussian noise (s = 0.25, 2). (a) one step of the correlation map
 * with c* marked; (b) 30 layers of correlation dynamics from c⁰ ∈ {0, 0.5, 0.9}; (c) the phase diagram
 * χ_c(c*) against μ2 for dropout keep p ∈ [0.1, 1]: the correlations of noisy critical networks are ordered
 * (χ_c < 1); only μ2 = 1 has χ_c = 1. Their phase (theory/critical.ts `classifyPhase`, the one rule) is the
 * edge of chaos by χ_grad = 1 — variance and gradients are critical; the data records both.
 */
import { analyze } from "../../theory/analyze.js";
import { dynamics } from "../../theory/dynamics.js";
import { correlationMap } from "../../theory/maps.js";
import type { Figure, Json, Scale } from "../figure.js";
import {
  asDynamics,
  asStats,
  correlationMapJob,
  dynamicsJob,
  modelOf,
  resultOf,
  type ModelSpec,
} from "../jobs.js";
import { figureSpec, lineDotBandPanel, type Marker } from "../plot.js";
import { criticalRelu, finiteOrNull, linspace, rows, short, slug } from "./common.js";
import { compareSeries, type Collected, type PanelSeries } from "./panels.js";

export const FIG4_MODELS: { name: string; spec: ModelSpec }[] = [
  { name: "no noise", spec: criticalRelu("none") },
  { name: "dropout p=0.6", spec: criticalRelu("dropout:keep=0.6") },
  { name: "dropout p=0.8", spec: criticalRelu("dropout:keep=0.8") },
  { name: "Gaussian s=0.25", spec: criticalRelu("gauss_mult:std=0.25") },
  { name: "Gaussian s=2", spec: criticalRelu("gauss_mult:std=2") },
];

/** input correlations of panel (a) */
export const FIG4_C0S_MAP = linspace(0, 1, 11);
/** starting correlations of panel (b) */
export const FIG4_C0S_DYN = [0, 0.5, 0.9];
export const FIG4_DEPTH = 30;
/** input variance (the ReLU correlation map does not depend on it when σ_b² = 0) */
export const FIG4_Q0 = 1;
/** input pairs per c⁰ and network in panel (b): the trajectories are clear with a few */
export const FIG4_MAX_PAIRS = 4;

/** Panel (c): χ_c at c* for critical ReLU with dropout keep p on a grid over [0.1, 1]. */
export function phaseDiagram(n = 91): { keep: number[]; mu2: number[]; cStar: number[]; chiC: number[] } {
  const keep = linspace(0.1, 1, n);
  const out = { keep, mu2: [] as number[], cStar: [] as number[], chiC: [] as number[] };
  for (const p of keep) {
    const a = analyze(modelOf(criticalRelu(`dropout:keep=${p}`)), { q0: FIG4_Q0, c0: 0.5 });
    out.mu2.push(a.noise.mu2);
    out.cStar.push(a.cStar ?? NaN);
    out.chiC.push(a.chiC ?? NaN);
  }
  return out;
}

/** The two jobs of one model: (a) the correlation map at FIG4_C0S_MAP, (b) dynamics from FIG4_C0S_DYN. */
function fig4Jobs(m: { name: string; spec: ModelSpec }, scale: Scale) {
  return {
    a: correlationMapJob(`a/${m.name}`, m.spec, scale, FIG4_Q0, FIG4_C0S_MAP),
    b: dynamicsJob(`b/${m.name}`, m.spec, scale, FIG4_DEPTH, FIG4_Q0, FIG4_C0S_DYN, FIG4_MAX_PAIRS),
  };
}

/** What data.json records per model. */
type Fig4FixedPoint = {
  mu2: number;
  sigma_w2: number;
  c_star: number | null;
  chi_c: number | null;
  xi_c: number | null;
  chi_grad: number | null;
  phase: string;
  decided_by: string;
};

/** A shaded band of panel (c) over μ2 ∈ [1, 10] between χ_c = lo and hi, labelled at height y. */
function phaseBand(label: string, lo: number, hi: number, color: string, y: number) {
  return { label, x: [1, 10], lo: [lo, lo], hi: [hi, hi], color, labelAt: { x: 6, y } };
}

export const fig4: Figure = {
  id: "fig4",
  title: "Fig 4 — correlation information at critical initialisation",
  jobs(scale: Scale) {
    return FIG4_MODELS.flatMap((m) => {
      const j = fig4Jobs(m, scale);
      return [j.a, j.b];
    });
  },
  build(scale: Scale, results: Map<string, Json>) {
    const names = FIG4_MODELS.map((m) => m.name);
    const grid = linspace(0, 1, 101);
    const layers = Array.from({ length: FIG4_DEPTH + 1 }, (_, l) => l);
    const a: PanelSeries = { theory: [], sim: [] };
    const b: PanelSeries = { theory: [], sim: [] };
    const markers: Marker[] = [];
    const out: Collected = { agree: [], tables: [] };
    const fixed: Record<string, Fig4FixedPoint> = {};
    for (const m of FIG4_MODELS) {
      const model = modelOf(m.spec);
      const an = analyze(model, { q0: FIG4_Q0, c0: 0.5 });
      const jobs = fig4Jobs(m, scale);
      fixed[m.name] = {
        mu2: an.noise.mu2,
        sigma_w2: an.sigmaW2,
        c_star: finiteOrNull(an.cStar),
        chi_c: finiteOrNull(an.chiC),
        xi_c: finiteOrNull(an.xiC),
        chi_grad: finiteOrNull(an.chiGrad),
        phase: an.phase,
        decided_by: an.decidedBy,
      };
      if (an.cStar !== null)
        markers.push({ series: m.name, x: an.cStar, y: an.cStar, label: `c*=${short(an.cStar, 3)}` });
      compareSeries(a, out, scale.networks, {
        panel: "(a)",
        series: m.name,
        curve: { x: grid, y: grid.map((c) => correlationMap(model, FIG4_Q0, c)) },
        x: FIG4_C0S_MAP,
        theory: FIG4_C0S_MAP.map((c) => correlationMap(model, FIG4_Q0, c)),
        sim: asStats(resultOf(jobs.a, results)),
        table: `a_${slug(m.name)}`,
        xCol: "c0",
        theoryCol: "theory_c1",
      });
      const dyn = asDynamics(resultOf(jobs.b, results));
      FIG4_C0S_DYN.forEach((c0, k) => {
        const th = dynamics(model, { depth: FIG4_DEPTH, q0: FIG4_Q0, c0 }).c;
        compareSeries(b, out, scale.networks, {
          panel: "(b)",
          series: m.name,
          group: `${m.name}, c⁰=${c0}`,
          curve: { x: layers, y: th.map((v) => v ?? NaN) },
          x: layers,
          theory: th,
          sim: dyn.correlation[k],
          table: `b_${slug(m.name)}_c0_${c0}`,
          xCol: "layer",
          theoryCol: "theory_c",
        });
      });
    }
    const phase = phaseDiagram();
    out.tables.push({
      name: "c_phase",
      rows: rows({ keep: phase.keep, mu2: phase.mu2, c_star: phase.cStar, chi_c: phase.chiC }),
    });
    const panelA = lineDotBandPanel({
      title: "(a) correlation map, one layer (◆ = c*)",
      xLabel: "input correlation c⁰",
      yLabel: "output correlation c¹",
      theory: a.theory,
      sim: a.sim,
      refLines: [{ label: "identity", x: [0, 1], y: [0, 1] }],
      markers,
      seriesOrder: names,
      xDomain: [0, 1],
      yDomain: [0, 1],
    });
    const panelB = lineDotBandPanel({
      title: `(b) correlation dynamics from c⁰ ∈ {${FIG4_C0S_DYN.join(", ")}}`,
      xLabel: "layer l",
      yLabel: "correlation c^l",
      theory: b.theory,
      sim: b.sim,
      seriesOrder: names,
      yDomain: [0, 1],
    });
    const dropMarkers = FIG4_MODELS.filter(
      (m) => m.spec.noise.startsWith("dropout") || m.spec.noise === "none",
    ).map((m) => {
      const f = fixed[m.name];
      return { series: "χ_c(c*), dropout", x: f.mu2, y: f.chi_c ?? NaN, label: m.name };
    });
    const panelC = lineDotBandPanel({
      title: "(c) correlation phase: χ_c at c* (dropout, critical init)",
      xLabel: "μ2 = 1/p",
      yLabel: "χ_c(c*)",
      theory: [{ series: "χ_c(c*), dropout", x: phase.mu2, y: phase.chiC }],
      refLines: [{ label: "edge of chaos χ_c = 1", x: [1, 10], y: [1, 1] }],
      regions: [phaseBand("ordered", 0, 1, "#e5f5e0", 0.6), phaseBand("chaotic", 1, 1.2, "#fde0dd", 1.1)],
      markers: dropMarkers.filter((mk) => Number.isFinite(mk.y)),
      seriesOrder: ["χ_c(c*), dropout"],
      xDomain: [1, 10],
      yDomain: [0, 1.2],
    });
    const caption =
      "Critical ReLU (σ_w² = 2/μ2) with several noise models. " +
      `(a) One layer of the correlation map with its fixed point c* (◆; lines: theory, dots and bands: simulation mean ± 1 std over ${scale.networks} networks of width ${scale.width}): ` +
      "noise maps identical inputs to C(1) = 1/μ2 < 1, so c* < 1. " +
      `(b) ${FIG4_DEPTH} layers from c⁰ ∈ {${FIG4_C0S_DYN.join(", ")}}: with noise every pair converges to the same c*, so deep noisy networks lose the input's correlation information. ` +
      "(c) χ_c(c*) = (asin(c*)/π + 1/2)/μ2 for dropout keep p ∈ [0.1, 1]: the correlations of every noisy critical network are ordered (χ_c < 1); only μ2 = 1 has χ_c = 1. " +
      "Their variance and gradients are critical (χ_grad = σ_w² μ2/2 = 1), so `sigprop analyze` reports the phase edge_of_chaos, decided by χ_grad.";
    return {
      spec: figureSpec(
        fig4.title,
        [panelA, panelB, panelC],
        `scale: ${scale.name} (width ${scale.width}, ${scale.networks} networks)`,
      ),
      caption,
      tables: out.tables,
      agreement: out.agree,
      data: {
        models: FIG4_MODELS.map((m) => ({ name: m.name, ...m.spec })),
        fixed_points: fixed,
        c0s_panel_a: FIG4_C0S_MAP,
        c0s_panel_b: FIG4_C0S_DYN,
        depth_panel_b: FIG4_DEPTH,
        q0: FIG4_Q0,
        phase_diagram: {
          keep: phase.keep,
          mu2: phase.mu2,
          c_star: phase.cStar.map(finiteOrNull),
          chi_c: phase.chiC.map(finiteOrNull),
        },
      },
    };
  },
};
